import type { JWK } from 'jose';
import { UnknownKidError } from './errors';
import { show } from './show';

/**
 * Where the verdict gets the key a token's `kid` names. The local gateway plugs in the
 * issuer's discovery + JWKS (IssuerKeySource); tests and the doctor can plug in a fixed set.
 */
export interface KeySource {
  /**
   * @throws UnknownKidError when no signing key has this `kid`.
   * @throws SigningKeysUnavailableError when the keys cannot be fetched (cause: the IssuerFetchError).
   */
  getSigningKey(kid: string): Promise<JWK>;
}

/** A key the JWKS holds that API Gateway cannot use, and why. */
export interface IgnoredKey {
  readonly index: number;
  readonly kid?: string;
  readonly reason: string;
}

export interface SigningKeys {
  /** Usable RSA signing keys by `kid`. */
  readonly keys: ReadonlyMap<string, JWK>;
  readonly ignored: readonly IgnoredKey[];
}

/** Why API Gateway cannot use this key, or undefined when it can. */
function whyUnusable(
  key: Record<string, unknown>,
  index: number,
  kid: string | undefined,
  taken: ReadonlyMap<string, JWK>,
): string | undefined {
  if (key.kty !== 'RSA') return `keys[${index}] kty ${show(key.kty, 20)} is not RSA`;
  if (kid === undefined) return `keys[${index}] has no kid`;
  if (key.use !== undefined && key.use !== 'sig')
    return `keys[${index}] (kid ${show(kid, 80)}) use ${show(key.use, 20)} is not "sig"`;
  if (typeof key.n !== 'string' || typeof key.e !== 'string')
    return `keys[${index}] (kid ${show(kid, 80)}) lacks the RSA modulus n or exponent e`;
  if (taken.has(kid)) return `keys[${index}] repeats kid ${show(kid, 80)}; the first one is used`;
  return undefined;
}

/**
 * Picks from a JWKS the keys API Gateway can use: `kty: RSA`, a `kid`, `use` absent or `sig`,
 * and a modulus and exponent. Everything else is listed with the reason, for the doctor.
 */
export function selectSigningKeys(jwks: { keys: readonly unknown[] }): SigningKeys {
  const keys = new Map<string, JWK>();
  const ignored: IgnoredKey[] = [];
  jwks.keys.forEach((candidate, index) => {
    if (typeof candidate !== 'object' || candidate === null || Array.isArray(candidate)) {
      ignored.push({ index, reason: `keys[${index}] is not an object, got ${show(candidate, 40)}` });
      return;
    }
    const key = candidate as Record<string, unknown>;
    const kid = typeof key.kid === 'string' && key.kid !== '' ? key.kid : undefined;
    const reason = whyUnusable(key, index, kid, keys);
    if (reason !== undefined) ignored.push({ index, ...(kid !== undefined && { kid }), reason });
    else keys.set(kid as string, key as JWK);
  });
  return { keys, ignored };
}

/** A key source over a JWKS already in hand. */
export function staticKeySource(jwks: { keys: readonly unknown[] }): KeySource {
  const { keys } = selectSigningKeys(jwks);
  return {
    async getSigningKey(kid) {
      const key = keys.get(kid);
      if (!key)
        throw new UnknownKidError(
          `kid ${show(kid, 80)} is not among the issuer's signing keys ${show([...keys.keys()], 200)}`,
          kid,
        );
      return key;
    },
  };
}
