import type { JWK } from 'jose';
import { DiscoveryDocumentError, JwksDocumentError } from './errors';
import { type FetchedJson, fetchJsonObject, type FetchOptions } from './https-fetch';
import { type IgnoredKey, selectSigningKeys } from './key-source';
import { show } from './show';

export interface DiscoveryResult extends Omit<FetchedJson, 'body'> {
  /** The discovery document's `jwks_uri`. */
  readonly jwksUri: string;
  /** The discovery document's `issuer` (may differ from the configured one: the doctor reports it). */
  readonly documentIssuer: unknown;
}

export interface JwksResult extends Omit<FetchedJson, 'body'> {
  /** RSA signing keys API Gateway can use, by `kid`. */
  readonly keys: ReadonlyMap<string, JWK>;
  /** Keys it cannot use, with the reason (EC keys, no `kid`, `use: enc`...). */
  readonly ignored: readonly IgnoredKey[];
}

/** `<issuer>/.well-known/openid-configuration`, the way API Gateway and OIDC discovery build it. */
export function discoveryUrlFor(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

/**
 * Fetches the issuer's OpenID discovery document within API Gateway's limits.
 * @throws any IssuerFetchError; DiscoveryDocumentError when `jwks_uri` is missing or not https.
 */
export async function fetchDiscovery(issuer: string, options: FetchOptions = {}): Promise<DiscoveryResult> {
  const { body: _body, ...response } = await fetchJsonObject(discoveryUrlFor(issuer), options);
  const jwksUri = response.json.jwks_uri;
  if (typeof jwksUri !== 'string' || jwksUri === '') {
    throw new DiscoveryDocumentError(
      `the discovery document at ${response.url} has no jwks_uri (got ${show(jwksUri)})`,
      response,
    );
  }
  if (!/^https:\/\//i.test(jwksUri)) {
    throw new DiscoveryDocumentError(`the discovery document's jwks_uri ${show(jwksUri)} must use https`, response);
  }
  return { ...response, jwksUri, documentIssuer: response.json.issuer };
}

/**
 * Fetches a JWKS within API Gateway's limits (1500 ms, 150000 bytes) and selects its keys.
 * @throws any IssuerFetchError; JwksDocumentError when there is no `keys` array or no usable RSA key.
 */
export async function fetchJwks(jwksUri: string, options: FetchOptions = {}): Promise<JwksResult> {
  const { body: _body, ...response } = await fetchJsonObject(jwksUri, options);
  if (!Array.isArray(response.json.keys)) {
    throw new JwksDocumentError(
      `the JWKS at ${response.url} has no keys array (got ${show(response.json.keys)})`,
      response,
    );
  }
  const { keys, ignored } = selectSigningKeys({ keys: response.json.keys });
  if (keys.size === 0) {
    const why = ignored.length === 0 ? 'it is empty' : ignored.map((key) => key.reason).join('; ');
    throw new JwksDocumentError(`the JWKS at ${response.url} holds no RSA signing key with a kid: ${why}`, response);
  }
  return { ...response, keys, ignored };
}
