/**
 * `npm run idp -- [--port 9443] [--host 127.0.0.1] [--cert-dir .local-certs]`
 * Prints one line `local-idp listening {json}` when ready (tests and the orchestrator read it).
 */
import { parseArgs } from 'node:util';
import { ListenError, startIdentityProvider } from './server';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '9443' },
      host: { type: 'string', default: '127.0.0.1' },
      'cert-dir': { type: 'string' },
    },
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

main().catch((error: unknown) => {
  console.error(`local-idp: ${error instanceof ListenError ? error.message : (error as Error).stack ?? String(error)}`);
  process.exit(1);
});
