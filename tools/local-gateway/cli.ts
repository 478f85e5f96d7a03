/**
 * `npm run gateway -- [flags]` (see --help). Prints `local-gateway listening {json}` when ready.
 *
 * --ca-file trusts an extra CA when fetching the issuer's discovery document and JWKS, e.g. a
 * local WSO2 IS whose certificate is self-signed (API Gateway itself would refuse it).
 */
import { closeOnSignals, failureLine } from '../cli/cli';
import { commandLineOrExit } from '../cli/command-line';
import { GATEWAY_COMMAND } from '../cli/commands';

async function main(): Promise<void> {
  const values = commandLineOrExit('local-gateway', GATEWAY_COMMAND);
  // Loaded once the flags are read: --help and a mistyped flag answer without loading the gateway.
  const { startGateway } = require('./server') as typeof import('./server');
  const gateway = await startGateway({
    cdkOutDir: values['cdk-out'],
    stackName: values.stack,
    host: values.host,
    port: values.port,
    caFile: values['ca-file'],
    runtimesPerFunction: values['runtimes-per-function'],
    region: values.region,
    functionRuntime: values['in-process'] ? 'in-process' : 'isolated',
    ...(values['no-access-log'] && { accessLog: () => undefined }),
  });
  const { url, port: listening, model } = gateway;
  const ready = { url, port: listening, stack: model.stackName, routes: model.routes.map((r) => r.routeKey) };
  console.log(`local-gateway listening ${JSON.stringify(ready)}`);
  closeOnSignals(() => gateway.close());
}

main().catch((error: unknown) => {
  console.error(failureLine('local-gateway', error));
  process.exit(1);
});
