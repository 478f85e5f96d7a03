/**
 * What the issuer checks need from the network, as an interface: the doctor binds it to the
 * shared rules module's fetchers (authorizer-rules/) plus DNS, the deploy-time Lambda binds
 * the same, and unit tests can bind fakes.
 */

export type FetchFailureKind = 'timeout' | 'too-large' | 'tls' | 'network' | 'status' | 'not-json';

export interface FetchOutcome {
  readonly url: string;
  readonly status?: number;
  readonly bytes?: number;
  readonly elapsedMs: number;
  /** The parsed JSON body, when the answer was 200 JSON within the limits. */
  readonly body?: unknown;
  readonly failure?: { readonly kind: FetchFailureKind; readonly message: string };
  /** The proxy (without credentials) the fetch went through, if any. */
  readonly viaProxy?: string;
}

export interface TlsTrustOutcome {
  /** False when no TLS session could be set up at all (refused, timeout, not TLS). */
  readonly reachable: boolean;
  /** The chain verifies against Node's default CA store (no extra CA) for this host name. */
  readonly trusted: boolean;
  /** e.g. `DEPTH_ZERO_SELF_SIGNED_CERT` or the connection error. */
  readonly reason?: string;
  /** The leaf certificate's subject and issuer, for the report. */
  readonly subject?: string;
  readonly issuer?: string;
}

export type LookupOutcome =
  | { readonly addresses: readonly string[] }
  /** `viaProxy`: the proxy (without credentials) that will resolve the name instead. */
  | { readonly error: string; readonly viaProxy?: string };

export interface IssuerNet {
  lookup(host: string): Promise<LookupOutcome>;
  tlsTrust(url: string): Promise<TlsTrustOutcome>;
  fetchDiscovery(issuerUrl: string): Promise<FetchOutcome>;
  fetchJwks(jwksUri: string): Promise<FetchOutcome>;
}
