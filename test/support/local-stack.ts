import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type ClientRequest, Agent as HttpAgent, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createSecureContext, type SecureContext } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { loadSigningKey, type SigningKey } from '../../tools/local-idp/signing-key';
import { type DemoClient, type DemoIssuer, sharedAssembly, sharedServices } from './shared-services';
import { TYPESCRIPT_NODE_ARGS } from '../../tools/cli/node-args';

export { DEMO_TENANT, type DemoClient, type DemoIssuer } from './shared-services';

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
  /**
   * A line that `matches`, printed already or still to come: for output that may arrive after the
   * ready line (stderr and stdout are separate pipes, so their lines come in no fixed order).
   * @param timeoutMs a generous bound, reached only when the line never comes. @default 15_000
   */
  line(matches: (line: string) => boolean, timeoutMs?: number): Promise<string>;
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
  const child = spawn(process.execPath, [...TYPESCRIPT_NODE_ARGS, script, ...args], {
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
  const lineOf = (matches: (line: string) => boolean, timeoutMs?: number): Promise<string> => {
    const found = lines.find(matches);
    return found !== undefined ? Promise.resolve(found) : nextLine(matches, timeoutMs);
  };
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
        resolve({ child, ready: JSON.parse(line.slice(readyPrefix.length + 1)), lines, nextLine, line: lineOf, stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before it was ready:\n${lines.join('\n')}`));
    });
  });
}

/**
 * The run's shared assembly (the real app, synthesized and bundled: shared-services.ts) with its
 * default issuer replaced by `issuer` wherever the template names it, in a fresh folder the caller
 * removes: what `cdk synth -c issuerUrl=<issuer>` writes, without another synth and bundling.
 */
export async function assemblyWithIssuer(issuer: string): Promise<string> {
  const source = await sharedAssembly();
  const { main } = sharedServices();
  const outDir = mkdtempSync(join(tmpdir(), 'e2e-cdk-out-'));
  cpSync(source, outDir, { recursive: true });
  let replaced = 0;
  for (const file of readdirSync(outDir).filter((name) => name.endsWith('.template.json'))) {
    const path = join(outDir, file);
    const template = readFileSync(path, 'utf8');
    replaced += template.split(main.issuer).length - 1;
    writeFileSync(path, template.replaceAll(main.issuer, issuer));
  }
  if (replaced === 0) {
    rmSync(outDir, { recursive: true, force: true });
    throw new Error(`no template in ${source} names the issuer ${main.issuer}`);
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
  readonly gateway: StartedProcess;
  stop(): Promise<void>;
}

/**
 * `npm run gateway` as a real process on an ephemeral loopback port, serving `cdkOut`.
 * @param caFile a CA to trust when fetching the issuers' keys (the local identity provider's)
 */
export function startGatewayCli(cdkOut: string, caFile?: string): Promise<StartedProcess> {
  const ca = caFile === undefined ? [] : ['--ca-file', caFile];
  return startCli('tools/local-gateway/cli.ts', ['--cdk-out', cdkOut, '--port', '0', ...ca], 'local-gateway listening');
}

/**
 * A gateway of the calling test file's own, on an ephemeral loopback port, in front of the run's
 * shared identity provider and assembly (shared-services.ts).
 */
export async function startLocalStack(): Promise<LocalStack> {
  const services = sharedServices();
  const gateway = await startGatewayCli(await sharedAssembly(), services.caFile);
  return {
    issuer: services.main.issuer,
    idpOrigin: services.idpOrigin,
    gatewayUrl: String(gateway.ready.url),
    caPem: readFileSync(services.caFile, 'utf8'),
    clientId: services.main.clientId,
    clientSecret: services.main.secret,
    signingKey: await loadSigningKey(),
    gateway,
    stop: () => gateway.stop(),
  };
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
  const secureContext = trusting(options.ca);
  return call(
    httpsRequest(url, {
      method: options.method ?? 'GET',
      headers: options.headers,
      agent: false,
      // https.request hands TLS options to tls.connect, whose secureContext its typings omit.
      ...({ secureContext } as Record<string, unknown>),
    }),
    options.body,
  );
}

const secureContexts = new Map<string, SecureContext>();

/**
 * One TLS context per CA: building one parses the PEM and costs about a millisecond, which a
 * thousand concurrent connections would otherwise pay a thousand times. Each call still opens
 * its own connection (agent: false).
 */
function trusting(ca: string): SecureContext {
  let context = secureContexts.get(ca);
  if (!context) {
    context = createSecureContext({ ca });
    secureContexts.set(ca, context);
  }
  return context;
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

export interface IdpAndBackend {
  /** The identity provider's certificate: its file, and the PEM for HTTPS calls. */
  readonly caFile: string;
  readonly ca: string;
  /** The super tenant's issuer and the demo tenant's. */
  readonly main: DemoIssuer;
  readonly partner: DemoIssuer;
  readonly backendUrl: string;
}

/** The run's shared identity provider and echo backend (shared-services.ts). */
export function sharedIdpAndBackend(): IdpAndBackend {
  const { caFile, main, partner, backendUrl } = sharedServices();
  return { caFile, ca: readFileSync(caFile, 'utf8'), main, partner, backendUrl };
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
 * Starts a gateway for the calling test file (in front of the run's shared identity provider and
 * assembly) and stops it after the file; `onStarted` receives the running stack.
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
