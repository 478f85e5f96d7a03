/**
 * Item 6: the local gateway of issue 3 on loopback: requests/s and p50/p99 latency for a
 * valid-token route (verify + invoke), a 401 (no token) and a public route, each a bounded
 * closed-loop run at a fixed concurrency, repeated and reported as the median run.
 *
 * Interface: a gateway already listening (`--gateway-url <base>` plus `--token <jwt>` for the
 * valid-token route), or the project's own `local-gateway/` once issue 3 is merged (see
 * startLocalStack). Without either the rows are "skipped" with the reason, never a number.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { load, type LoadResult } from '../lib/loadgen';
import { log, ms, summarize } from '../lib/measure';
import { ROOT } from '../lib/project';
import type { Row } from '../lib/report';

export interface GatewayTarget {
  readonly baseUrl: string;
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

/** Starts issue 3's identity provider and gateway; undefined (with a reason) when it cannot. */
async function startLocalStack(): Promise<GatewayTarget | string> {
  if (!existsSync(join(ROOT, 'local-gateway'))) {
    return 'the local gateway (issue 3, branch issue3-local) is not in this checkout yet; ' +
      'run again after it is merged, or point the bench at a running one with --gateway-url and --token';
  }
  return 'local-gateway/ exists but this bench does not know how to start it yet: pass --gateway-url and --token';
}

export async function benchGateway(options: GatewayOptions): Promise<Row[]> {
  let target: GatewayTarget | string;
  if (options.gatewayUrl) {
    if (!options.token) return skipped('--gateway-url given without --token for the valid-token route');
    target = { baseUrl: options.gatewayUrl.replace(/\/$/, ''), token: options.token, insecure: true, stop: async () => {} };
  } else {
    target = await startLocalStack();
  }
  if (typeof target === 'string') {
    log(`gateway: skipped: ${target}`);
    return skipped(target);
  }
  const rows: Row[] = [];
  try {
    for (const c of CASES) {
      const results: LoadResult[] = [];
      for (let run = 0; run < options.runs; run += 1) {
        results.push(
          await load({
            url: `${target.baseUrl}${c.path}`,
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
      log(`gateway ${c.name}: ${rps.median.toFixed(0)} rps, p50 ${ms(median.latencyMs.median)}, p99 ${ms(median.p99)}`);
      const met = rps.median >= GOAL_RPS && median.p99 < GOAL_P99_MS;
      rows.push({
        item: '6',
        measure: `local gateway: ${c.name}`,
        result: `${rps.median.toFixed(0)} rps, p50 ${ms(median.latencyMs.median)}, p99 ${ms(median.p99)}`,
        spread: `rps ${rps.min.toFixed(0)}–${rps.max.toFixed(0)}, n=${rps.n} runs of ≤ ${options.maxRequests} requests / ${options.maxSeconds} s`,
        goal: c.goal ? `≥ ${GOAL_RPS.toLocaleString('en')} rps, p99 < ${GOAL_P99_MS} ms` : '',
        verdict: c.goal ? (met ? 'met' : 'missed') : 'info',
        note: `concurrency ${options.concurrency}, keep-alive, loopback; ${wrong} answers other than ${c.status}`,
        data: results,
      });
    }
  } finally {
    await target.stop();
  }
  return rows;
}
