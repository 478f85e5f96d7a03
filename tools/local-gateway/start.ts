/**
 * `npm start`: synthesize the dev stack, start the local identity provider, then the gateway
 * in front of the synthesized API, and print commands to try it. Ctrl-C stops both.
 *
 *   npm start -- [--idp-port 9443] [--port 8080] [--env dev] [--skip-synth]
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { contextReaderFor, loadEnvironmentConfig } from '../../lib/config';
import { stackNameFor } from '../../lib/environment-stack';
import { ListenError, startIdentityProvider } from '../local-idp/server';
import { CloudAssemblyError } from './cloud-assembly';
import { GatewayListenError, startGateway } from './server';

const ROOT = join(__dirname, '..', '..');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'idp-port': { type: 'string', default: '9443' },
      port: { type: 'string', default: '8080' },
      env: { type: 'string', default: 'dev' },
      'skip-synth': { type: 'boolean', default: false },
    },
  });
  const idpPort = portOption('--idp-port', values['idp-port']);
  const gatewayPort = portOption('--port', values.port);

  // The identity provider first: its port decides the issuer the stack is synthesized with.
  const idp = await startIdentityProvider({ port: idpPort });
  const config = loadEnvironmentConfig(contextReaderFor({ env: values.env })).config;
  const stackName = stackNameFor(config.name);
  const outDir = join(ROOT, 'cdk.out');
  if (!values['skip-synth']) {
    console.log(`Synthesizing ${stackName} with issuer ${idp.issuer} (npx cdk synth)...`);
    const synth = spawnSync(
      'npx',
      ['cdk', 'synth', stackName, '-q', '-o', outDir, '-c', `env=${config.name}`, '-c', `issuerUrl=${idp.issuer}`],
      {
        cwd: ROOT,
        stdio: ['ignore', 'inherit', 'inherit'],
        // aws-cdk-lib's built-in template validation adds ~25 s and CI runs it anyway.
        env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', CDK_VALIDATION: 'false' },
      },
    );
    if (synth.status !== 0) {
      await idp.close();
      throw new Error(`cdk synth failed (exit ${synth.status ?? synth.signal}): see the output above`);
    }
  }
  const gateway = await startGateway({
    cdkOutDir: outDir,
    stackName,
    port: gatewayPort,
    caFile: idp.tlsCertFile,
  }).catch(async (error) => {
    await idp.close();
    throw error;
  });

  const client = idp.demoValues.clients[0];
  const user = idp.demoValues.users[0];
  const cacert = `--cacert ${relative(idp.tlsCertFile)}`;
  const access = (route: (typeof gateway.model.routes)[number]) =>
    route.scopes.length ? ` [${route.scopes.join(' ')}]` : route.authorizer ? ' [token]' : ' [public]';
  const routes = gateway.model.routes.map((route) => `${route.routeKey}${access(route)}`).join(', ');
  const tokenCall = `curl -s ${cacert} -u ${client.clientId}:${client.secret} ${idp.origin}/oauth2/token`;
  console.log(`
Local identity provider (WSO2 IS look-alike): ${idp.origin}
  issuer ${idp.issuer}
  demo client ${client.clientId} / ${client.secret}   demo user ${user.username} / ${user.password}
Local API Gateway (${stackName}): ${gateway.url}
  routes: ${routes}

Try it (the identity provider's certificate is self-signed: trust it with --cacert, or use -k):

  TOKEN=$(${tokenCall} \\
    -d grant_type=client_credentials -d scope="api:access reports:read" \\
    | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')
  curl -i ${gateway.url}/hello -H "Authorization: Bearer $TOKEN"     # 200
  curl -i ${gateway.url}/hello                                       # 401
  curl -i ${gateway.url}/me -H "Authorization: Bearer $TOKEN"        # who API Gateway says you are
  curl -i ${gateway.url}/reports -H "Authorization: Bearer $TOKEN"   # 200 with reports:read, else 403

A user token (password grant):
  ${tokenCall} \\
    -d grant_type=password -d username=${user.username} -d password=${user.password} -d scope="openid reports:read"

One access-log line per request follows. Ctrl-C stops both servers.
`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nStopping the gateway and the identity provider...\n');
    setTimeout(() => process.exit(1), 3000).unref();
    await Promise.allSettled([gateway.close(), idp.close()]);
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function portOption(name: string, value: string | undefined): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`${name} must be an integer from 0 to 65535, got ${JSON.stringify(value)}`);
    process.exit(2);
  }
  return port;
}

function relative(file: string): string {
  return file.startsWith(`${ROOT}/`) ? file.slice(ROOT.length + 1) : file;
}

main().catch((error: unknown) => {
  const known =
    error instanceof ListenError || error instanceof GatewayListenError || error instanceof CloudAssemblyError;
  console.error(`npm start: ${known ? (error as Error).message : ((error as Error).stack ?? String(error))}`);
  process.exit(1);
});
