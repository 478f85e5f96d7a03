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

/** The integration runs: the token passed every rule, scopes included. */
export interface AllowedVerdict {
  readonly status: 200;
  /** The verified token's claims. */
  readonly claims: Claims;
  /** `requestContext.authorizer.jwt.scopes`: the route's scopes the token holds, null when the route requires none. */
  readonly scopes: string[] | null;
}

/** What every rejection carries: API Gateway's exact response. */
interface Rejection {
  /** The exact response body API Gateway sends (the integration never runs). */
  readonly body: string;
  /** The `www-authenticate` header value. */
  readonly wwwAuthenticate: string;
}

/** 401: no token, or a token that is not valid for this API. Its claims are never exposed. */
export interface UnauthorizedVerdict extends Rejection {
  readonly status: 401;
  /** Why the request was rejected. */
  readonly error: AuthorizerRuleError;
  /** `invalid_token`; null when no token was sent. */
  readonly errorCode: 'invalid_token' | null;
  /** The `error_description` sent in `www-authenticate` (API Gateway's wording); null when no token was sent. */
  readonly errorDescription: string | null;
}

/** 403: a valid token holding none of the route's scopes. */
export interface ForbiddenVerdict extends Rejection {
  readonly status: 403;
  /** The verified token's claims (for logging: the token itself was valid). */
  readonly claims: Claims;
  readonly error: InsufficientScopeError;
  readonly errorCode: 'insufficient_scope';
  readonly errorDescription: string;
}

/** What API Gateway does with one request, keyed on the status: narrow on it to read the rest. */
export type AuthorizerVerdict = AllowedVerdict | UnauthorizedVerdict | ForbiddenVerdict;

/** A route as the authorizer sees it (the template's `AuthorizationType` and `AuthorizationScopes`). */
export interface RouteAuthorization {
  /** False for a route without the JWT authorizer. */
  readonly protected: boolean;
  /** The token needs one of them; empty means any valid token. */
  readonly scopes: readonly string[];
}

/** A token as judged before any route's scopes count; `E` says why an invalid one is invalid. */
export type TokenJudgement<E> =
  | { readonly valid: true; readonly claims: Claims }
  | { readonly valid: false; readonly why: E };

/** How API Gateway answers one route for a judged token. */
export type RouteDecision<E> =
  | { readonly status: 200; readonly claims: Claims | null; readonly scopes: string[] | null }
  | { readonly status: 401; readonly why: E }
  | { readonly status: 403; readonly claims: Claims; readonly error: InsufficientScopeError };

/**
 * The 200/401/403 decision, in API Gateway's order, and the only place it is made: a public
 * route answers whatever the token; an invalid (or missing) token is 401 before any scope
 * counts; a valid one is 403 when it holds none of the route's scopes. The local gateway
 * (through authorize), the doctor and the smoke test's stand-in API all decide here.
 */
export function decideRoute<E>(route: RouteAuthorization, token: TokenJudgement<E>): RouteDecision<E> {
  if (!route.protected) return { status: 200, claims: null, scopes: null };
  if (!token.valid) return { status: 401, why: token.why };
  try {
    return { status: 200, claims: token.claims, scopes: checkScopes(token.claims, route.scopes) };
  } catch (error) {
    if (error instanceof InsufficientScopeError) return { status: 403, claims: token.claims, error };
    throw error;
  }
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
  const token = await judgeToken(identitySourceValue, config, nowSeconds);
  const decision = decideRoute({ protected: true, scopes: routeScopes }, token);
  if (decision.status === 401) return unauthorized(decision.why, routeScopes);
  if (decision.status === 403) return forbidden(decision.error, decision.claims);
  // Only a public route answers 200 without claims, and this route is protected.
  if (decision.claims === null) throw new Error('authorize: a protected route was decided without a token');
  return allowed(decision.claims, decision.scopes);
}

/** Steps 1-4 without the scopes: the token's judgement, or the rule error that rejects it. */
async function judgeToken(
  identitySourceValue: string | readonly string[] | undefined,
  config: AuthorizerConfig,
  nowSeconds: number,
): Promise<TokenJudgement<AuthorizerRuleError>> {
  try {
    const token = extractToken(identitySourceValue, config.identitySource ?? DEFAULT_IDENTITY_SOURCE);
    return { valid: true, claims: (await verifyToken(token, config, nowSeconds)).claims };
  } catch (error) {
    if (!(error instanceof AuthorizerRuleError)) throw error;
    return { valid: false, why: error };
  }
}

/** The verdict for a token that passed every rule. Pure. */
export function allowed(claims: Claims, scopes: string[] | null): AllowedVerdict {
  return { status: 200, claims, scopes };
}

/** The 401 for a missing or invalid token: API Gateway's exact body and `www-authenticate`. Pure. */
export function unauthorized(error: AuthorizerRuleError, routeScopes: readonly string[]): UnauthorizedVerdict {
  return {
    status: 401,
    error,
    errorCode: error.errorCode === 'invalid_token' ? error.errorCode : null,
    errorDescription: error.errorCode ? error.description : null,
    body: UNAUTHORIZED_BODY,
    wwwAuthenticate: wwwAuthenticateFor(error, routeScopes),
  };
}

/** The 403 for a valid token without the route's scopes, its claims kept for logging. Pure. */
export function forbidden(error: InsufficientScopeError, claims: Claims): ForbiddenVerdict {
  return {
    status: 403,
    claims,
    error,
    errorCode: error.errorCode,
    errorDescription: error.description,
    body: FORBIDDEN_BODY,
    wwwAuthenticate: wwwAuthenticateFor(error, error.routeScopes),
  };
}

/**
 * `Bearer` alone when no token was sent; otherwise RFC 6750 attributes in API Gateway's
 * order: `Bearer scope="..." error="..." error_description="..."`.
 */
export function wwwAuthenticateFor(error: AuthorizerRuleError, routeScopes: readonly string[]): string {
  if (!error.errorCode) return 'Bearer';
  const scope = headerSafe(routeScopes.join(' '));
  return `Bearer scope="${scope}" error="${error.errorCode}" error_description="${headerSafe(error.description)}"`;
}
