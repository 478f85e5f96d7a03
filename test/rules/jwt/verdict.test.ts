import { createPublicKey } from 'node:crypto';
import {
  AudienceMismatchError,
  authorize,
  type AuthorizerConfig,
  decideRoute,
  InsufficientScopeError,
  InvalidSignatureError,
  KeyMismatchError,
  MalformedTokenError,
  staticKeySource,
  TokenMissingError,
  UnknownKidError,
  UnsupportedAlgorithmError,
  verifyToken,
} from '../../../rules/jwt';
import { hmacToken, rsaKey, signJws, tamperPayload, type TestKey, unsignedToken } from '../../support/signing';

const ISSUER = 'https://localhost:9443/oauth2/token';
const NOW = 1764400100;
let key: TestKey;
let otherKey: TestKey;
let config: AuthorizerConfig;

const claims = (extra: Record<string, unknown> = {}) => ({
  iss: ISSUER,
  sub: 'alice',
  aud: 'demo-client',
  azp: 'demo-client',
  client_id: 'demo-client',
  aut: 'APPLICATION_USER',
  scope: 'openid reports:read',
  iat: NOW - 10,
  nbf: NOW - 10,
  exp: NOW + 3600,
  jti: 'j1',
  ...extra,
});
const header = (extra: Record<string, unknown> = {}) => ({ alg: 'RS256', typ: 'at+jwt', kid: 'k1_RS256', ...extra });

beforeAll(async () => {
  key = await rsaKey('k1_RS256');
  otherKey = await rsaKey('k1_RS256');
  const psKey = await rsaKey('k1_PS256', 'PS256');
  config = {
    issuer: ISSUER,
    audiences: ['demo-client'],
    keySource: staticKeySource({ keys: [key.publicJwk, psKey.publicJwk] }),
  };
});

describe('authorize: the verdict API Gateway reaches', () => {
  test('a valid token on a route without scopes: 200, claims, scopes null', async () => {
    const token = await signJws(header(), claims(), key.privateKey);
    const verdict = await authorize(`Bearer ${token}`, [], config, NOW);
    expect(verdict).toEqual({ status: 200, claims: claims(), scopes: null });
  });

  test('a bare token is accepted too', async () => {
    const token = await signJws(header(), claims(), key.privateKey);
    expect((await authorize(token, [], config, NOW)).status).toBe(200);
  });

  test('a scoped route: 200 with the matching scopes', async () => {
    const token = await signJws(header(), claims(), key.privateKey);
    const verdict = await authorize(`Bearer ${token}`, ['reports:read', 'reports:write'], config, NOW);
    expect(verdict).toEqual({ status: 200, claims: claims(), scopes: ['reports:read'] });
  });

  test('RS512 is accepted', async () => {
    const key512 = await rsaKey('k512', 'RS512');
    const token = await signJws(header({ alg: 'RS512', kid: 'k512' }), claims(), key512.privateKey);
    const verdict = await authorize(
      token,
      [],
      { ...config, keySource: staticKeySource({ keys: [key512.publicJwk] }) },
      NOW,
    );
    expect(verdict.status).toBe(200);
  });

  test('no token: 401, exact body, bare www-authenticate', async () => {
    const verdict = await authorize(undefined, ['reports:read'], config, NOW);
    expect(verdict).toEqual({
      status: 401,
      error: new TokenMissingError('no token in the identity source $request.header.Authorization'),
      errorCode: null,
      errorDescription: null,
      body: '{"message":"Unauthorized"}',
      wwwAuthenticate: 'Bearer',
    });
  });

  test("wrong audience: 401 with AWS's documented header", async () => {
    const token = await signJws(header(), claims({ aud: 'someone-else' }), key.privateKey);
    const verdict = await authorize(`Bearer ${token}`, [], config, NOW);
    // A 401 verdict has no claims: an untrusted token's claims are never exposed.
    expect(verdict).toEqual({
      status: 401,
      error: expect.any(AudienceMismatchError),
      errorCode: 'invalid_token',
      errorDescription: 'the token does not have a valid audience',
      body: '{"message":"Unauthorized"}',
      wwwAuthenticate:
        'Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"',
    });
  });

  test('missing scope: 403, exact body and header, verified claims kept for logging', async () => {
    const token = await signJws(header(), claims({ scope: 'openid' }), key.privateKey);
    const verdict = await authorize(`Bearer ${token}`, ['reports:read', 'reports:admin'], config, NOW);
    expect(verdict).toEqual({
      status: 403,
      claims: claims({ scope: 'openid' }),
      error: expect.any(InsufficientScopeError),
      body: '{"message":"Forbidden"}',
      errorCode: 'insufficient_scope',
      errorDescription: 'expected scopes: [reports:read reports:admin]',
      wwwAuthenticate:
        'Bearer scope="reports:read reports:admin" error="insufficient_scope" ' +
        'error_description="expected scopes: [reports:read reports:admin]"',
    });
  });

  test('an invalid token on a scoped route is 401, not 403', async () => {
    const token = await signJws(header(), claims({ scope: 'openid', exp: NOW - 1 }), key.privateKey);
    const verdict = await authorize(token, ['reports:read'], config, NOW);
    expect(verdict).toMatchObject({
      status: 401,
      wwwAuthenticate: 'Bearer scope="reports:read" error="invalid_token" error_description="the token has expired"',
    });
  });

  test('an ID-token-shaped JWT passes a scope-less route and is 403 on a scoped one', async () => {
    const idToken = await signJws(
      header({ typ: 'JWT' }),
      {
        iss: ISSUER,
        sub: 'alice',
        aud: 'demo-client',
        azp: 'demo-client',
        at_hash: 'abc',
        amr: ['BasicAuthenticator'],
        iat: NOW,
        exp: NOW + 60,
      },
      key.privateKey,
    );
    expect((await authorize(idToken, [], config, NOW)).status).toBe(200);
    expect((await authorize(idToken, ['reports:read'], config, NOW)).status).toBe(403);
  });

  test('a claim value with quotes and non-ASCII cannot break the header', async () => {
    const forged = unsignedToken(header({ alg: 'HS256"\u00e9' }), claims());
    const verdict = await authorize(forged, [], config, NOW);
    expect(verdict).toMatchObject({
      status: 401,
      wwwAuthenticate: 'Bearer scope="" error="invalid_token" error_description="signing method HS256\'? is invalid"',
    });
  });
});

describe('decideRoute: the 200/401/403 order, for any caller', () => {
  const valid = { valid: true, claims: { scope: 'openid reports:read' } } as const;
  const invalid = { valid: false, why: 'the token has expired' } as const;

  test('a public route answers 200 whatever the token', () => {
    expect(decideRoute({ protected: false, scopes: [] }, invalid)).toEqual({ status: 200, claims: null, scopes: null });
  });

  test("an invalid token is 401 before any scope counts, with the caller's reason", () => {
    expect(decideRoute({ protected: true, scopes: ['reports:read'] }, invalid)).toEqual({
      status: 401,
      why: 'the token has expired',
    });
  });

  test('a valid token: 200 with the matched scopes, or 403 holding none of them', () => {
    expect(decideRoute({ protected: true, scopes: [] }, valid)).toEqual({
      status: 200,
      claims: valid.claims,
      scopes: null,
    });
    expect(decideRoute({ protected: true, scopes: ['reports:read', 'x'] }, valid)).toEqual({
      status: 200,
      claims: valid.claims,
      scopes: ['reports:read'],
    });
    expect(decideRoute({ protected: true, scopes: ['reports:write'] }, valid)).toEqual({
      status: 403,
      claims: valid.claims,
      error: new InsufficientScopeError(
        'the token\'s scopes "openid reports:read" hold none of the route\'s scopes ["reports:write"]',
        ['reports:write'],
      ),
    });
  });
});

describe('verifyToken: forgeries and broken tokens', () => {
  async function rejection(token: string) {
    try {
      await verifyToken(token, config, NOW);
    } catch (error) {
      return error as Error;
    }
    throw new Error('expected a rejection');
  }

  test('alg none', async () => {
    const error = await rejection(unsignedToken({ alg: 'none', kid: 'k1_RS256' }, claims()));
    expect(error).toBeInstanceOf(UnsupportedAlgorithmError);
    expect(error.message).toBe('header alg "none" is not supported: API Gateway accepts RS256, RS384, RS512 only');
  });

  test('HS256 signed with the RSA public key as the secret', async () => {
    const pem = createPublicKey({ key: key.publicJwk as never, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
    const error = await rejection(hmacToken(header({ alg: 'HS256' }), claims(), pem));
    expect(error).toBeInstanceOf(UnsupportedAlgorithmError);
    expect(error.message).toBe('header alg "HS256" is not supported: API Gateway accepts RS256, RS384, RS512 only');
  });

  test('signed by another RSA key under the same kid', async () => {
    const error = await rejection(await signJws(header(), claims(), otherKey.privateKey));
    expect(error).toBeInstanceOf(InvalidSignatureError);
    expect(error.message).toBe('the signature does not verify with the issuer\'s key "k1_RS256" (RS256)');
  });

  test('a tampered payload', async () => {
    const token = await signJws(header(), claims({ scope: 'openid' }), key.privateKey);
    const error = await rejection(tamperPayload(token, claims({ scope: 'openid reports:read reports:admin' })));
    expect(error).toBeInstanceOf(InvalidSignatureError);
    expect(error.message).toBe('the signature does not verify with the issuer\'s key "k1_RS256" (RS256)');
  });

  test('an unknown kid', async () => {
    const error = await rejection(await signJws(header({ kid: 'rotated-away' }), claims(), key.privateKey));
    expect(error).toBeInstanceOf(UnknownKidError);
    expect(error.message).toBe('kid "rotated-away" is not among the issuer\'s signing keys ["k1_RS256","k1_PS256"]');
  });

  test('a kid whose key is published for PS256 (WSO2 lists the same certificate twice)', async () => {
    const error = await rejection(await signJws(header({ kid: 'k1_PS256' }), claims(), key.privateKey));
    expect(error).toBeInstanceOf(KeyMismatchError);
    expect(error.message).toBe('the key with kid "k1_PS256" is for alg "PS256", the token says RS256');
  });

  test('garbage', async () => {
    const error = await rejection('garbage');
    expect(error).toBeInstanceOf(MalformedTokenError);
  });

  test('signature is checked before the claims: a forged expired token says signature', async () => {
    const error = await rejection(await signJws(header(), claims({ exp: 1 }), otherKey.privateKey));
    expect(error).toBeInstanceOf(InvalidSignatureError);
  });

  test('returns header, claims and the matched audience claim', async () => {
    const verified = await verifyToken(
      await signJws(header(), claims({ aud: undefined }), key.privateKey),
      config,
      NOW,
    );
    expect(verified.audience).toEqual({ claim: 'client_id', value: 'demo-client' });
    expect(verified.header).toEqual({ alg: 'RS256', typ: 'at+jwt', kid: 'k1_RS256' });
  });
});
