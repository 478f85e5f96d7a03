import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type ClientRequest, Agent as HttpAgent, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { readCdkJsonContext } from '../../lib/config';
import { loadSigningKey, type SigningKey } from '../../tools/local-idp/signing-key';

const ROOT = join(__dirname, '..', '..');

export interface StartedProcess {
  readonly child: ChildProcess;
  /** The JSON after the `<name> listening` line. */
  readonly ready: Record<string, unknown>;
  /** Every stdout and stderr line so far (access log, warnings). */
  readonly lines: string[];
  /**
   * The next line (from now on) that `matches`: call it before the request whose log line is
   * awaited, so the wait is on the event rather than on a fixed sleep.
   * @param timeoutMs a generous bound, reached only when the line never comes. @default 15_000
   */
  nextLine(matches: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts one of the project's CLIs as a real process and waits for its `listening` line.
 * Output is always drained, so a chatty access log cannot block the process.
 */
export function startCli(
  script: string,
  args: string[],
  readyPrefix: string,
  timeoutMs = 30_000,
): Promise<StartedProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<(line: string) => void>();
  const keep = (line: string) => {
    // Keep memory bounded in long runs: the latest lines are the interesting ones.
    if (lines.length > 20_000) lines.splice(0, 10_000);
    lines.push(line);
    for (const waiter of waiters) waiter(line);
  };
  const nextLine = (matches: (line: string) => boolean, timeoutMs = 15_000): Promise<string> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`${script} printed no matching line within ${timeoutMs} ms:\n${lines.slice(-20).join('\n')}`));
      }, timeoutMs);
      const waiter = (line: string) => {
        if (!matches(line)) return;
        clearTimeout(timer);
        waiters.delete(waiter);
        resolve(line);
      };
      waiters.add(waiter);
    });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not print "${readyPrefix}" within ${timeoutMs} ms:\n${lines.join('\n')}`));
    }, timeoutMs);
    createInterface({ input: child.stderr }).on('line', keep);
    createInterface({ input: child.stdout }).on('line', (line) => {
      keep(line);
      if (line.startsWith(`${readyPrefix} `)) {
        clearTimeout(timer);
        resolve({ child, ready: JSON.parse(line.slice(readyPrefix.length + 1)), lines, nextLine, stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before it was ready:\n${lines.join('\n')}`));
    });
  });
}

/**
 * Synthesizes the real app with `-c issuerUrl=<issuer>` into a fresh folder, the way the CDK
 * CLI runs it (CDK_OUTDIR + CDK_CONTEXT_JSON with cdk.json's context). Calling the app directly
 * takes about 2 s against 7 s through `npx cdk synth`; built-in template validation is off
 * (CI's own `cdk synth` runs it).
 */
export function synthesizeWithIssuer(issuer: string): string {
  return synthesizeApp({ ...readCdkJsonContext(), issuerUrl: issuer });
}

/** `cdk synth` of the real app (bin/app.ts) with this context, into a temp folder the caller removes. */
export function synthesizeApp(context: Record<string, unknown>): string {
  const outDir = mkdtempSync(join(tmpdir(), 'e2e-cdk-out-'));
  const withMetadata = { ...context, 'aws:cdk:enable-asset-metadata': true };
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: {
      ...process.env,
      CDK_OUTDIR: outDir,
      CDK_CONTEXT_JSON: JSON.stringify(withMetadata),
      CDK_VALIDATION: 'false',
    },
  });
  if (result.status !== 0) {
    rmSync(outDir, { recursive: true, force: true });
    throw new Error(`synth failed (${result.status}):\n${result.stderr}`);
  }
  return outDir;
}

export interface LocalStack {
  readonly issuer: string;
  readonly idpOrigin: string;
  readonly gatewayUrl: string;
  readonly caPem: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly signingKey: SigningKey;
  readonly idp: StartedProcess;
  readonly gateway: StartedProcess;
  stop(): Promise<void>;
}

/** Identity provider, synthesized app and gateway, each on an ephemeral loopback port. */
export async function startLocalStack(): Promise<LocalStack> {
  const idp = await startCli('tools/local-idp/cli.ts', ['--port', '0'], 'local-idp listening');
  let outDir: string | undefined;
  try {
    const issuer = String(idp.ready.issuer);
    const caFile = String(idp.ready.tlsCertFile);
    outDir = synthesizeWithIssuer(issuer);
    const gateway = await startCli(
      'tools/local-gateway/cli.ts',
      ['--cdk-out', outDir, '--port', '0', '--ca-file', caFile],
      'local-gateway listening',
    );
    const demo = JSON.parse(readFileSync(join(ROOT, 'tools', 'local-idp', 'demo-values.json'), 'utf8'));
    const dir = outDir;
    return {
      issuer,
      idpOrigin: new URL(issuer).origin,
      gatewayUrl: String(gateway.ready.url),
      caPem: readFileSync(caFile, 'utf8'),
      clientId: String(idp.ready.clientId),
      clientSecret: demo.demoClient.secret,
      signingKey: await loadSigningKey(),
      idp,
      gateway,
      stop: async () => {
        await Promise.all([gateway.stop(), idp.stop()]);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await idp.stop();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
    throw error;
  }
}

export interface SimpleResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** An HTTPS request trusting the given CA (the identity provider's self-signed certificate). */
export function httpsCall(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; ca: string },
): Promise<SimpleResponse> {
  return call(
    httpsRequest(url, { method: options.method ?? 'GET', headers: options.headers, ca: options.ca, agent: false }),
    options.body,
  );
}

/** A client of the local identity provider: its token endpoint and Basic credentials. */
export interface DemoClient {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly secret: string;
}

/** The token endpoint's JSON answer for this client (client credentials unless the form says). */
export async function requestToken(
  client: DemoClient,
  ca: string,
  form: Record<string, string>,
): Promise<Record<string, string>> {
  const basic = Buffer.from(`${client.clientId}:${client.secret}`).toString('base64');
  const response = await httpsCall(client.tokenUrl, {
    method: 'POST',
    ca,
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...form }).toString(),
  });
  if (response.status !== 200) throw new Error(`token endpoint answered ${response.status}: ${response.body}`);
  return JSON.parse(response.body);
}

/** A token from the local stack's identity provider (client credentials unless given). */
export function fetchToken(stack: LocalStack, form: Record<string, string>): Promise<Record<string, string>> {
  const client = { tokenUrl: `${stack.idpOrigin}/oauth2/token`, clientId: stack.clientId, secret: stack.clientSecret };
  return requestToken(client, stack.caPem, form);
}

/** The demo tenant of tools/local-idp/demo-values.json: the second issuer of the dev environment. */
export const DEMO_TENANT = 'partner.example.com';

/** One issuer of the local identity provider with its demo client (WSO2: the issuer is the token URL). */
export interface DemoIssuer extends DemoClient {
  readonly issuer: string;
}

export interface IdpAndBackend {
  readonly idp: StartedProcess;
  readonly backend: StartedProcess;
  /** The identity provider's certificate: its file, and the PEM for HTTPS calls. */
  readonly caFile: string;
  readonly ca: string;
  /** The super tenant's issuer and the demo tenant's. */
  readonly main: DemoIssuer;
  readonly partner: DemoIssuer;
}

/** The local identity provider and the echo backend, on ephemeral loopback ports. */
export async function startIdpAndEchoBackend(): Promise<IdpAndBackend> {
  const idp = await startCli('tools/local-idp/cli.ts', ['--port', '0'], 'local-idp listening');
  const backend = await startCli('tools/local-backend/cli.ts', ['--port', '0'], 'local-backend listening');
  const ready = idp.ready as {
    issuer: string;
    tlsCertFile: string;
    clientId: string;
    tenants: { domain: string; issuer: string; clientId: string }[];
  };
  const demo = JSON.parse(readFileSync(join(ROOT, 'tools', 'local-idp', 'demo-values.json'), 'utf8'));
  const tenant = ready.tenants.find((t) => t.domain === DEMO_TENANT);
  if (!tenant) throw new Error(`the identity provider serves no tenant ${DEMO_TENANT}`);
  const issuer = (url: string, clientId: string, secret: string): DemoIssuer => ({
    issuer: url,
    tokenUrl: url,
    clientId,
    secret,
  });
  return {
    idp,
    backend,
    caFile: ready.tlsCertFile,
    ca: readFileSync(ready.tlsCertFile, 'utf8'),
    main: issuer(ready.issuer, ready.clientId, demo.demoClient.secret),
    partner: issuer(tenant.issuer, tenant.clientId, demo.tenants[0].demoClient.secret),
  };
}

const keepAlive = new HttpAgent({ keepAlive: true, maxSockets: 64 });

/** A plain-HTTP request to the gateway. */
export function httpCall(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    agent?: HttpAgent | false;
  } = {},
): Promise<SimpleResponse> {
  return call(
    httpRequest(url, { method: options.method ?? 'GET', headers: options.headers, agent: options.agent ?? keepAlive }),
    options.body,
  );
}

function call(req: ClientRequest, body: string | Buffer | undefined): Promise<SimpleResponse> {
  return new Promise((resolve, reject) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export function closeHttpAgent(): void {
  keepAlive.destroy();
}

/**
 * Starts the identity provider and the gateway once for the calling test file and stops
 * them after it; `onStarted` receives the running stack.
 */
export function useLocalStack(onStarted: (stack: LocalStack) => void): void {
  let started: LocalStack | undefined;
  beforeAll(async () => {
    started = await startLocalStack();
    onStarted(started);
  }, 90_000);
  afterAll(async () => {
    closeHttpAgent();
    await started?.stop();
  });
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Claims of a valid WSO2-shaped user access token from this stack's issuer, for its demo client. */
export function accessTokenClaims(stack: LocalStack, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = nowSeconds();
  return {
    iss: stack.issuer,
    sub: 'alice',
    aut: 'APPLICATION_USER',
    aud: stack.clientId,
    azp: stack.clientId,
    client_id: stack.clientId,
    scope: 'api:access',
    iat: now - 5,
    nbf: now - 5,
    exp: now + 600,
    jti: 'e2e',
    ...extra,
  };
}
