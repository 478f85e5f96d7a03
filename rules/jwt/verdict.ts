import { type Claims, checkAudience, checkIssuer, checkScopes, checkTimes } from './claims';
import { AuthorizerRuleError, InsufficientScopeError } from './errors';
import { checkHeader, type CheckedHeader } from './header';
import type { KeySource } from './key-source';
import { DEFAULT_IDENTITY_SOURCE, FORBIDDEN_BODY, UNAUTHORIZED_BODY } from './limits';
import { headerSafe } from './show';
import { verifySignature } from './signature';
import { decodeToken, extractToken } from './token';

/** One JWT authorizer, as `AWS::ApiGatewayV2::Authorizer` configures it. */
export interface AuthorizerConfig {
  /** `JwtConfiguration.Issuer`: compared with `iss` exactly. */
  readonly issuer: string;
  /** `JwtConfiguration.Audience`: matched against `aud`, else `client_id`. */
  readonly audiences: readonly string[];
  /** Where signing keys come from (IssuerKeySource for a real issuer). */
  readonly keySource: KeySource;
  /** Named in messages only. @default '$request.header.Authorization' */
  readonly identitySource?: string;
}

/** A token that passed every rule except the route's scopes. */
export interface VerifiedToken {
  readonly header: Record<string, unknown> & CheckedHeader;
  readonly claims: Claims;
  /** Which claim matched an audience. */
  readonly audience: { readonly claim: 'aud' | 'client_id'; readonly value: string };
}

/** What API Gateway does with one request, ready to be sent or reported. */
export interface AuthorizerVerdict {
  readonly status: 200 | 401 | 403;
  /** The verified token's claims (200 and 403), else null. Untrusted tokens' claims are never exposed. */
  readonly claims: Claims | null;
  /** `requestContext.authorizer.jwt.scopes`: the route's scopes the token holds, null when the route requires none. */
  readonly scopes: string[] | null;
  /** Why the request was rejected; null on 200. */
  readonly error: AuthorizerRuleError | null;
  /** `invalid_token` or `insufficient_scope`; null on 200 and when no token was sent. */
  readonly errorCode: 'invalid_token' | 'insufficient_scope' | null;
  /** The `error_description` sent in `www-authenticate` (API Gateway's wording); null on 200. */
  readonly errorDescription: string | null;
  /** The exact response body API Gateway sends on rejection; null on 200 (the integration answers). */
  readonly body: string | null;
  /** The `www-authenticate` header value on rejection; null on 200. */
  readonly wwwAuthenticate: string | null;
}

/**
 * Section 1 steps 2-4 for a token already extracted: decode, header (RSA alg, `kid`), key by
 * `kid`, signature, `iss`, `aud`/`client_id`, `exp`/`nbf`/`iat`. Route scopes are separate
 * (checkScopes) because a valid token without them is a 403, not a 401.
 * @param nowSeconds the current time in seconds. @default Date.now() / 1000
 * @throws the AuthorizerRuleError of the first rule that fails, in that order.
 */
export async function verifyToken(
  token: string,
  config: Omit<AuthorizerConfig, 'identitySource'>,
  nowSeconds = Date.now() / 1000,
): Promise<VerifiedToken> {
  const decoded = decodeToken(token);
  const checked = checkHeader(decoded.header);
  const jwk = await config.keySource.getSigningKey(checked.kid);
  await verifySignature(decoded.compact, checked.alg, jwk);
  checkIssuer(decoded.payload, config.issuer);
  const audience = checkAudience(decoded.payload, config.audiences);
  checkTimes(decoded.payload, nowSeconds);
  return { header: { ...decoded.header, ...checked }, claims: decoded.payload, audience };
}

/**
 * The whole of section 1 for one request to a JWT route: the identity source's value in, the
 * verdict out. Rule failures become 401/403 verdicts; only a programming error throws.
 * @param identitySourceValue the Authorization header's value (or whichever identity source).
 * @param routeScopes the route's `AuthorizationScopes`; empty when it requires none.
 */
export async function authorize(
  identitySourceValue: string | readonly string[] | undefined,
  routeScopes: readonly string[],
  config: AuthorizerConfig,
  nowSeconds = Date.now() / 1000,
): Promise<AuthorizerVerdict> {
  let verified: VerifiedToken | undefined;
  try {
    const token = extractToken(identitySourceValue, config.identitySource ?? DEFAULT_IDENTITY_SOURCE);
    verified = await verifyToken(token, config, nowSeconds);
    const scopes = checkScopes(verified.claims, routeScopes);
    return allowed(verified.claims, scopes);
  } catch (error) {
    if (!(error instanceof AuthorizerRuleError)) throw error;
    return rejected(error, routeScopes, error instanceof InsufficientScopeError ? verified?.claims : undefined);
  }
}

/** The verdict for a token that passed every rule. Pure. */
export function allowed(claims: Claims, scopes: string[] | null): AuthorizerVerdict {
  return {
    status: 200,
    claims,
    scopes,
    error: null,
    errorCode: null,
    errorDescription: null,
    body: null,
    wwwAuthenticate: null,
  };
}

/**
 * The verdict for a rejection: status, API Gateway's exact body and `www-authenticate`. Pure.
 * @param claims the verified claims, for a 403 only.
 */
export function rejected(
  error: AuthorizerRuleError,
  routeScopes: readonly string[],
  claims?: Claims,
): AuthorizerVerdict {
  return {
    status: error.status,
    claims: error.status === 403 && claims ? claims : null,
    scopes: null,
    error,
    errorCode: error.errorCode ?? null,
    errorDescription: error.errorCode ? error.description : null,
    body: error.status === 403 ? FORBIDDEN_BODY : UNAUTHORIZED_BODY,
    wwwAuthenticate: wwwAuthenticateFor(error, routeScopes),
  };
}

/**
 * `Bearer` alone when no token was sent; otherwise RFC 6750 attributes in API Gateway's
 * order: `Bearer scope="..." error="..." error_description="..."`.
 */
export function wwwAuthenticateFor(error: AuthorizerRuleError, routeScopes: readonly string[]): string {
  if (!error.errorCode) return 'Bearer';
  return `Bearer scope="${headerSafe(routeScopes.join(' '))}" error="${error.errorCode}" error_description="${headerSafe(error.description)}"`;
}
