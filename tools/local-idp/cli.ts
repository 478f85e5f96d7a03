/**
 * `npm run idp -- [flags]` (see --help). Prints one line `local-idp listening {json}` when ready
 * (tests and the orchestrator read it).
 */
import { closeOnSignals, failureLine } from '../cli/cli';
import { commandLineOrExit } from '../cli/command-line';
import { IDP_COMMAND } from '../cli/commands';

async function main(): Promise<void> {
  const values = commandLineOrExit('local-idp', IDP_COMMAND);
  // Loaded once the flags are read: --help and a mistyped flag answer without loading the server.
  const { startIdentityProvider } = require('./server') as typeof import('./server');
  const idp = await startIdentityProvider({ port: values.port, host: values.host, certDir: values['cert-dir'] });
  const demoClient = idp.demoValues.clients[0];
  console.log(
    `local-idp listening ${JSON.stringify({
      issuer: idp.issuer,
      port: idp.port,
      tlsCertFile: idp.tlsCertFile,
      clientId: demoClient.clientId,
      tenants: idp.tenants.map((t) => ({
        domain: t.domain,
        issuer: t.issuer,
        clientId: t.demoValues.clients[0].clientId,
      })),
    })}`,
  );
  closeOnSignals(() => idp.close());
}

main().catch((error: unknown) => {
  console.error(failureLine('local-idp', error));
  process.exit(1);
});
