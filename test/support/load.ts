/**
 * How hard the robustness test pushes. `npm test` runs a bounded load that still opens a
 * thousand concurrent connections to the gateway; `npm run fuzz` (ROBUSTNESS_LOAD=full) runs
 * the full one of issue 3: a thousand concurrent connections to each server and 10,000 mixed requests.
 * The assertions are the same at both sizes; only the number of requests changes.
 */
export interface LoadSize {
  /** Concurrent connections to the gateway, and to the identity provider (TLS). */
  readonly gatewayConnections: number;
  readonly idpConnections: number;
  /** Mixed requests over keep-alive connections; the gateway's memory is read after `baselineAfter`. */
  readonly mixedRequests: number;
  readonly baselineAfter: number;
}

const BOUNDED: LoadSize = { gatewayConnections: 1000, idpConnections: 200, mixedRequests: 3000, baselineAfter: 1000 };
const FULL: LoadSize = { gatewayConnections: 1000, idpConnections: 1000, mixedRequests: 10_000, baselineAfter: 2000 };

export function loadSize(env: NodeJS.ProcessEnv = process.env): LoadSize {
  const value = env.ROBUSTNESS_LOAD ?? 'bounded';
  if (value === 'bounded') return BOUNDED;
  if (value === 'full') return FULL;
  throw new Error(
    `ROBUSTNESS_LOAD must be "bounded" (npm test) or "full" (npm run fuzz), got ${JSON.stringify(value)}`,
  );
}
