/**
 * Item 6: the local gateway of issue 3 on loopback: requests/s and p50/p99 latency for a
 * valid-token route (verify + invoke), a 401 (no token) and a public route, each a bounded
 * closed-loop run at a fixed concurrency, repeated and reported as the median run.
 *
 * Interface: a gateway already listening (`--gateway-url <base>` plus `--token <jwt>` for the
 * valid-token route), or the project's own `local-gateway/` once issue 3 is merged (see
 * startLocalStack). Without either the rows are "skipped" with the reason, never a number.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { load, type LoadResult } from '../support/loadgen';
import { log, ms, summarize, timeProcessOk } from '../support/measure';
import { childEnv, ROOT, tempDir } from '../support/project';
import type { Row } from '../support/report';
import { TYPESCRIPT_NODE_ARGS } from '../../cli/node-args';

export interface GatewayTarget {
  readonly baseUrl: string;
  /** The same API with functions in the gateway's own process, for comparison (local stack only). */
  readonly inProcessBaseUrl?: string;
  readonly token: string;
  readonly insecure: boolean;
  readonly stop: () => Promise<void>;
}

export interface GatewayOptions {
  readonly gatewayUrl?: string;
  readonly token?: string;
  readonly runs: number;
  readonly concurrency: number;
  readonly maxRequests: number;
  readonly maxSeconds: number;
}

const CASES = [
  { name: 'valid token, GET /hello (verify + invoke)', path: '/hello', auth: true, status: 200, goal: true },
  { name: 'no token, GET /hello (401)', path: '/hello', auth: false, status: 401, goal: false },
  { name: 'public route, GET /health', path: '/health', auth: false, status: 200, goal: false },
] as const;

const STACK = 'Wso2JwtHttpApi-dev';
const GOAL_RPS = 2000;
const GOAL_P99_MS = 10;

function skipped(reason: string): Row[] {
  return CASES.map((c) => ({
    item: '6',
    measure: `local gateway: ${c.name}`,
    result: 'skipped',
    spread: '',
    goal: c.goal ? `≥ ${GOAL_RPS.toLocaleString('en')} rps, p99 < ${GOAL_P99_MS} ms` : '',
    verdict: 'skipped' as const,
    note: reason,
  }));
}

/** Starts a tsx CLI and waits for its `<name> listening {json}` line (issue 3's convention). */
function startListening(
  name: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
): Promise<{ child: ChildProcess; info: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...TYPESCRIPT_NODE_ARGS, ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => fail(`no "${name} listening" line within ${timeoutMs / 1000} s`), timeoutMs);
    const fail = (reason: string) => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(new Error(`${name}: ${reason}; output: ${output.trim().split('\n').slice(-3).join(' / ')}`));
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = new RegExp(`${name} listening (\\{.*\\})`).exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout?.removeAllListeners('data');
        child.stdout?.resume();
        child.stderr?.resume();
        resolve({ child, info: JSON.parse(match[1]) as Record<string, unknown> });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => fail(`exited with ${code} before listening`));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });
}

/** client_credentials token from the local identity provider (demo client of local-idp/demo-values.json). */
async function fetchToken(issuer: string, clientId: string, caFile: string): Promise<string> {
  const demo = JSON.parse(readFileSync(join(ROOT, 'tools', 'local-idp', 'demo-values.json'), 'utf8')) as {
    demoClient: { secret: string };
  };
  const body = new URLSearchParams({ grant_type: 'client_credentials', scope: 'api:access reports:read' }).toString();
  // The issuer is <origin>/oauth2/token, which is also the token endpoint (WSO2's layout).
  const url = new URL(issuer);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method: 'POST',
        ca: readFileSync(caFile),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${clientId}:${demo.demoClient.secret}`).toString('base64')}`,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          const token = (JSON.parse(text) as { access_token?: string }).access_token;
          if (res.statusCode === 200 && token) resolve(token);
          else reject(new Error(`token endpoint answered ${res.statusCode}: ${text.slice(0, 200)}`));
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Starts issue 3's identity provider and gateway through their CLIs, as `npm start` does:
 * `local-idp/cli.ts --port 0` prints `local-idp listening {issuer, port, tlsCertFile, clientId}`;
 * dev is synthesized with `-c issuerUrl=<issuer>` (validation off, as npm start does: only the
 * asset and template are read); `local-gateway/cli.ts --cdk-out --stack --port 0 --ca-file`
 * prints `local-gateway listening {url, port, stack, routes}`. The access log is off
 * (`--no-access-log`) so the terminal, not the gateway, is not what gets measured.
 * A string is the reason it could not start.
 */
async function startLocalStack(): Promise<GatewayTarget | string> {
  if (!existsSync(join(ROOT, 'tools', 'local-gateway', 'cli.ts'))) {
    return (
      'the local gateway of issue 3 (branch issue3-local) is not in this checkout yet; ' +
      're-run after merging it, or point the bench at a running gateway with --gateway-url and --token'
    );
  }
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const child of children.reverse()) await stopChild(child);
  };
  try {
    const idp = await startListening(
      'local-idp',
      ['tools/local-idp/cli.ts', '--port', '0', '--cert-dir', tempDir('idp-certs')],
      childEnv(),
    );
    children.push(idp.child);
    const issuer = String(idp.info.issuer);
    const caFile = String(idp.info.tlsCertFile);
    const cdkOut = tempDir('gateway-cdk-out');
    await timeProcessOk('npx', ['cdk', 'synth', STACK, '-q', '-c', `issuerUrl=${issuer}`, '-o', cdkOut], {
      cwd: ROOT,
      env: childEnv({ CDK_VALIDATION: 'false' }),
    });
    const gatewayArgs = [
      'tools/local-gateway/cli.ts',
      '--cdk-out',
      cdkOut,
      '--stack',
      STACK,
      '--port',
      '0',
      '--ca-file',
      caFile,
      '--no-access-log',
    ];
    const gateway = await startListening('local-gateway', gatewayArgs, childEnv());
    children.push(gateway.child);
    const inProcess = await startListening('local-gateway', [...gatewayArgs, '--in-process'], childEnv());
    children.push(inProcess.child);
    const baseUrl = String(gateway.info.url).replace(/\/$/, '');
    const inProcessBaseUrl = String(inProcess.info.url).replace(/\/$/, '');
    const token = await fetchToken(issuer, String(idp.info.clientId), caFile);
    return { baseUrl, inProcessBaseUrl, token, insecure: false, stop };
  } catch (error) {
    await stop();
    return `could not start issue 3's local stack: ${(error as Error).message}`;
  }
}

export async function benchGateway(options: GatewayOptions): Promise<Row[]> {
  let target: GatewayTarget | string;
  if (options.gatewayUrl) {
    if (!options.token) return skipped('--gateway-url given without --token for the valid-token route');
    target = {
      baseUrl: options.gatewayUrl.replace(/\/$/, ''),
      token: options.token,
      insecure: true,
      stop: async () => {},
    };
  } else {
    target = await startLocalStack();
  }
  if (typeof target === 'string') {
    log(`gateway: skipped: ${target}`);
    return skipped(target);
  }
  const rows: Row[] = [];
  const cases: { readonly c: (typeof CASES)[number]; readonly baseUrl: string; readonly label: string }[] = CASES.map(
    (c) => ({ c, baseUrl: target.baseUrl, label: c.name }),
  );
  if (target.inProcessBaseUrl) {
    // The same route with the function in the gateway's own process: what isolation costs.
    cases.splice(1, 0, {
      c: CASES[0],
      baseUrl: target.inProcessBaseUrl,
      label: `${CASES[0].name}, in-process runtime`,
    });
    cases[0] = { ...cases[0], label: `${CASES[0].name}, isolated runtime` };
  }
  try {
    for (const { c, baseUrl, label } of cases) {
      const results: LoadResult[] = [];
      for (let run = 0; run < options.runs; run += 1) {
        results.push(
          await load({
            url: `${baseUrl}${c.path}`,
            headers: c.auth ? { authorization: `Bearer ${target.token}` } : {},
            concurrency: options.concurrency,
            maxRequests: options.maxRequests,
            maxSeconds: options.maxSeconds,
            warmup: 200,
            insecure: target.insecure,
          }),
        );
      }
      const rps = summarize(results.map((r) => r.rps));
      const median = [...results].sort((a, b) => a.rps - b.rps)[Math.floor(results.length / 2)];
      const wrong = results.reduce((sum, r) => sum + r.requests - (r.statuses[String(c.status)] ?? 0), 0);
      log(`gateway ${label}: ${rps.median.toFixed(0)} rps, p50 ${ms(median.latencyMs.median)}, p99 ${ms(median.p99)}`);
      const met = rps.median >= GOAL_RPS && median.p99 < GOAL_P99_MS;
      rows.push({
        item: '6',
        measure: `local gateway: ${label}`,
        result: `${rps.median.toFixed(0)} rps, p50 ${ms(median.latencyMs.median)}, p99 ${ms(median.p99)}`,
        spread:
          `rps ${rps.min.toFixed(0)}–${rps.max.toFixed(0)}, n=${rps.n} runs of ≤ ${options.maxRequests} ` +
          `requests / ${options.maxSeconds} s`,
        goal:
          c.goal && baseUrl === target.baseUrl ? `≥ ${GOAL_RPS.toLocaleString('en')} rps, p99 < ${GOAL_P99_MS} ms` : '',
        verdict: c.goal && baseUrl === target.baseUrl ? (met ? 'met' : 'missed') : 'info',
        note: `concurrency ${options.concurrency}, keep-alive, loopback; ${wrong} answers other than ${c.status}`,
        data: results,
      });
    }
  } finally {
    await target.stop();
  }
  return rows;
}
