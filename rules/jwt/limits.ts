/**
 * The numbers API Gateway's JWT authorizer works with (reference section 1). One place, so
 * the local gateway, the doctor and the deploy-time check cannot drift apart.
 */

/** Discovery and JWKS must each answer within this many milliseconds. */
export const ISSUER_FETCH_TIMEOUT_MS = 1500;
/** The JWKS response may be at most this many bytes. */
export const JWKS_MAX_BYTES = 150_000;
/** Public keys may be cached for up to two hours. */
export const KEY_CACHE_TTL_MS = 2 * 60 * 60 * 1000;
/** Algorithms the authorizer accepts: RSA only. */
export const SUPPORTED_ALGORITHMS = ['RS256', 'RS384', 'RS512'] as const;
export type SupportedAlgorithm = (typeof SUPPORTED_ALGORITHMS)[number];
/** The identity source API Gateway reads by default. */
export const DEFAULT_IDENTITY_SOURCE = '$request.header.Authorization';
/** Quotas that a configuration must respect. */
export const MAX_AUDIENCES_PER_AUTHORIZER = 50;
export const MAX_SCOPES_PER_ROUTE = 10;

/** The exact response bodies API Gateway sends when the authorizer rejects a request. */
export const UNAUTHORIZED_BODY = '{"message":"Unauthorized"}';
export const FORBIDDEN_BODY = '{"message":"Forbidden"}';
