import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { contextReaderFor, DEFAULT_IDENTITY_HEADERS, loadEnvironmentConfig } from '../../../lib/config';
import { DEFAULT_IDENTITY_HEADER_PREFIX } from '../../../tools/local-backend/server';
import { loadDemoValues } from '../../../tools/local-idp/demo-config';
import { type RunningIdentityProvider, startIdentityProvider } from '../../../tools/local-idp/server';
import { httpsCall } from '../../support/local-stack';
import { testTempDir } from '../../support/temp-dir';
import { sharedCertDir } from '../../support/test-keys';
import { thrown } from '../../support/thrown';

let idp: RunningIdentityProvider;
let ca: string;

beforeAll(async () => {
  idp = await startIdentityProvider({ port: 0, certDir: sharedCertDir() });
  ca = readFileSync(idp.tlsCertFile, 'utf8');
});
afterAll(() => idp.close());

const getJson = async (url: string) => JSON.parse((await httpsCall(url, { ca })).body);

async function token(origin: string, clientId: string, secret: string, scope: string) {
  return httpsCall(`${origin}/oauth2/token`, {
    method: 'POST',
    ca,
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: `grant_type=client_credentials&scope=${encodeURIComponent(scope)}`,
  });
}

describe('a WSO2 tenant on the local identity provider', () => {
  test('its issuer, discovery and JWKS live under /t/<domain>/, like WSO2 IS tenants', async () => {
    const [tenant] = idp.tenants;
    expect(tenant.domain).toBe('partner.example.com');
    expect(tenant.issuer).toBe(`https://localhost:${idp.port}/t/partner.example.com/oauth2/token`);
    for (const path of [
      'oauth2/token/.well-known/openid-configuration',
      'oauth2/oidcdiscovery/.well-known/openid-configuration',
    ]) {
      const discovery = await getJson(`https://localhost:${idp.port}/t/partner.example.com/${path}`);
      expect(discovery).toMatchObject({
        issuer: tenant.issuer,
        token_endpoint: tenant.issuer,
        jwks_uri: `https://localhost:${idp.port}/t/partner.example.com/oauth2/jwks`,
      });
    }
  });

  test(
    "its own signing key: a different kid from the super tenant's, " + 'and tokens verify against its JWKS only',
    async () => {
      const [tenant] = idp.tenants;
      const client = tenant.demoValues.clients[0];
      const response = await token(
        `https://localhost:${idp.port}/t/partner.example.com`,
        client.clientId,
        client.secret,
        'api:access',
      );
      expect(response.status).toBe(200);
      const accessToken = JSON.parse(response.body).access_token as string;
      const tenantJwks = await getJson(`https://localhost:${idp.port}/t/partner.example.com/oauth2/jwks`);
      const superJwks = await getJson(`https://localhost:${idp.port}/oauth2/jwks`);
      expect(tenantJwks.keys[0].kid).not.toBe(superJwks.keys[0].kid);
      expect(decodeProtectedHeader(accessToken).kid).toBe(tenantJwks.keys[0].kid);
      const { payload } = await jwtVerify(accessToken, await importJWK(tenantJwks.keys[0], 'RS256'));
      expect(payload).toMatchObject({
        iss: tenant.issuer,
        aud: client.clientId,
        client_id: client.clientId,
        scope: 'api:access',
      });
      await expect(jwtVerify(accessToken, await importJWK(superJwks.keys[0], 'RS256'))).rejects.toThrow();
    },
  );

  test("the super tenant's client is unknown to the tenant, and the tenant's to the super tenant", async () => {
    const superClient = idp.demoValues.clients[0];
    const tenantClient = idp.tenants[0].demoValues.clients[0];
    const origin = `https://localhost:${idp.port}`;
    expect(
      (await token(`${origin}/t/partner.example.com`, superClient.clientId, superClient.secret, 'api:access')).status,
    ).toBe(401);
    expect((await token(origin, tenantClient.clientId, tenantClient.secret, 'api:access')).status).toBe(401);
  });

  test('an unknown tenant: 404 naming the path', async () => {
    const response = await httpsCall(`https://localhost:${idp.port}/t/nobody.example.com/oauth2/jwks`, { ca });
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body).error_description).toBe('no tenant at "/t/nobody.example.com/oauth2/jwks"');
  });

  test('a tenant domain that is not a DNS-like name is refused when the demo values load', () => {
    const file = join(testTempDir('idp-tenants-'), 'demo-values.json');
    const raw = JSON.parse(readFileSync(join(__dirname, '../../../tools/local-idp/demo-values.json'), 'utf8'));
    raw.tenants[0].domain = '../oauth2';
    writeFileSync(file, JSON.stringify(raw));
    expect(thrown(() => loadDemoValues(file, 'demo')).message).toBe(
      `${file}: tenants[0].domain is invalid, got "../oauth2"`,
    );
  });
});

describe('one source of truth with cdk.json', () => {
  test("every dev issuer on the local identity provider is served, with the issuer's audience as its client", () => {
    const { config } = loadEnvironmentConfig(contextReaderFor({ env: 'dev' }));
    const local = Object.entries(config.issuers).filter(([, issuer]) =>
      issuer.issuerUrl.startsWith('https://localhost:9443/'),
    );
    expect(local.length).toBeGreaterThanOrEqual(2);
    const demo = loadDemoValues();
    for (const [name, issuer] of local) {
      const tenant = /^https:\/\/localhost:9443\/t\/([^/]+)\/oauth2\/token$/.exec(issuer.issuerUrl)?.[1];
      const clients = tenant ? demo.tenants.find((t) => t.domain === tenant)?.values.clients : demo.clients;
      expect({ name, client: clients?.[0].clientId }).toEqual({ name, client: issuer.audiences[0] });
    }
  });

  test('the echo backend echoes every identity header the HTTP targets map by default', () => {
    for (const header of Object.keys(DEFAULT_IDENTITY_HEADERS))
      expect(header.startsWith(DEFAULT_IDENTITY_HEADER_PREFIX)).toBe(true);
  });
});
