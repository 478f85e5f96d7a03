/**
 * The demo stack's new route targets end to end: the `orders` function of its own, the `legacy`
 * HTTP backend (the echo backend) with the caller's identity mapped into headers, and the second
 * issuer `partner` (a WSO2 tenant of the local identity provider). The real app, synthesized with
 * this run's issuers and backend URL (test/support/shared-services.ts), is served by a gateway of
 * this file's own; identity provider and echo backend are the run's, on ephemeral loopback ports.
 */
import { ORDERS } from '../../lambda/orders/handler';
import {
  closeHttpAgent,
  type DemoIssuer,
  httpCall,
  requestToken,
  type SimpleResponse,
  type StartedProcess,
  sharedIdpAndBackend,
  startGatewayCli,
} from '../support/local-stack';
import { sharedAssembly, sharedServices } from '../support/shared-services';

let gateway: StartedProcess | undefined;
let ca: string;
let main: DemoIssuer;
let partner: DemoIssuer;

beforeAll(async () => {
  ({ ca, main, partner } = sharedIdpAndBackend());
  gateway = await startGatewayCli(await sharedAssembly(), sharedServices().caFile);
}, 60_000);

afterAll(async () => {
  closeHttpAgent();
  await gateway?.stop();
});

async function tokenFor(issuer: DemoIssuer, form: Record<string, string>): Promise<string> {
  return (await requestToken(issuer, ca, form)).access_token;
}

const call = (path: string, token?: string, headers: Record<string, string> = {}): Promise<SimpleResponse> =>
  httpCall(`${String(gateway?.ready.url)}${path}`, {
    headers: { ...headers, ...(token !== undefined && { authorization: `Bearer ${token}` }) },
  });
const status = (response: SimpleResponse) => ({ status: response.status, body: response.body });
const UNAUTHORIZED = { status: 401, body: '{"message":"Unauthorized"}' };

describe('the legacy HTTP backend (ANY /legacy/{proxy+})', () => {
  test('200: the backend receives path, query and the identity from the token, not the forged headers', async () => {
    const token = await tokenFor(main, { scope: 'api:access' });
    const response = await call('/legacy/items/42?page=2', token, {
      'x-wso2-sub': 'forged-admin',
      'x-wso2-client-id': 'forged-client',
      'x-wso2-scope': 'admin',
      'x-wso2-issuer': 'https://evil.example.com',
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({
      method: 'GET',
      path: '/legacy/items/42',
      query: { page: ['2'] },
      identity: {
        'x-wso2-sub': main.clientId,
        'x-wso2-client-id': main.clientId,
        'x-wso2-scope': 'api:access',
        'x-wso2-issuer': main.issuer,
      },
      bodyBytes: 0,
    });
  });

  test('a user token: the backend sees the user as subject', async () => {
    const token = await tokenFor(main, {
      grant_type: 'password',
      username: 'alice',
      password: 'alice-password',
      scope: 'api:access',
    });
    const response = await call('/legacy/profile', token);
    expect(JSON.parse(response.body).identity['x-wso2-sub']).toBe('2f5c6d0e-1b2a-4c3d-8e9f-0a1b2c3d4e5f');
  });

  test('401 without a token', async () => {
    const response = await call('/legacy/items/42');
    expect(status(response)).toEqual(UNAUTHORIZED);
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });
});

describe('the orders function of its own', () => {
  test('200 with a token of the default issuer; 401 without one', async () => {
    const response = await call('/orders/o-1001', await tokenFor(main, { scope: 'api:access' }));
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ order: ORDERS[0], caller: { sub: main.clientId, iss: main.issuer } });
    expect(status(await call('/orders'))).toEqual(UNAUTHORIZED);
  });
});

describe('the second issuer (partner, a WSO2 tenant)', () => {
  test('its route accepts its tokens', async () => {
    const response = await call('/partner/orders', await tokenFor(partner, { scope: 'api:access' }));
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({
      orders: ORDERS,
      caller: { sub: partner.clientId, iss: partner.issuer },
    });
  });

  test("403 without the route's scope", async () => {
    const response = await call('/partner/orders', await tokenFor(partner, { scope: 'reports:read' }));
    expect(status(response)).toEqual({ status: 403, body: '{"message":"Forbidden"}' });
    expect(response.headers['www-authenticate']).toMatch(/^Bearer scope="api:access" error="insufficient_scope"/);
  });

  test("its route refuses the default issuer's tokens", async () => {
    expect(status(await call('/partner/orders', await tokenFor(main, { scope: 'api:access' })))).toEqual(UNAUTHORIZED);
  });

  test("the default issuer's routes refuse its tokens, on the function and on the HTTP backend", async () => {
    const token = await tokenFor(partner, { scope: 'api:access' });
    expect(status(await call('/orders', token))).toEqual(UNAUTHORIZED);
    expect(status(await call('/legacy/items/42', token))).toEqual(UNAUTHORIZED);
  });
});
