import { httpApiEvent } from '../../support/http-api-event';
import { testRsaKeyPair } from '../../support/test-keys';
import { SignJWT } from 'jose';
import { handler } from '../../../lambda/api/handler';
import { ROUTE_HANDLERS } from '../../../lambda/api/routes';

/** Everything the handler could write: every console method and both output streams. */
function captureLogs(): { text: () => string } {
  const lines: string[] = [];
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(
        args
          .map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg, Object.getOwnPropertyNames(arg ?? {}))))
          .join(' '),
      );
      lines.push(JSON.stringify(args));
    });
  }
  for (const stream of [process.stdout, process.stderr]) {
    jest.spyOn(stream, 'write').mockImplementation((chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    });
  }
  return { text: () => lines.join('\n') };
}

/** The token everywhere a caller could put it: header, query string, cookie. */
function event(routeKey: string, token: string, claims: Record<string, string>) {
  return httpApiEvent(routeKey, {
    rawQueryString: `access_token=${token}`,
    cookies: [`session=${token}`],
    headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': '203.0.113.9' },
    queryStringParameters: { access_token: token },
    sourceIp: '203.0.113.9',
    requestId: 'req-logging',
    jwt: { claims, scopes: ['reports:read'] },
  });
}

describe('the token never reaches a log line', () => {
  let token: string;
  let claims: Record<string, string>;

  beforeAll(async () => {
    const { privateKey } = testRsaKeyPair();
    claims = {
      iss: 'https://is.example.com/oauth2/token',
      sub: 'alice',
      aud: 'client-a',
      client_id: 'client-a',
      scope: 'reports:read',
    };
    token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key', typ: 'at+jwt' })
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
  });

  afterEach(() => jest.restoreAllMocks());

  function expectNoToken(logged: string): void {
    const [header, payload, signature] = token.split('.');
    expect(logged).not.toContain(token);
    expect(logged).not.toContain(signature);
    expect(logged).not.toContain(payload);
    expect(logged).not.toContain(header);
    expect(logged).not.toMatch(/bearer/i);
  }

  test.each(Object.keys(ROUTE_HANDLERS))('on %s', async (routeKey) => {
    const logs = captureLogs();
    const result = await handler(event(routeKey, token, claims));
    expect(result.statusCode).toBe(200);
    expect(logs.text()).toContain('Request handled');
    expectNoToken(logs.text());
  });

  test('on an unknown route (404)', async () => {
    const logs = captureLogs();
    expect((await handler(event('GET /nowhere', token, claims))).statusCode).toBe(404);
    expectNoToken(logs.text());
  });

  test('on an unexpected error (500), whose message and stack are logged', async () => {
    const logs = captureLogs();
    jest.spyOn(ROUTE_HANDLERS as Record<string, () => never>, 'GET /me').mockImplementation(() => {
      throw new Error('backend exploded');
    });
    expect((await handler(event('GET /me', token, claims))).statusCode).toBe(500);
    expect(logs.text()).toContain('backend exploded');
    expectNoToken(logs.text());
  });
});
