/**
 * A small closed-loop HTTP load generator for loopback: a fixed number of keep-alive
 * connections, each sending its next request when the previous answer arrived, until a
 * request count or a time limit is reached (whichever comes first).
 */
import { Agent, request } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { summarize, type Summary } from './measure';

export interface LoadOptions {
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly concurrency: number;
  readonly maxRequests: number;
  readonly maxSeconds: number;
  /** Unmeasured requests first, so the JIT and the server's caches are warm. */
  readonly warmup?: number;
  /** Self-signed local certificates. */
  readonly insecure?: boolean;
}

export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  readonly latencyMs: Summary;
  readonly p99: number;
  readonly statuses: Record<string, number>;
  readonly errors: number;
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  const https = url.protocol === 'https:';
  const agent = https
    ? new HttpsAgent({ keepAlive: true, maxSockets: options.concurrency, rejectUnauthorized: !options.insecure })
    : new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const send = (): Promise<number> =>
    new Promise((resolve) => {
      const req = (https ? httpsRequest : request)(url, { agent, headers: options.headers, method: 'GET' }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', () => resolve(-1));
      req.end();
    });
  for (let i = 0; i < (options.warmup ?? 0); i += 1) await send();

  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let issued = 0;
  let errors = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(options.maxSeconds * 1e9));
  const worker = async () => {
    while (issued < options.maxRequests && process.hrtime.bigint() < deadline) {
      issued += 1;
      const t0 = process.hrtime.bigint();
      const status = await send();
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (status < 0) errors += 1;
      statuses[String(status)] = (statuses[String(status)] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    requests: latencies.length,
    seconds,
    rps: latencies.length / seconds,
    latencyMs: summarize(sorted),
    p99: percentile(sorted, 0.99),
    statuses,
    errors,
  };
}
