/**
 * The seed's "test it out" steps and every rule of API Gateway's JWT authorizer, end to end:
 * the real identity provider and gateway processes on ephemeral loopback ports, in front of
 * the real app synthesized with this run's issuer.
 */
import { createPublicKey } from 'node:crypto';
import {
  accessTokenClaims,
  fetchToken,
  httpCall,
  httpsCall,
  type LocalStack,
  nowSeconds,
  useLocalStack,
} from '../support/local-stack';
import { hmacToken, rsaKey, signJws, tamperPayload, unsignedToken } from '../support/signing';

let stack: LocalStack;
const UNAUTHORIZED = '{"message":"Unauthorized"}';
const FORBIDDEN = '{"message":"Forbidden"}';
const invalid = (description: string, scope = '') =>
  `Bearer scope="${scope}" error="invalid_token" error_description="${description}"`;

useLocalStack((started) => (stack = started));

const now = nowSeconds;
const claims = (extra: Record<string, unknown> = {}) => accessTokenClaims(stack, extra);
const withoutClaim = (name: string, extra: Record<string, unknown> = {}) => {
  const all: Record<string, unknown> = claims(extra);
  delete all[name];
  return all;
};
const get = (path: string, authorization?: string) =>
  httpCall(`${stack.gatewayUrl}${path}`, { headers: authorization === undefined ? {} : { authorization } });

async function expect401(path: string, authorization: string | undefined, description: string, scope = '') {
  const response = await get(path, authorization);
  expect({
    status: response.status,
    body: response.body,
    wwwAuthenticate: response.headers['www-authenticate'],
  }).toEqual({
    status: 401,
    body: UNAUTHORIZED,
    wwwAuthenticate: invalid(description, scope),
  });
}

describe('the seed\'s "test it out" steps', () => {
  test('no Authorization header: 401 with a bare Bearer challenge', async () => {
    const response = await get('/hello');
    expect(response.status).toBe(401);
    expect(response.body).toBe(UNAUTHORIZED);
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  test('a token from the identity provider: 200, and /me shows the claims as API Gateway delivered them', async () => {
    const { access_token: token, scope } = await fetchToken(stack, { scope: 'api:access reports:read' });
    expect(scope).toBe('api:access reports:read');
    const hello = await get('/hello', `Bearer ${token}`);
    expect(hello.status).toBe(200);
    expect(JSON.parse(hello.body)).toEqual({ message: `Hello, ${stack.clientId}!` });
    const me = await get('/me', `Bearer ${token}`);
    expect(me.status).toBe(200);
    const body = JSON.parse(me.body);
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    expect(body).toEqual({
      subject: stack.clientId,
      clientId: stack.clientId,
      issuer: stack.issuer,
      audience: [stack.clientId],
      scopes: ['api:access', 'reports:read'],
      tokenKind: 'APPLICATION',
      expiresAt: new Date(payload.exp * 1000).toISOString(),
    });
  });

  test('a password-grant (user) token: APPLICATION_USER with the user as subject', async () => {
    const { access_token: token } = await fetchToken(stack, {
      grant_type: 'password',
      username: 'alice',
      password: 'alice-password',
      scope: 'reports:read',
    });
    const me = JSON.parse((await get('/me', `Bearer ${token}`)).body);
    expect(me).toMatchObject({
      subject: '2f5c6d0e-1b2a-4c3d-8e9f-0a1b2c3d4e5f',
      tokenKind: 'APPLICATION_USER',
      scopes: ['reports:read'],
    });
  });

  test('the Bearer prefix and the bare token are both accepted', async () => {
    const token = await stack.signingKey.sign(claims());
    expect((await get('/hello', `Bearer ${token}`)).status).toBe(200);
    expect((await get('/hello', token)).status).toBe(200);
  });

  test('an expired token: 401', async () => {
    await expect401(
      '/hello',
      `Bearer ${await stack.signingKey.sign(claims({ exp: now() - 60 }))}`,
      'the token has expired',
    );
  });
});

describe('claim rules', () => {
  test('nbf in the future: 401', async () => {
    await expect401(
      '/hello',
      `Bearer ${await stack.signingKey.sign(claims({ nbf: now() + 300 }))}`,
      'the token is not valid yet',
    );
  });

  test('iat in the future: 401', async () => {
    await expect401(
      '/hello',
      `Bearer ${await stack.signingKey.sign(claims({ iat: now() + 300 }))}`,
      'the token was issued in the future',
    );
  });

  test('a wrong issuer (trailing slash): 401', async () => {
    await expect401(
      '/hello',
      `Bearer ${await stack.signingKey.sign(claims({ iss: `${stack.issuer}/` }))}`,
      'the token does not have a valid issuer',
    );
  });

  test('a wrong audience: 401', async () => {
    await expect401(
      '/hello',
      `Bearer ${await stack.signingKey.sign(claims({ aud: 'other-app-client' }))}`,
      'the token does not have a valid audience',
    );
  });

  test('a real token of another client: 401 (audience)', async () => {
    const basic = Buffer.from('other-app-client:other-app-secret').toString('base64');
    const response = await httpsCall(`${stack.idpOrigin}/oauth2/token`, {
      method: 'POST',
      ca: stack.caPem,
      body: 'grant_type=client_credentials&scope=api:access',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    });
    await expect401(
      '/hello',
      `Bearer ${JSON.parse(response.body).access_token}`,
      'the token does not have a valid audience',
    );
  });

  test('no aud but a matching client_id: 200', async () => {
    expect((await get('/hello', `Bearer ${await stack.signingKey.sign(withoutClaim('aud'))}`)).status).toBe(200);
  });

  test('no aud and a wrong client_id: 401', async () => {
    await expect401(
      '/hello',
      `Bearer ${await stack.signingKey.sign(withoutClaim('aud', { client_id: 'other-app-client' }))}`,
      'the token does not have a valid audience',
    );
  });
});

describe('signature and header rules', () => {
  test('an unknown kid: 401', async () => {
    await expect401(
      '/hello',
      `Bearer ${await stack.signingKey.sign(claims(), { kid: 'not-a-published-kid_RS256' })}`,
      'unable to find a signing key that matches the token kid',
    );
  });

  test('no kid: 401', async () => {
    await expect401(
      '/hello',
      `Bearer ${await stack.signingKey.sign(claims(), { kid: undefined })}`,
      'the token has no kid header',
    );
  });

  test('alg none: 401', async () => {
    await expect401(
      '/hello',
      `Bearer ${unsignedToken({ alg: 'none', typ: 'at+jwt', kid: stack.signingKey.kid }, claims())}`,
      'signing method none is invalid',
    );
  });

  test('HS256 signed with the RSA public key as the secret: 401', async () => {
    const jwk = stack.signingKey.jwks.keys[0];
    const pem = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e } as never, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
    await expect401(
      '/hello',
      `Bearer ${hmacToken({ alg: 'HS256', typ: 'at+jwt', kid: stack.signingKey.kid }, claims(), pem)}`,
      'signing method HS256 is invalid',
    );
  });

  test('signed by another RSA key under the same kid: 401', async () => {
    const intruder = await rsaKey(stack.signingKey.kid);
    const header = { alg: 'RS256', typ: 'at+jwt', kid: stack.signingKey.kid };
    await expect401(
      '/hello',
      `Bearer ${await signJws(header, claims(), intruder.privateKey)}`,
      'the token signature is invalid',
    );
  });

  test('a tampered payload: 401', async () => {
    const token = await stack.signingKey.sign(claims({ scope: 'api:access' }));
    await expect401(
      '/reports',
      `Bearer ${tamperPayload(token, claims({ scope: 'reports:read' }))}`,
      'the token signature is invalid',
      'reports:read',
    );
  });

  test('garbage: 401', async () => {
    await expect401('/hello', 'Bearer garbage', 'the token is malformed');
  });
});

describe('scopes', () => {
  test('a token from the identity provider without the route scope: 403; with it: 200', async () => {
    const without = (await fetchToken(stack, { scope: 'api:access' })).access_token;
    const forbidden = await get('/reports', `Bearer ${without}`);
    expect({
      status: forbidden.status,
      body: forbidden.body,
      wwwAuthenticate: forbidden.headers['www-authenticate'],
    }).toEqual({
      status: 403,
      body: FORBIDDEN,
      wwwAuthenticate:
        'Bearer scope="reports:read" error="insufficient_scope" error_description="expected scopes: [reports:read]"',
    });
    const withScope = (await fetchToken(stack, { scope: 'reports:read' })).access_token;
    const ok = await get('/reports', `Bearer ${withScope}`);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).reports).toHaveLength(2);
  });

  test(
    'an ID token (same issuer and key, aud = client id, no scope) opens a scope-less route and is 403 on a scoped ' +
      'one: why default scopes matter',
    async () => {
      const { id_token: idToken } = await fetchToken(stack, {
        grant_type: 'password',
        username: 'alice',
        password: 'alice-password',
        scope: 'openid reports:read',
      });
      const payload = JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString());
      expect(payload.scope).toBeUndefined();
      expect(payload).toMatchObject({ iss: stack.issuer, aud: stack.clientId, amr: ['password'] });
      expect(typeof payload.at_hash).toBe('string');
      // The dev environment has no defaultScopes, so /hello requires none: the ID token gets in.
      expect((await get('/hello', `Bearer ${idToken}`)).status).toBe(200);
      const reports = await get('/reports', `Bearer ${idToken}`);
      expect(reports.status).toBe(403);
      expect(reports.body).toBe(FORBIDDEN);
    },
  );
});

describe('routes and CORS', () => {
  test('a public route without a token: 200', async () => {
    const response = await get('/health');
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ status: 'ok' });
  });

  test('an unknown route: 404 Not Found, before any authorizer', async () => {
    const response = await get('/nope');
    expect(response.status).toBe(404);
    expect(response.body).toBe('{"message":"Not Found"}');
    expect((await httpCall(`${stack.gatewayUrl}/hello`, { method: 'POST' })).status).toBe(404);
  });

  test('CORS preflight: the allowed origin gets the CORS headers, another origin none', async () => {
    const preflight = (origin: string) =>
      httpCall(`${stack.gatewayUrl}/hello`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });
    const allowed = await preflight('http://localhost:3000');
    expect(allowed.status).toBe(204);
    expect(allowed.headers).toMatchObject({
      'access-control-allow-origin': 'http://localhost:3000',
      // The demo's ANY /legacy/{proxy+} route makes the construct allow every method (CorsHttpMethod.ANY).
      'access-control-allow-methods': '*',
      'access-control-allow-headers': 'authorization,content-type',
      'access-control-max-age': '3600',
    });
    const other = await preflight('https://evil.example.com');
    expect(other.status).toBe(204);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect(other.headers['access-control-allow-headers']).toBeUndefined();
  });

  test(
    'an actual cross-origin call from the allowed origin carries access-control-allow-origin, even ' + 'on 401',
    async () => {
      const response = await httpCall(`${stack.gatewayUrl}/hello`, { headers: { origin: 'http://localhost:3000' } });
      expect(response.status).toBe(401);
      expect(response.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    },
  );
});

describe('access log', () => {
  test('one line per request with route key, status and the authorizer error; never the token', async () => {
    const token = await stack.signingKey.sign(claims({ exp: now() - 1 }));
    const logged = stack.gateway.nextLine((line) => line.includes('"path":"/me"') && line.includes('"status":401'));
    await get('/me', `Bearer ${token}`);
    const entry = JSON.parse(await logged);
    expect(entry).toMatchObject({ httpMethod: 'GET', routeKey: 'GET /me', status: 401 });
    expect(entry.authorizerError).toMatch(/^exp \d+ \(.*\) is not after now \d+ \(.*\): the token expired \d+ s ago$/);
    expect(typeof entry.responseLatency).toBe('number');
    expect(stack.gateway.lines.join('\n')).not.toContain(token.split('.')[2]);
  });
});
