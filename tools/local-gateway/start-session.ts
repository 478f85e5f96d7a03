/**
 * What `npm start` does once its flags are read (tools/local-gateway/start.ts): synthesize the
 * stack into a folder of its own (never cdk.out), start the local identity provider, then the
 * gateway in front of the synthesized API, print commands to try it, and reload what changes.
 * Ctrl-C stops everything.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { contextReaderFor, loadEnvironmentConfig, stackNameFor } from '../../lib/config';
import { ToolError } from '../cli/cli';
import type { FlagValues } from '../cli/command-line';
import type { START_COMMAND } from '../cli/commands';
import { ListenError, type RunningIdentityProvider, startIdentityProvider } from '../local-idp/server';
import { startDemoBackends, targetCurlLines, withLocalTenantIssuers } from './demo-targets';
import { Reloader } from './reload';
import { type RunningGateway, startGateway } from './server';
import { synthesize } from './synth';
import { watchSources } from './watch';

const ROOT = join(__dirname, '..', '..');

/** A start-up failure whose message says everything: printed without a stack trace. */
class StartError extends ToolError {}

export async function runStart(values: FlagValues<(typeof START_COMMAND)['flags']>): Promise<void> {
  const outDir = values['out-dir'];

  // The identity provider first: its port decides the issuer the stack is synthesized with.
  const idp = await startIdentityProvider({ port: values['idp-port'], host: values.host }).catch((error) => {
    throw error instanceof ListenError && error.code === 'EADDRINUSE'
      ? new StartError(
          `port ${values['idp-port']} (the identity provider's) is already in use: ` +
            'stop what runs there or pick another port with --idp-port',
        )
      : error;
  });
  let gateway: RunningGateway | undefined;
  let backends: Awaited<ReturnType<typeof startDemoBackends>> | undefined;
  try {
    // The local identity provider's tenants are issuers too: they follow its port like the default one.
    const context = withLocalTenantIssuers({ ...values.context, issuerUrl: idp.issuer }, idp.tenants);
    const config = loadEnvironmentConfig(contextReaderFor(context)).config;
    const stackName = stackNameFor(config.name);
    const synthRequest = { root: ROOT, context, stackName, outDir };
    if (!values['skip-synth']) {
      const started = performance.now();
      console.log(`Synthesizing ${stackName} with issuer ${idp.issuer} into ${outDir}...`);
      const outcome = await synthesize(synthRequest);
      if (!outcome.ok) throw new StartError(`${outcome.error}\n${outDir} was left as it was.`);
      console.log(`Synthesized in ${Math.round(performance.now() - started)} ms.`);
    } else if (!existsSync(join(outDir, 'manifest.json'))) {
      throw new StartError(`--skip-synth: ${outDir} holds no synthesis yet; start once without --skip-synth`);
    }
    gateway = await startGateway({
      cdkOutDir: outDir,
      stackName,
      host: values.host,
      port: values.port,
      caFile: idp.tlsCertFile,
      runtimesPerFunction: values['runtimes-per-function'],
    });
    backends = await startDemoBackends(gateway.model, (message) => console.error(message));
    const issuers = [idp, ...idp.tenants].map(({ issuer, demoValues }) => ({
      issuer,
      clientId: demoValues.clients[0].clientId,
      secret: demoValues.clients[0].secret,
    }));
    const targets = targetCurlLines(gateway.model, gateway.url, issuers, {
      cacert: `--cacert ${idp.tlsCertFile}`,
      sharedRouteKey: 'GET /hello',
    });
    printBanner(idp, gateway, stackName, !values['no-watch'], {
      backends: backends.backends.map((backend) => backend.url),
      lines: targets,
    });
    const demoBackends = backends;
    const running = gateway;
    const reloader = values['no-watch']
      ? undefined
      : new Reloader({
          ...synthRequest,
          gateway: running,
          bundleDir: join(dirname(outDir), 'bundles'),
          print: (text) => process.stdout.write(text),
        });
    const watcher = reloader && watchSources(ROOT, (paths) => void reloader.changed(paths));
    // Last: once this line is out, an edit is seen (tests and the bench wait for it).
    console.log(
      `npm-start ready ${JSON.stringify({ gateway: running.url, issuer: idp.issuer, cacert: idp.tlsCertFile })}`,
    );
    stopOnSignals(async () => {
      watcher?.close();
      reloader?.close();
      await Promise.allSettled([running.close(), idp.close(), demoBackends.close()]);
    });
  } catch (error) {
    await Promise.allSettled([gateway?.close(), idp.close(), backends?.close()]);
    throw error;
  }
}

function printBanner(
  idp: RunningIdentityProvider,
  gateway: RunningGateway,
  stackName: string,
  watching: boolean,
  targets: { readonly backends: readonly string[]; readonly lines: readonly string[] },
) {
  const client = idp.demoValues.clients[0];
  const user = idp.demoValues.users[0];
  // Absolute: the printed commands work from any folder.
  const cacert = `--cacert ${idp.tlsCertFile}`;
  const routes = gateway.model.routes
    .map((route) => {
      const access = route.scopes.length ? ` [${route.scopes.join(' ')}]` : route.authorizer ? ' [token]' : ' [public]';
      return `${route.routeKey}${access}`;
    })
    .join(', ');
  const tokenCommand =
    `curl -s ${cacert} -u ${client.clientId}:${client.secret} ${idp.origin}/oauth2/token ` +
    '-d grant_type=client_credentials -d scope="api:access reports:read"';
  const echoBackends = targets.backends.join(', ') || 'none';
  const reloadNote = watching ? ' Edits to lambda/, rules/, lib/, bin/ and cdk.json reload by themselves.' : '';
  console.log(`
Local identity provider (WSO2 IS look-alike): ${idp.origin}
  issuer ${idp.issuer}
  demo client ${client.clientId} / ${client.secret}   demo user ${user.username} / ${user.password}
Local API Gateway (${stackName}): ${gateway.url}
  routes: ${routes}

Try it (the identity provider's certificate is self-signed: trust it with --cacert, or use -k):

  TOKEN=$(${tokenCommand} | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')
  curl -i ${gateway.url}/hello -H "Authorization: Bearer $TOKEN"     # 200
  curl -i ${gateway.url}/hello                                       # 401
  curl -i ${gateway.url}/me -H "Authorization: Bearer $TOKEN"        # who API Gateway says you are
  curl -i ${gateway.url}/reports -H "Authorization: Bearer $TOKEN"   # 200 with reports:read, else 403

Route targets (functions of their own, an HTTP backend, a second issuer; echo backend: ${echoBackends}):

${targets.lines.join('\n')}

A user token (password grant): curl -s ${cacert} -u ${client.clientId}:${client.secret} ${idp.origin}/oauth2/token \\
  -d grant_type=password -d username=${user.username} -d password=${user.password} -d scope="openid reports:read"

One access-log line per request follows, each function's log lines under it.${reloadNote}
Ctrl-C stops everything.
`);
}

function stopOnSignals(stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = async () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nStopping the gateway and the identity provider...\n');
    setTimeout(() => process.exit(1), 3000).unref();
    await stop();
    process.exit(0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
