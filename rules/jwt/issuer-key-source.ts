import type { JWK } from 'jose';
import { IssuerFetchError, SigningKeysUnavailableError, UnknownKidError } from './errors';
import type { FetchOptions } from './https-fetch';
import { type DiscoveryResult, fetchDiscovery, fetchJwks, type JwksResult } from './issuer-documents';
import type { KeySource } from './key-source';
import { KEY_CACHE_TTL_MS } from './limits';
import { show } from './show';

export interface IssuerKeySourceOptions extends FetchOptions {
  /** The configured issuer; discovery is `<issuer>/.well-known/openid-configuration`. */
  readonly issuer: string;
  /** How long fetched keys are trusted. @default 2 hours (API Gateway's maximum) */
  readonly cacheTtlMs?: number;
  /**
   * Least time between two fetches triggered by unknown `kid`s or by failures, so a flood of
   * tokens with made-up `kid`s (or a dead issuer) costs the issuer one request, not thousands.
   * @default 10000
   */
  readonly minRefetchIntervalMs?: number;
  /** Clock in milliseconds, for tests. @default Date.now */
  readonly now?: () => number;
}

/** The outcome of the last fetch, for start-up messages and the doctor. */
export type KeyFetchOutcome =
  | { readonly ok: true; readonly at: number; readonly discovery: DiscoveryResult; readonly jwks: JwksResult }
  | { readonly ok: false; readonly at: number; readonly error: IssuerFetchError };

/**
 * The keys of an issuer, found the way API Gateway finds them: discovery, then `jwks_uri`,
 * then the JWKS; cached; fetched again once when a token names a `kid` the cache lacks
 * (the issuer may have rotated its key), at most once per `minRefetchIntervalMs`.
 * Concurrent requests share one fetch.
 */
export class IssuerKeySource implements KeySource {
  private keys: ReadonlyMap<string, JWK> | undefined;
  private fetchedAt = -Infinity;
  private lastAttemptAt = -Infinity;
  private inFlight: Promise<KeyFetchOutcome> | undefined;
  private last: KeyFetchOutcome | undefined;
  private readonly ttl: number;
  private readonly minInterval: number;
  private readonly now: () => number;

  constructor(private readonly options: IssuerKeySourceOptions) {
    this.ttl = options.cacheTtlMs ?? KEY_CACHE_TTL_MS;
    this.minInterval = options.minRefetchIntervalMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** The last fetch's outcome, if any. */
  get lastOutcome(): KeyFetchOutcome | undefined {
    return this.last;
  }

  /** Fetches discovery and JWKS now (at start-up, to warn early); never throws. */
  refresh(): Promise<KeyFetchOutcome> {
    if (this.inFlight) return this.inFlight;
    this.lastAttemptAt = this.now();
    this.inFlight = this.fetchBoth().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  async getSigningKey(kid: string): Promise<JWK> {
    const cached = this.usableKeys();
    const hit = cached?.get(kid);
    if (hit) return hit;
    // No usable keys, or an unknown kid (the issuer may have rotated): fetch, unless a fetch
    // happened less than minInterval ago; then the keys in hand decide.
    let outcome: KeyFetchOutcome | undefined = this.last;
    if (this.inFlight) outcome = await this.inFlight;
    else if (this.now() - this.lastAttemptAt >= this.minInterval) outcome = await this.refresh();
    const keys = this.usableKeys();
    if (!keys) {
      const failure = outcome && !outcome.ok ? outcome.error : undefined;
      throw new SigningKeysUnavailableError(
        `the issuer's signing keys could not be fetched: ${failure ? failure.message : 'no fetch has succeeded yet'}`,
        { cause: failure },
      );
    }
    const key = keys.get(kid);
    if (key) return key;
    throw new UnknownKidError(
      `kid ${show(kid, 80)} is not among the issuer's signing keys ${show([...keys.keys()], 200)}`,
      kid,
    );
  }

  private usableKeys(): ReadonlyMap<string, JWK> | undefined {
    return this.keys !== undefined && this.now() - this.fetchedAt < this.ttl ? this.keys : undefined;
  }

  private async fetchBoth(): Promise<KeyFetchOutcome> {
    const at = this.now();
    try {
      const discovery = await fetchDiscovery(this.options.issuer, this.options);
      const jwks = await fetchJwks(discovery.jwksUri, this.options);
      this.keys = jwks.keys;
      this.fetchedAt = this.now();
      this.last = { ok: true, at, discovery, jwks };
    } catch (error) {
      if (!(error instanceof IssuerFetchError)) throw error;
      // Keys fetched earlier stay in use until they expire: a brief outage of the issuer
      // should not turn every valid token into a 401.
      this.last = { ok: false, at, error };
    }
    return this.last;
  }
}
