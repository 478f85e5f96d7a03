/**
 * The identity provider's OAuth behaviour (RFC 6749 errors, WSO2 token shapes) and the
 * gateway in front of an issuer it cannot reach: a warning at start-up and 401s with the
 * reason, never an open route.
 */
import { createServer } from 'node:net';
import { ListenError, type RunningIdentityProvider, startIdentityProvider } from '../../tools/local-idp/server';
import {
  assemblyWithIssuer,
  closeHttpAgent,
  httpCall,
  httpsCall,
  sharedIdpAndBackend,
  startGatewayCli,
} from '../support/local-stack';
import { rmSync, readFileSync } from 'node:fs';
import { loadSigningKey } from '../../tools/local-idp/signing-key';

let idp: RunningIdentityProvider;
let ca: string;
beforeAll(async () => {
  idp = await startIdentityProvider({ port: 0 });
  ca = readFileSync(idp.tlsCertFile, 'utf8');
});
afterAll(async () => {
  closeHttpAgent();
  await idp?.close();
});

const form = 'application/x-www-form-urlencoded';
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const token = (body: string, headers: Record<string, string> = {}) =>
  httpsCall(`${idp.origin}/oauth2/token`, { method: 'POST', ca, headers: { 'content-type': form, ...headers }, body });
const decode = (jwt: string, part = 1) => JSON.parse(Buffer.from(jwt.split('.')[part], 'base64url').toString());

describe('local identity provider', () => {
  test('discovery names the issuer and jwks_uri; the JWKS is WSO2-shaped', async () => {
    const discovery = JSON.parse((await httpsCall(`${idp.issuer}/.well-known/openid-configuration`, { ca })).body);
    expect(discovery).toMatchObject({
      issuer: `https://localhost:${idp.port}/oauth2/token`,
      jwks_uri: `https://localhost:${idp.port}/oauth2/jwks`,
      token_endpoint: `https://localhost:${idp.port}/oauth2/token`,
    });
    const jwks = JSON.parse((await httpsCall(discovery.jwks_uri, { ca })).body);
    expect(jwks.keys).toHaveLength(2);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', use: 'sig', alg: 'RS256', e: 'AQAB' });
    expect(jwks.keys[0].kid).toMatch(/^[A-Za-z0-9_-]+_RS256$/);
    expect(jwks.keys[1].kid).toBe(jwks.keys[0].kid.replace(/_RS256$/, '_PS256'));
    expect(jwks.keys[0]['x5t#S256']).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  const clientCredentials = () => {
    const [client] = idp.demoValues.clients;
    return `grant_type=client_credentials&client_id=${client.clientId}&client_secret=${client.secret}`;
  };

  test('client_credentials with form credentials: a WSO2 IS 7 access token', async () => {
    const response = await token(`${clientCredentials()}&scope=reports:read%20reports:admin-not-known`);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      error: 'invalid_scope',
      error_description:
        'unknown scope "reports:admin-not-known" (known: openid profile email api:access reports:read reports:write)',
    });
    const ok = await token(`${clientCredentials()}&scope=reports:read`);
    expect(ok.status).toBe(200);
    expect(ok.headers['cache-control']).toBe('no-store');
    const body = JSON.parse(ok.body);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'reports:read' });
    expect(decode(body.access_token, 0)).toEqual({ alg: 'RS256', typ: 'at+jwt', kid: idp.signingKey.kid });
    const claims = decode(body.access_token);
    const clientId = idp.demoValues.clients[0].clientId;
    expect(claims).toMatchObject({
      iss: idp.issuer,
      sub: clientId,
      aud: clientId,
      azp: clientId,
      client_id: clientId,
      scope: 'reports:read',
      aut: 'APPLICATION',
    });
    expect(claims.exp - claims.iat).toBe(3600);
    expect(claims.nbf).toBe(claims.iat);
    expect(typeof claims.jti).toBe('string');
  });

  test('scopes the client may not have are left out, as WSO2 does; none requested gives "default"', async () => {
    const other = basic('other-app-client', 'other-app-secret');
    expect(
      JSON.parse(
        (await token('grant_type=client_credentials&scope=reports:read reports:write', { authorization: other })).body,
      ).scope,
    ).toBe('reports:read');
    expect(JSON.parse((await token('grant_type=client_credentials', { authorization: other })).body).scope).toBe(
      'default',
    );
  });

  test.each([
    [
      'a wrong secret over Basic',
      'grant_type=client_credentials',
      { authorization: basic('wso2-jwt-demo-client', 'nope') },
      401,
      'invalid_client',
      'client authentication failed: unknown client or wrong secret',
      'Basic realm="oauth2"',
    ],
    [
      'no client authentication',
      'grant_type=client_credentials',
      {},
      401,
      'invalid_client',
      'no client authentication: send HTTP Basic client_id:client_secret or client_id and client_secret in the form',
      'Basic realm="oauth2"',
    ],
    [
      'a wrong password',
      'grant_type=password&username=alice&password=nope',
      { authorization: basic('wso2-jwt-demo-client', 'wso2-jwt-demo-secret') },
      400,
      'invalid_grant',
      'the username or password is wrong',
      undefined,
    ],
    [
      'an unsupported grant',
      'grant_type=authorization_code&code=x',
      { authorization: basic('wso2-jwt-demo-client', 'wso2-jwt-demo-secret') },
      400,
      'unsupported_grant_type',
      'grant_type "authorization_code" is not supported (supported: client_credentials, password)',
      undefined,
    ],
    [
      'a grant the client may not use',
      'grant_type=password&username=alice&password=alice-password',
      { authorization: basic('other-app-client', 'other-app-secret') },
      400,
      'unauthorized_client',
      'client other-app-client may not use grant_type password',
      undefined,
    ],
    [
      'no grant_type',
      'scope=openid',
      { authorization: basic('wso2-jwt-demo-client', 'wso2-jwt-demo-secret') },
      400,
      'invalid_request',
      'grant_type is missing',
      undefined,
    ],
    [
      'a repeated parameter',
      'grant_type=client_credentials&scope=a&scope=b',
      { authorization: basic('wso2-jwt-demo-client', 'wso2-jwt-demo-secret') },
      400,
      'invalid_request',
      'parameter scope is repeated',
      undefined,
    ],
  ])('%s', async (_name, body, headers, status, error, description, challenge) => {
    const response = await token(body, headers as Record<string, string>);
    expect(response.status).toBe(status);
    expect(JSON.parse(response.body)).toEqual({ error, error_description: description });
    expect(response.headers['www-authenticate']).toBe(challenge);
  });

  test('a port in use is a ListenError naming the port and the option', async () => {
    const error = await startIdentityProvider({ port: idp.port }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ListenError);
    expect((error as Error).message).toBe(
      `port ${idp.port} is already in use (127.0.0.1:${idp.port}): is a WSO2 IS or another local identity provider ` +
        `running? Stop it or pick another port with --port`,
    );
  });
});

describe('gateway in front of an unreachable issuer', () => {
  test('warns at start-up and answers 401 with the reason on protected routes; public routes still work', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const deadPort = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const issuer = `https://localhost:${deadPort}/oauth2/token`;
    // The other issuer (partner) stays the run's identity provider, trusted: one warning, this one's.
    const outDir = await assemblyWithIssuer(issuer);
    try {
      const gateway = await startGatewayCli(outDir, sharedIdpAndBackend().caFile);
      try {
        // The warning goes to standard error, which may arrive after the listening line on stdout.
        expect(await gateway.line((line) => line.startsWith('WARNING: the issuer'))).toContain(
          `WARNING: the issuer ${issuer} cannot be used: ${issuer}/.well-known/openid-configuration could not be ` +
            `reached: ECONNREFUSED`,
        );
        const key = await loadSigningKey();
        const now = Math.floor(Date.now() / 1000);
        const jwt = await key.sign({ iss: issuer, aud: 'wso2-jwt-demo-client', exp: now + 60, iat: now });
        const url = String(gateway.ready.url);
        const logged = gateway.nextLine((line) => line.includes('"path":"/hello"'));
        const response = await httpCall(`${url}/hello`, { headers: { authorization: `Bearer ${jwt}` } });
        expect(response.status).toBe(401);
        expect(response.body).toBe('{"message":"Unauthorized"}');
        expect(response.headers['www-authenticate']).toBe(
          'Bearer scope="" error="invalid_token" error_description="unable to fetch the signing keys of the issuer"',
        );
        expect((await httpCall(`${url}/health`)).status).toBe(200);
        const entry = JSON.parse(await logged);
        expect(entry.authorizerError).toMatch(
          /^the issuer's signing keys could not be fetched: .* could not be reached: ECONNREFUSED/,
        );
      } finally {
        await gateway.stop();
      }
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 60_000);
});
