import { createHash, timingSafeEqual } from 'node:crypto';
import type { DemoClient, DemoValues } from './demo-config';
import { OAuthError } from './oauth-errors';
import { accessTokenClaims, idTokenClaims, type SigningKey } from './signing-key';

export interface TokenRequest {
  /** The Authorization header, if any. */
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  /** The raw form body. */
  readonly body: string;
}

export interface TokenResponseBody {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly scope: string;
  readonly id_token?: string;
}

const SUPPORTED_GRANTS = ['client_credentials', 'password'];
// WSO2 grants the scope `default` when a client asks for none.
const NO_SCOPE_REQUESTED = 'default';

/**
 * `POST /oauth2/token` as WSO2 IS answers it for client_credentials and password grants.
 * @throws OAuthError with the RFC 6749 error, status and (for Basic) challenge.
 */
export async function issueTokens(
  request: TokenRequest,
  demo: DemoValues,
  key: Pick<SigningKey, 'sign'>,
  issuer: string,
): Promise<TokenResponseBody> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(request.contentType ?? '')) {
    throw new OAuthError(
      'invalid_request',
      `the request body must be application/x-www-form-urlencoded, got content-type ` +
        `${JSON.stringify(request.contentType ?? null)}`,
    );
  }
  const form = new URLSearchParams(request.body);
  for (const name of new Set(form.keys())) {
    if (form.getAll(name).length > 1) throw new OAuthError('invalid_request', `parameter ${name} is repeated`);
  }
  const client = authenticateClient(request.authorization, form, demo);
  const grantType = form.get('grant_type');
  if (grantType === null || grantType === '') throw new OAuthError('invalid_request', 'grant_type is missing');
  if (!SUPPORTED_GRANTS.includes(grantType)) {
    throw new OAuthError(
      'unsupported_grant_type',
      `grant_type ${JSON.stringify(grantType.slice(0, 100))} is not supported (supported: ` +
        `${SUPPORTED_GRANTS.join(', ')})`,
    );
  }
  if (!client.grantTypes.includes(grantType)) {
    throw new OAuthError('unauthorized_client', `client ${client.clientId} may not use grant_type ${grantType}`);
  }

  let userSub: string | undefined;
  let allowed = client.scopes;
  let userClaims: Readonly<Record<string, string>> | undefined;
  if (grantType === 'password') {
    const username = form.get('username');
    const password = form.get('password');
    if (!username) throw new OAuthError('invalid_request', 'username is missing');
    if (password === null) throw new OAuthError('invalid_request', 'password is missing');
    const user = demo.users.find((candidate) => candidate.username === username);
    const passwordMatches = sameSecret(user?.password, password);
    if (!user || !passwordMatches) throw new OAuthError('invalid_grant', 'the username or password is wrong');
    userSub = user.sub;
    userClaims = user.claims;
    allowed = allowed.filter((scope) => user.scopes.includes(scope));
  }

  const scopes = grantedScopes(form.get('scope'), demo.scopes, allowed);
  const lifetimeSeconds = demo.tokenLifetimeSeconds;
  const nowSeconds = Date.now() / 1000;
  const tokenRequest = { issuer, clientId: client.clientId, scopes, userSub, lifetimeSeconds, nowSeconds };
  const accessToken = await key.sign(accessTokenClaims(tokenRequest));
  const idToken = scopes.includes('openid')
    ? await key.sign(idTokenClaims({ ...tokenRequest, accessToken, userClaims }), { typ: 'JWT' })
    : undefined;
  return {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: lifetimeSeconds,
    scope: scopes.join(' '),
    ...(idToken !== undefined && { id_token: idToken }),
  };
}

/**
 * HTTP Basic (client_secret_basic) or form parameters (client_secret_post), not both.
 * Unknown client or wrong secret: invalid_client, 401, with a Basic challenge when Basic was tried.
 */
function authenticateClient(authorization: string | undefined, form: URLSearchParams, demo: DemoValues): DemoClient {
  const basic = /^basic\s+(.*)$/i.exec(authorization ?? '');
  const challenge = basic ? 'Basic realm="oauth2"' : undefined;
  let clientId: string | null;
  let secret: string | null;
  if (basic) {
    if (form.has('client_secret'))
      throw new OAuthError('invalid_request', 'the client authenticated with both HTTP Basic and client_secret');
    const decoded = Buffer.from(basic[1].trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0)
      throw new OAuthError('invalid_client', 'the Basic credentials are not client_id:client_secret', 401, challenge);
    // RFC 6749 2.3.1: both parts are form-urlencoded before base64.
    try {
      clientId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
    } catch {
      throw new OAuthError('invalid_client', 'the Basic credentials are not form-urlencoded', 401, challenge);
    }
    // WSO2 IS refuses a form client_id that names another client than the Basic credentials.
    const formClientId = form.get('client_id');
    if (formClientId !== null && formClientId !== clientId) {
      throw new OAuthError(
        'invalid_client',
        'the client_id in the form does not match the client of the Basic credentials',
        401,
        challenge,
      );
    }
  } else {
    clientId = form.get('client_id');
    secret = form.get('client_secret');
    if (!clientId)
      throw new OAuthError(
        'invalid_client',
        'no client authentication: send HTTP Basic client_id:client_secret or client_id and client_secret in the form',
        401,
        'Basic realm="oauth2"',
      );
  }
  const client = demo.clients.find((candidate) => candidate.clientId === clientId);
  // Compared even for an unknown client, so both take the same time.
  const secretMatches = sameSecret(client?.secret, secret);
  if (!client || !secretMatches) {
    throw new OAuthError(
      'invalid_client',
      'client authentication failed: unknown client or wrong secret',
      401,
      challenge,
    );
  }
  return client;
}

/**
 * Compares secrets in constant time: SHA-256 digests have equal length whatever the inputs,
 * so neither the content nor the length of the expected secret leaks through timing. An
 * unknown client or user is compared too (against nothing), so it takes as long as a wrong secret.
 */
function sameSecret(expected: string | undefined, given: string | null): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  const equal = timingSafeEqual(digest(expected ?? ''), digest(given ?? ''));
  return equal && expected !== undefined && given !== null;
}

/**
 * Requested scopes the client (and user) may have, in the order requested. A scope the server
 * does not know is invalid_scope; a known one the client may not have is left out of the
 * token, as WSO2 does (the response's `scope` says what was granted).
 */
function grantedScopes(requested: string | null, known: readonly string[], allowed: readonly string[]): string[] {
  const asked = [...new Set((requested ?? '').split(' ').filter((scope) => scope !== ''))];
  if (asked.length === 0) return [NO_SCOPE_REQUESTED];
  const unknown = asked.filter((scope) => !known.includes(scope));
  if (unknown.length > 0) {
    throw new OAuthError(
      'invalid_scope',
      `unknown scope ${JSON.stringify(unknown.join(' ').slice(0, 200))} (known: ${known.join(' ')})`,
    );
  }
  const granted = asked.filter((scope) => allowed.includes(scope));
  return granted.length > 0 ? granted : [NO_SCOPE_REQUESTED];
}
