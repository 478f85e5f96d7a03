/**
 * API Gateway hands the authorizer's claims to Lambda as strings: numbers arrive as
 * "1764403600" and arrays flattened as "[a b]". WSO2 may also send `scope` as an array and
 * `aud` as a string or an array. These functions accept every one of those shapes.
 */
export type RawClaims = Record<string, unknown>;

/** Who called, as API Gateway saw the token. */
export interface Caller {
  readonly subject?: string;
  readonly clientId?: string;
  readonly issuer?: string;
  readonly audience: string[];
  readonly scopes: string[];
  /** WSO2's `aut`: `APPLICATION` (client credentials) or `APPLICATION_USER` (a user grant). */
  readonly tokenKind?: string;
  /** `exp` as an ISO-8601 instant; absent when `exp` is missing or beyond what a date can hold. */
  readonly expiresAt?: string;
}

export function stringClaim(claims: RawClaims, name: string): string | undefined {
  const value = claims[name];
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (Number.isFinite(value)) return String(value);
  return undefined;
}

/** A list claim given as an array, a flattened "[a b]" string or a space-delimited string. */
export function listClaim(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string' && item !== '');
  if (typeof value !== 'string') return [];
  const flattened = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  return flattened.split(/\s/).filter((item) => item !== '');
}

/** A NumericDate claim (seconds since the epoch) given as a number or a numeric string. */
export function numericDateClaim(claims: RawClaims, name: string): number | undefined {
  const value = claims[name];
  const seconds =
    typeof value === 'number' ? value : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(seconds) ? seconds : undefined;
}

/**
 * A NumericDate as an ISO-8601 instant, or undefined when no Date can hold it. API Gateway
 * only checks that `exp` is in the future, so `exp: 99999999999999` reaches the function.
 */
export function isoInstant(seconds: number | undefined): string | undefined {
  const date = new Date((seconds ?? Number.NaN) * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The route's scopes as the event gives them: a list of strings, or nothing usable. */
function routeScopeList(routeScopes: unknown): string[] {
  return Array.isArray(routeScopes) ? routeScopes.filter((scope): scope is string => typeof scope === 'string') : [];
}

/**
 * @param claims `requestContext.authorizer.jwt.claims`
 * @param routeScopes `requestContext.authorizer.jwt.scopes`: a list, null or absent
 */
export function callerFrom(claims: RawClaims, routeScopes?: readonly string[] | null): Caller {
  const scopeClaim = claims.scope ?? claims.scp;
  const scopes = listClaim(scopeClaim);
  return {
    subject: stringClaim(claims, 'sub'),
    clientId: stringClaim(claims, 'client_id') ?? stringClaim(claims, 'azp'),
    issuer: stringClaim(claims, 'iss'),
    audience: listClaim(claims.aud),
    scopes: scopes.length > 0 ? scopes : routeScopeList(routeScopes),
    tokenKind: stringClaim(claims, 'aut'),
    expiresAt: isoInstant(numericDateClaim(claims, 'exp')),
  };
}
