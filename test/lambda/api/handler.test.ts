import { type HttpApiEventOptions, httpApiEvent } from '../../support/http-api-event';
import DELIVERED from '../../fixtures/api-gateway-delivered-claims.json';
import { callerFrom, listClaim } from '../../../lambda/api/claims';
import { handler } from '../../../lambda/api/handler';
import { ROUTE_HANDLERS } from '../../../lambda/api/routes';

function event(routeKey: string, jwt?: HttpApiEventOptions['jwt']) {
  return httpApiEvent(routeKey, { jwt, headers: { authorization: 'Bearer secret.token.value' } });
}

async function call(routeKey: string, jwt?: Parameters<typeof event>[1]) {
  const result = await handler(event(routeKey, jwt));
  return { status: result.statusCode, headers: result.headers, body: JSON.parse(result.body) };
}

describe('routes', () => {
  test('GET /health answers without a caller', async () => {
    expect(await call('GET /health')).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
      body: { status: 'ok' },
    });
  });

  test('GET /hello greets the subject', async () => {
    expect((await call('GET /hello', DELIVERED)).body).toEqual({ message: 'Hello, 9hKXpVeF2nTb1cFrR0fDfR4tA8ka!' });
  });

  test('GET /me returns the caller as API Gateway delivered the claims', async () => {
    expect(await call('GET /me', DELIVERED)).toMatchObject({
      status: 200,
      body: {
        subject: '9hKXpVeF2nTb1cFrR0fDfR4tA8ka',
        clientId: '9hKXpVeF2nTb1cFrR0fDfR4tA8ka',
        issuer: 'https://localhost:9443/oauth2/token',
        audience: ['9hKXpVeF2nTb1cFrR0fDfR4tA8ka'],
        scopes: ['reports:read'],
        tokenKind: 'APPLICATION',
        expiresAt: '2025-11-29T08:06:40.000Z',
      },
    });
  });

  test('GET /reports lists reports for the caller', async () => {
    const { status, body } = await call('GET /reports', DELIVERED);
    expect(status).toBe(200);
    expect(body.owner).toBe('9hKXpVeF2nTb1cFrR0fDfR4tA8ka');
    expect(body.reports).toHaveLength(2);
  });

  test('an unknown route is 404 Not Found', async () => {
    expect(await call('GET /nowhere', DELIVERED)).toMatchObject({ status: 404, body: { message: 'Not Found' } });
  });

  test('a protected route reached without claims fails closed with 401', async () => {
    expect(await call('GET /me')).toMatchObject({ status: 401, body: { message: 'Unauthorized' } });
  });
});

describe('claim narrowing', () => {
  test('an array aud flattened by API Gateway, numbers as strings', () => {
    const caller = callerFrom({ aud: '[9hKX reports-api]', exp: '1764403600', scope: 'openid reports:read' });
    expect(caller.audience).toEqual(['9hKX', 'reports-api']);
    expect(caller.expiresAt).toBe('2025-11-29T08:06:40.000Z');
    expect(caller.scopes).toEqual(['openid', 'reports:read']);
  });

  test('real arrays and numbers', () => {
    const caller = callerFrom({ aud: ['a', 'b'], exp: 1764403600, scope: ['x', 'y'] });
    expect(caller.audience).toEqual(['a', 'b']);
    expect(caller.scopes).toEqual(['x', 'y']);
    expect(caller.expiresAt).toBe('2025-11-29T08:06:40.000Z');
  });

  test('scp instead of scope, and route scopes when the token carries neither', () => {
    expect(callerFrom({ scp: 'a b' }).scopes).toEqual(['a', 'b']);
    expect(callerFrom({}, ['reports:read']).scopes).toEqual(['reports:read']);
    expect(callerFrom({}, null).scopes).toEqual([]);
  });

  test('client id from client_id, else azp (WSO2 5.11 tokens have no client_id)', () => {
    expect(callerFrom({ azp: 'u8Wz', client_id: 'c1' }).clientId).toBe('c1');
    expect(callerFrom({ azp: 'u8Wz' }).clientId).toBe('u8Wz');
  });

  test('missing or malformed claims become absent, never a crash', () => {
    expect(callerFrom({ exp: 'soon', sub: 42, aud: 7, scope: null })).toEqual({
      subject: '42',
      clientId: undefined,
      issuer: undefined,
      audience: [],
      scopes: [],
      tokenKind: undefined,
      expiresAt: undefined,
    });
  });

  test('listClaim drops empty items', () => {
    expect(listClaim('  a   b ')).toEqual(['a', 'b']);
    expect(listClaim('[]')).toEqual([]);
    expect(listClaim(['a', '', 3])).toEqual(['a']);
  });
});

describe('unexpected errors', () => {
  afterEach(() => jest.restoreAllMocks());

  test('become a 500 without internals, logged without the token or headers', async () => {
    // GIVEN a route whose code throws
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    jest.spyOn(ROUTE_HANDLERS as Record<string, () => never>, 'GET /me').mockImplementation(() => {
      throw new Error('database exploded at 10.0.0.7');
    });

    // WHEN
    const result = await call('GET /me', DELIVERED);

    // THEN
    expect(result).toMatchObject({ status: 500, body: { message: 'Internal Server Error' } });
    expect(JSON.stringify(result)).not.toContain('exploded');
    const logText = JSON.stringify(logged.mock.calls);
    expect(logText).toContain('database exploded');
    expect(logText).not.toContain('secret.token.value');
    expect(logText).not.toMatch(/authorization/i);
  });
});
