/**
 * What the jest global setup starts once per run for the end-to-end tests, instead of once per
 * test file: the local identity provider and the echo backend (in the setup's own process, on
 * ephemeral loopback ports) and the real app synthesized against them, bundled, as
 * `cdk synth -c issuerUrl=... -c issuerUrl.partner=...` with the dev environment's `legacy` HTTP
 * target pointed at the echo backend. Each test file starts its own gateway on that assembly (its
 * log lines are its own); a test that needs another identity provider starts its own, and one
 * that needs another issuer in the template takes a copy (assemblyWithIssuer in local-stack.ts).
 * The synth goes on while the first test files run (sharedAssembly waits for it). The global
 * teardown stops them.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NAG_CHECKS_KEY, readCdkJsonContext } from '../../lib/config';
import { startEchoBackend } from '../../tools/local-backend/server';
import { type RunningIdentityProvider, startIdentityProvider } from '../../tools/local-idp/server';
import { sharedDir } from './run-temp';
import { startSharedChild } from './shared-child';
import { waitForFile } from './wait-for-file';
import { TYPESCRIPT_NODE_ARGS } from '../../tools/cli/node-args';

const ROOT = join(__dirname, '..', '..');
const ENVIRONMENTS = 'wso2-jwt-http-api:environments';
const FILE = 'services.json';

/**
 * The test files that use the shared services: the global setup starts them only when the run
 * can include one (`npx jest test/rules` does not pay for an identity provider and a synth).
 * test/architecture.test.ts checks this list against the files that import these helpers.
 */
export const SHARED_SERVICES_USERS = [
  'test/e2e/authorizer-flow.test.ts',
  'test/e2e/local-idp-and-issuer-outage.test.ts',
  'test/e2e/robustness.test.ts',
  'test/e2e/targets-cdk-shapes.test.ts',
  'test/e2e/targets.test.ts',
  'test/fuzz/gateway.fuzz.test.ts',
] as const;

/** The demo tenant of tools/local-idp/demo-values.json: the second issuer of the dev environment. */
export const DEMO_TENANT = 'partner.example.com';

/** A client of the local identity provider: its token endpoint and Basic credentials. */
export interface DemoClient {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly secret: string;
}

/** One issuer of the local identity provider with its demo client (WSO2: the issuer is the token URL). */
export interface DemoIssuer extends DemoClient {
  readonly issuer: string;
}

export interface SharedServices {
  readonly idpOrigin: string;
  /** The identity provider's self-signed certificate (the gateway's --ca-file). */
  readonly caFile: string;
  /** The super tenant (the dev environment's default issuer) and the demo tenant (`partner`). */
  readonly main: DemoIssuer;
  readonly partner: DemoIssuer;
  readonly backendUrl: string;
}

/** The context `cdk synth` gets for the shared assembly: cdk.json's, pointed at these services. */
export function sharedAppContext(main: DemoIssuer, partner: DemoIssuer, backendUrl: string): Record<string, unknown> {
  const context = readCdkJsonContext() as Record<string, Record<string, Record<string, unknown>>>;
  const dev = context[ENVIRONMENTS].dev as { httpTargets: Record<string, Record<string, unknown>> };
  dev.httpTargets.legacy = { ...dev.httpTargets.legacy, url: backendUrl };
  return { ...context, issuerUrl: main.issuer, 'issuerUrl.partner': partner.issuer };
}

/** The app synthesized against these services, with its functions bundled: read it through sharedAssembly. */
const ASSEMBLY_DIR = 'e2e-cdk.out';
/** Written beside services.json when the shared assembly's synth has finished, or has failed (its error). */
const ASSEMBLY_READY = 'e2e-cdk.out.ready';
const ASSEMBLY_FAILED = 'e2e-cdk.out.failed';
const ASSEMBLY_LOG = 'e2e-cdk.out.log';

/**
 * The shared assembly's folder, once its synth (started by the global setup, about 2 s) has
 * written it; the synth's error if it failed. Waits on the folder's events, not on a timer. The
 * bound is below the callers' hooks' (60 s), so a hang is reported by this message, not jest's.
 */
export async function sharedAssembly(timeoutMs = 50_000): Promise<string> {
  sharedServices(); // names the missing setup when this file is not in SHARED_SERVICES_USERS
  const dir = sharedDir();
  const cdkOut = join(dir, ASSEMBLY_DIR);
  const found = await waitForFile(dir, [ASSEMBLY_READY, ASSEMBLY_FAILED], timeoutMs).catch((error: Error) => {
    throw new Error(`the shared assembly ${cdkOut}: ${error.message}`);
  });
  if (found === ASSEMBLY_FAILED) {
    throw new Error(`the shared assembly's synth ${readFileSync(join(dir, found), 'utf8')}`);
  }
  return cdkOut;
}

/** The services the global setup started (jest's workers read them from the run's shared folder). */
export function sharedServices(): SharedServices {
  const file = join(sharedDir(), FILE);
  if (!existsSync(file)) {
    throw new Error(
      `the global setup started no shared services (${file} is missing): add this test file to ` +
        'SHARED_SERVICES_USERS in test/support/shared-services.ts',
    );
  }
  return JSON.parse(readFileSync(file, 'utf8')) as SharedServices;
}

/**
 * How the CDK CLI runs the real app (bin/app.ts) for `cdk synth` with this context into `outDir`:
 * CDK_OUTDIR and CDK_CONTEXT_JSON, with asset metadata (the local gateway finds the bundles by it).
 */
function appSynthCommand(
  context: Record<string, unknown>,
  outDir: string,
): { args: string[]; cwd: string; env: NodeJS.ProcessEnv } {
  // As npm start synthesizes: asset metadata on, cdk-nag off (its subject is test/lib/nag.test.ts).
  const withMetadata = { ...context, 'aws:cdk:enable-asset-metadata': true, [NAG_CHECKS_KEY]: false };
  return {
    args: [...TYPESCRIPT_NODE_ARGS, 'bin/app.ts'],
    cwd: ROOT,
    env: {
      ...process.env,
      CDK_OUTDIR: outDir,
      CDK_CONTEXT_JSON: JSON.stringify(withMetadata),
      CDK_VALIDATION: 'false',
    },
  };
}

function demoIssuer(issuer: string, client: { clientId: string; secret: string }): DemoIssuer {
  return { issuer, tokenUrl: issuer, clientId: client.clientId, secret: client.secret };
}

/**
 * Global setup only: starts the services and the synth of the shared assembly, which goes on while
 * the first test files run (the ones that need it wait for it: sharedAssembly). `close` stops the
 * servers and a synth still running. Nothing is left running when this throws.
 */
export async function startSharedServices(): Promise<{ close(): Promise<void> }> {
  const idp: RunningIdentityProvider = await startIdentityProvider({ port: 0, host: '127.0.0.1' });
  const backend = await startEchoBackend({ port: 0, host: '127.0.0.1' }).catch(async (error) => {
    await idp.close();
    throw error;
  });
  let synth: { close(): Promise<void> } | undefined;
  const close = async () => {
    // Gone before the teardown removes the folder it writes into (a short run ends mid-synth).
    await synth?.close();
    await Promise.all([idp.close(), backend.close()]);
  };
  try {
    const tenant = idp.tenants.find((t) => t.domain === DEMO_TENANT);
    if (!tenant) throw new Error(`the identity provider serves no tenant ${DEMO_TENANT}`);
    const main = demoIssuer(idp.issuer, idp.demoValues.clients[0]);
    const partner = demoIssuer(tenant.issuer, tenant.demoValues.clients[0]);
    const cdkOut = join(sharedDir(), ASSEMBLY_DIR);
    mkdirSync(cdkOut);
    const services: SharedServices = {
      idpOrigin: idp.origin,
      caFile: idp.tlsCertFile,
      main,
      partner,
      backendUrl: backend.url,
    };
    writeFileSync(join(sharedDir(), FILE), JSON.stringify(services));
    // Built-in template validation and cdk-nag are off (the snapshot and nag tests run them; CI's
    // own `cdk synth` too). The test files wait for its outcome (sharedAssembly).
    synth = startSharedChild({
      ...appSynthCommand(sharedAppContext(main, partner, backend.url), cdkOut),
      log: ASSEMBLY_LOG,
      ready: ASSEMBLY_READY,
      failed: ASSEMBLY_FAILED,
      timeoutMs: 120_000,
    });
    return { close };
  } catch (error) {
    await close();
    throw error;
  }
}
