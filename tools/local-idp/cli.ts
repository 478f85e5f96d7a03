/**
 * `npm run idp -- [flags]` (see --help). Prints one line `local-idp listening {json}` when ready
 * (tests and the orchestrator read it).
 */
import { closeOnSignals } from '../cli/cli';
import { commandLineOrExit } from '../cli/command-line';
import { IDP_COMMAND } from '../cli/commands';
import { ListenError, startIdentityProvider } from './server';

async function main(): Promise<void> {
  const values = commandLineOrExit('local-idp', IDP_COMMAND);
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
  console.error(
    `local-idp: ${error instanceof ListenError ? error.message : ((error as Error).stack ?? String(error))}`,
  );
  process.exit(1);
});
