import {
  AudienceMismatchError,
  InsufficientScopeError,
  InvalidClaimError,
  IssuerMismatchError,
  TokenExpiredError,
  TokenIssuedInFutureError,
  TokenNotYetValidError,
} from './errors';
import { show } from './show';

export type Claims = Record<string, unknown>;

/**
 * `iss` must equal the configured issuer character for character: a trailing slash, a port
 * or a tenant path makes it a different issuer.
 * @throws IssuerMismatchError showing both values.
 */
export function checkIssuer(claims: Claims, issuer: string): void {
  if (claims.iss === issuer) return;
  if (claims.iss === undefined) {
    throw new IssuerMismatchError(`the token has no iss claim; the issuer is ${JSON.stringify(issuer)}`);
  }
  throw new IssuerMismatchError(`iss ${show(claims.iss)} does not equal the issuer ${JSON.stringify(issuer)}`);
}

/**
 * `aud` (a string or an array) must hold one of the audiences; only when the token has no
 * `aud` at all is `client_id` checked instead (when both exist, `aud` alone decides).
 * @returns the claim that matched.
 * @throws AudienceMismatchError naming the claim and its value.
 */
export function checkAudience(
  claims: Claims,
  audiences: readonly string[],
): { claim: 'aud' | 'client_id'; value: string } {
  const listed = `the audiences ${JSON.stringify(audiences)}`;
  if (claims.aud !== undefined) {
    const values = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    const match = values.find((value): value is string => typeof value === 'string' && audiences.includes(value));
    if (match !== undefined) return { claim: 'aud', value: match };
    throw new AudienceMismatchError(`aud ${show(claims.aud)} holds none of ${listed}`);
  }
  if (claims.client_id === undefined) {
    throw new AudienceMismatchError(`the token has neither aud nor client_id; expected one of ${listed}`);
  }
  if (typeof claims.client_id === 'string' && audiences.includes(claims.client_id)) {
    return { claim: 'client_id', value: claims.client_id };
  }
  throw new AudienceMismatchError(
    `the token has no aud and its client_id ${show(claims.client_id)} is not one of ${listed}`,
  );
}

/**
 * `exp` must be after now, `nbf` and `iat` (when present) not after now; all in seconds, UTC.
 * `exp` is required: a token that never expires is not accepted.
 * @param nowSeconds the current time in seconds since the epoch (may be fractional).
 * @throws TokenExpiredError, TokenNotYetValidError, TokenIssuedInFutureError, InvalidClaimError
 */
export function checkTimes(claims: Claims, nowSeconds: number): void {
  const exp = numericDate(claims, 'exp');
  if (exp === undefined) throw new InvalidClaimError('the token has no exp claim: API Gateway requires an expiry');
  const nbf = numericDate(claims, 'nbf');
  const iat = numericDate(claims, 'iat');
  const now = Math.floor(nowSeconds);
  if (exp <= now) {
    throw new TokenExpiredError(
      `exp ${exp} (${iso(exp)}) is not after now ${now} (${iso(now)}): the token expired ${now - exp} s ago`,
    );
  }
  if (nbf !== undefined && nbf > now) {
    throw new TokenNotYetValidError(
      `nbf ${nbf} (${iso(nbf)}) is after now ${now} (${iso(now)}): the token is valid in ${nbf - now} s`,
    );
  }
  if (iat !== undefined && iat > now) {
    throw new TokenIssuedInFutureError(
      `iat ${iat} (${iso(iat)}) is after now ${now} (${iso(now)}): check the issuer's clock`,
    );
  }
}

function numericDate(claims: Claims, name: string): number | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidClaimError(
      `${name} must be a NumericDate (seconds since the epoch, a number), got ${show(value, 60)}`,
    );
  }
  return value;
}

function iso(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? 'out of range' : date.toISOString();
}

/**
 * The token's scopes: `scope` as a space-delimited string (WSO2's default) or an array, plus
 * `scp` in either form. Anything else is ignored, as it grants nothing.
 */
export function tokenScopes(claims: Claims): string[] {
  const scopes = new Set<string>();
  for (const name of ['scope', 'scp']) {
    const value = claims[name];
    const items = typeof value === 'string' ? value.split(' ') : Array.isArray(value) ? value : [];
    for (const item of items) if (typeof item === 'string' && item !== '') scopes.add(item);
  }
  return [...scopes];
}

/**
 * A route with authorization scopes needs the token to hold at least one of them.
 * @returns the route's scopes the token holds, or null when the route requires none (what
 *   API Gateway then passes as `requestContext.authorizer.jwt.scopes`).
 * @throws InsufficientScopeError (403) listing the route's scopes and the token's.
 */
export function checkScopes(claims: Claims, routeScopes: readonly string[]): string[] | null {
  if (routeScopes.length === 0) return null;
  const held = tokenScopes(claims);
  const matched = routeScopes.filter((scope) => held.includes(scope));
  if (matched.length > 0) return matched;
  const message =
    held.length === 0
      ? `the token has no scope; the route requires one of ${JSON.stringify(routeScopes)}`
      : `the token's scopes ${show(held.join(' '))} hold none of the route's scopes ${JSON.stringify(routeScopes)}`;
  throw new InsufficientScopeError(message, routeScopes);
}
