/**
 * `npm run idp -- [--port 9443] [--host 127.0.0.1] [--cert-dir .local-certs]`
 * Prints one line `local-idp listening {json}` when ready (tests and the orchestrator read it).
 */
import { parseArgs } from 'node:util';
import { ListenError, startIdentityProvider } from './server';

const USAGE = 'usage: npm run idp -- [--port 9443] [--host 127.0.0.1] [--cert-dir .local-certs]';

async function main(): Promise<void> {
  const values = parseOrExit({
    port: { type: 'string', default: '9443' },
    host: { type: 'string', default: '127.0.0.1' },
    'cert-dir': { type: 'string' },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`local-idp: --port must be an integer from 0 to 65535, got ${JSON.stringify(values.port)}`);
    process.exit(2);
  }
  const idp = await startIdentityProvider({ port, host: values.host, certDir: values['cert-dir'] });
  const demoClient = idp.demoValues.clients[0];
  console.log(`local-idp listening ${JSON.stringify({ issuer: idp.issuer, port: idp.port, tlsCertFile: idp.tlsCertFile, clientId: demoClient.clientId })}`);
  const stop = () => {
    idp.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** Bad flags are usage errors (exit 2) with the usage line, never a stack trace. */
function parseOrExit<T extends Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>>(options: T) {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(USAGE);
    process.exit(0);
  }
  try {
    return parseArgs({ options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    console.error(`local-idp: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

main().catch((error: unknown) => {
  console.error(`local-idp: ${error instanceof ListenError ? error.message : (error as Error).stack ?? String(error)}`);
  process.exit(1);
});
