/**
 * One bounded retry of a discovery or JWKS fetch that failed to connect or answered 5xx: a
 * single blip of the issuer should not fail a deploy. Each attempt keeps API Gateway's own
 * 1500 ms limit, so a retry never makes a slow issuer pass; timeouts, 4xx, bad JSON and
 * oversize answers are not retried (they would fail again, and API Gateway does not retry).
 */
import type { FetchOutcome, IssuerNet } from '../../rules/issuer/net';

/** Pause before the one retry: long enough for a restarting node, short for the deploy. */
export const RETRY_DELAY_MS = 300;

export interface RetriedFetch {
  readonly url: string;
  /** What the first attempt got, e.g. `... answered HTTP 503, expected 200`. */
  readonly firstFailure: string;
  readonly rescued: boolean;
}

export function isRetryable(outcome: FetchOutcome): outcome is FetchOutcome & Required<Pick<FetchOutcome, 'failure'>> {
  const failure = outcome.failure;
  if (!failure) return false;
  if (failure.kind === 'network') return true;
  return failure.kind === 'status' && (outcome.status ?? 0) >= 500;
}

/**
 * The same network with discovery and JWKS fetches retried once; `retried` lists each retry
 * so the answer can say that the issuer needed one.
 */
export function withOneRetry(
  net: IssuerNet,
  delayMs = RETRY_DELAY_MS,
): { readonly net: IssuerNet; readonly retried: readonly RetriedFetch[] } {
  const retried: RetriedFetch[] = [];
  const once =
    (fetch: (url: string) => Promise<FetchOutcome>) =>
    async (url: string): Promise<FetchOutcome> => {
      const first = await fetch(url);
      if (!isRetryable(first)) return first;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      const second = await fetch(url);
      retried.push({ url: first.url, firstFailure: first.failure.message, rescued: !second.failure });
      return second;
    };
  return {
    net: { ...net, fetchDiscovery: once(net.fetchDiscovery), fetchJwks: once(net.fetchJwks) },
    retried,
  };
}
