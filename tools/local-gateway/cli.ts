/**
 * `npm run gateway -- [--cdk-out cdk.out] [--stack Wso2JwtHttpApi-dev] [--host 127.0.0.1]
 *   [--port 8080] [--ca-file .local-certs/localhost-cert.pem] [--no-access-log]`
 *
 * --ca-file trusts an extra CA when fetching the issuer's discovery document and JWKS, e.g. a
 * local WSO2 IS whose certificate is self-signed (API Gateway itself would refuse it).
 * Prints `local-gateway listening {json}` when ready.
 */
import { closeOnSignals, parseArgsOrExit, portOrExit } from '../cli/cli';
import { CloudAssemblyError } from './cloud-assembly';
import { GatewayListenError, startGateway } from './server';

const USAGE =
  'usage: npm run gateway -- [--cdk-out cdk.out] [--stack <stack name>] [--host 127.0.0.1] [--port 8080] [--ca-file ' +
  '<pem>] [--no-access-log]';

async function main(): Promise<void> {
  const values = parseArgsOrExit('local-gateway', USAGE, {
    'cdk-out': { type: 'string', default: 'cdk.out' },
    stack: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '8080' },
    'ca-file': { type: 'string' },
    'no-access-log': { type: 'boolean', default: false },
  });
  const port = portOrExit('local-gateway', values.port);
  const gateway = await startGateway({
    cdkOutDir: values['cdk-out'],
    stackName: values.stack,
    host: values.host,
    port,
    caFile: values['ca-file'],
    ...(values['no-access-log'] && { accessLog: () => undefined }),
  });
  const { url, port: listening, model } = gateway;
  const ready = { url, port: listening, stack: model.stackName, routes: model.routes.map((r) => r.routeKey) };
  console.log(`local-gateway listening ${JSON.stringify(ready)}`);
  closeOnSignals(() => gateway.close());
}

main().catch((error: unknown) => {
  const known = error instanceof GatewayListenError || error instanceof CloudAssemblyError;
  console.error(`local-gateway: ${known ? (error as Error).message : ((error as Error).stack ?? String(error))}`);
  process.exit(1);
});
