/**
 * Every way API Gateway's JWT authorizer can reject a request, and every way fetching the
 * issuer's keys can fail, as classes: callers branch on the class (`instanceof`), people read
 * the message. Messages name the field and the bad value; they never contain the token.
 *
 * Each rejection also carries `description`: the short phrase that goes into the
 * `www-authenticate` header's `error_description`, worded like API Gateway's own (only
 * "the token does not have a valid audience" is quoted in AWS's documentation; the others
 * follow its style and are approximations).
 */

/** Base of every authorizer rejection. */
export abstract class AuthorizerRuleError extends Error {
  /** The HTTP status API Gateway answers with. */
  abstract readonly status: 401 | 403;
  /** RFC 6750 error code for `www-authenticate`; absent when no token was sent at all. */
  abstract readonly errorCode: 'invalid_token' | 'insufficient_scope' | undefined;
  /** The `error_description` phrase, in API Gateway's wording. */
  abstract readonly description: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** No token in the identity source: 401 with a bare `www-authenticate: Bearer`. */
export class TokenMissingError extends AuthorizerRuleError {
  readonly status = 401;
  readonly errorCode = undefined;
  readonly description = '';
}

/** Base of every 401 with `error="invalid_token"`. */
export abstract class InvalidTokenError extends AuthorizerRuleError {
  readonly status = 401;
  readonly errorCode = 'invalid_token' as const;
}

/** Not a JWT: wrong number of parts, bad base64url, header or payload not a JSON object. */
export class MalformedTokenError extends InvalidTokenError {
  readonly description = 'the token is malformed';
}

/** `alg` is not RS256, RS384 or RS512 (this includes `none` and every HMAC or EC algorithm). */
export class UnsupportedAlgorithmError extends InvalidTokenError {
  get description(): string {
    return `signing method ${this.algorithm} is invalid`;
  }
  constructor(
    message: string,
    readonly algorithm: string,
  ) {
    super(message);
  }
}

/** The header has no `kid`: API Gateway cannot pick a key without one. */
export class MissingKidError extends InvalidTokenError {
  readonly description = 'the token has no kid header';
}

/** No key in the issuer's JWKS has the token's `kid` (after one refetch). */
export class UnknownKidError extends InvalidTokenError {
  readonly description = 'unable to find a signing key that matches the token kid';
  constructor(
    message: string,
    readonly kid: string,
  ) {
    super(message);
  }
}

/** The key with the token's `kid` cannot check this token (declared for another `alg`, not RSA). */
export class KeyMismatchError extends InvalidTokenError {
  readonly description = 'the signing key does not match the token';
}

/** The issuer's keys could not be fetched; `cause` is the IssuerFetchError saying why. */
export class SigningKeysUnavailableError extends InvalidTokenError {
  readonly description = 'unable to fetch the signing keys of the issuer';
}

/** The signature does not verify with the key the `kid` names. */
export class InvalidSignatureError extends InvalidTokenError {
  readonly description = 'the token signature is invalid';
}

/** A registered claim has the wrong type, e.g. `exp` that is not a number. */
export class InvalidClaimError extends InvalidTokenError {
  readonly description = 'the token has an invalid claim';
}

/** `iss` is not exactly the configured issuer. */
export class IssuerMismatchError extends InvalidTokenError {
  readonly description = 'the token does not have a valid issuer';
}

/** Neither `aud` (or, when `aud` is absent, `client_id`) is among the configured audiences. */
export class AudienceMismatchError extends InvalidTokenError {
  readonly description = 'the token does not have a valid audience';
}

/** `exp` is not after now. */
export class TokenExpiredError extends InvalidTokenError {
  readonly description = 'the token has expired';
}

/** `nbf` is after now. */
export class TokenNotYetValidError extends InvalidTokenError {
  readonly description = 'the token is not valid yet';
}

/** `iat` is after now. */
export class TokenIssuedInFutureError extends InvalidTokenError {
  readonly description = 'the token was issued in the future';
}

/** A valid token holding none of the route's scopes: 403. */
export class InsufficientScopeError extends AuthorizerRuleError {
  readonly status = 403;
  readonly errorCode = 'insufficient_scope' as const;
  get description(): string {
    return `expected scopes: [${this.routeScopes.join(' ')}]`;
  }
  constructor(
    message: string,
    readonly routeScopes: readonly string[],
  ) {
    super(message);
  }
}

/** What is known about a fetch when it failed (or succeeded): for the doctor's report. */
export interface FetchFacts {
  readonly url: string;
  readonly elapsedMs: number;
  /** HTTP status, when a response arrived. */
  readonly status?: number;
  /** Bytes of body received (up to the point of failure). */
  readonly bytes?: number;
}

/** Base of every failure to fetch the discovery document or the JWKS. */
export abstract class IssuerFetchError extends Error {
  constructor(
    message: string,
    readonly facts: FetchFacts,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
  get url(): string {
    return this.facts.url;
  }
}

/** Not an absolute https URL: API Gateway only fetches keys over HTTPS. */
export class InvalidFetchUrlError extends IssuerFetchError {}

/** No complete answer within the limit (1500 ms for API Gateway). */
export class FetchTimeoutError extends IssuerFetchError {
  constructor(
    message: string,
    facts: FetchFacts,
    readonly timeoutMs: number,
  ) {
    super(message, facts);
  }
}

/** The body is larger than the limit (150000 bytes for the JWKS). */
export class ResponseTooLargeError extends IssuerFetchError {
  constructor(
    message: string,
    facts: FetchFacts,
    readonly maxBytes: number,
  ) {
    super(message, facts);
  }
}

/** The server answered, but not with 200. */
export class BadStatusError extends IssuerFetchError {}

/** The body is not JSON, or not a JSON object. */
export class NotJsonError extends IssuerFetchError {}

/** The TLS handshake failed, e.g. a self-signed or expired certificate or a wrong host name. */
export class TlsError extends IssuerFetchError {
  constructor(
    message: string,
    facts: FetchFacts,
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, facts, options);
  }
}

/** DNS, connection refused, reset: no HTTP exchange happened. */
export class NetworkError extends IssuerFetchError {
  constructor(
    message: string,
    facts: FetchFacts,
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, facts, options);
  }
}

/** The discovery document is JSON but unusable: no https `jwks_uri`. */
export class DiscoveryDocumentError extends IssuerFetchError {}

/** The JWKS is JSON but unusable: no `keys` array, or no RSA signing key with a `kid`. */
export class JwksDocumentError extends IssuerFetchError {}
