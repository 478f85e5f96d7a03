/**
 * `npm run idp -- [--port 9443] [--host 127.0.0.1] [--cert-dir .local-certs]`
 * Prints one line `local-idp listening {json}` when ready (tests and the orchestrator read it).
 */
import { closeOnSignals, parseArgsOrExit, portOrExit } from '../cli/cli';
import { ListenError, startIdentityProvider } from './server';

const USAGE = 'usage: npm run idp -- [--port 9443] [--host 127.0.0.1] [--cert-dir .local-certs]';

async function main(): Promise<void> {
  const values = parseArgsOrExit('local-idp', USAGE, {
    port: { type: 'string', default: '9443' },
    host: { type: 'string', default: '127.0.0.1' },
    'cert-dir': { type: 'string' },
  });
  const port = portOrExit('local-idp', values.port);
  const idp = await startIdentityProvider({ port, host: values.host, certDir: values['cert-dir'] });
  const demoClient = idp.demoValues.clients[0];
  const ready = { issuer: idp.issuer, port: idp.port, tlsCertFile: idp.tlsCertFile, clientId: demoClient.clientId };
  console.log(`local-idp listening ${JSON.stringify(ready)}`);
  closeOnSignals(() => idp.close());
}

main().catch((error: unknown) => {
  console.error(
    `local-idp: ${error instanceof ListenError ? error.message : ((error as Error).stack ?? String(error))}`,
  );
  process.exit(1);
});
