/**
 * `npm run gateway -- [--cdk-out cdk.out] [--stack Wso2JwtHttpApi-dev] [--host 127.0.0.1]
 *   [--port 8080] [--ca-file .local-certs/localhost-cert.pem] [--no-access-log]`
 *
 * --ca-file trusts an extra CA when fetching the issuer's discovery document and JWKS, e.g. a
 * local WSO2 IS whose certificate is self-signed (API Gateway itself would refuse it).
 * Prints `local-gateway listening {json}` when ready.
 */
import { parseArgs } from 'node:util';
import { CloudAssemblyError } from './cloud-assembly';
import { GatewayListenError, startGateway } from './server';

const USAGE = 'usage: npm run gateway -- [--cdk-out cdk.out] [--stack <stack name>] [--host 127.0.0.1] [--port 8080] [--ca-file <pem>] [--no-access-log]';

async function main(): Promise<void> {
  const values = parseOrExit({
    'cdk-out': { type: 'string', default: 'cdk.out' },
    stack: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '8080' },
    'ca-file': { type: 'string' },
    'no-access-log': { type: 'boolean', default: false },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`local-gateway: --port must be an integer from 0 to 65535, got ${JSON.stringify(values.port)}`);
    process.exit(2);
  }
  const gateway = await startGateway({
    cdkOutDir: values['cdk-out'],
    stackName: values.stack,
    host: values.host,
    port,
    caFile: values['ca-file'],
    ...(values['no-access-log'] && { accessLog: () => undefined }),
  });
  console.log(`local-gateway listening ${JSON.stringify({ url: gateway.url, port: gateway.port, stack: gateway.model.stackName, routes: gateway.model.routes.map((r) => r.routeKey) })}`);
  const stop = () => {
    gateway.close().then(() => process.exit(0));
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
    console.error(`local-gateway: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

main().catch((error: unknown) => {
  const known = error instanceof GatewayListenError || error instanceof CloudAssemblyError;
  console.error(`local-gateway: ${known ? (error as Error).message : (error as Error).stack ?? String(error)}`);
  process.exit(1);
});
