import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { callerFrom, isoInstant, numericDateClaim } from '../../../lambda/api/claims';
import { handler } from '../../../lambda/api/handler';
import { routeHandlerFor } from '../../../lambda/api/routes';

/** Claims API Gateway lets through although they are not the usual shape (issue 12). */
function event(routeKey: string, claims: Record<string, unknown>, scopes: unknown = null) {
  return {
    version: '2.0',
    routeKey,
    rawPath: '/me',
    rawQueryString: '',
    headers: { authorization: 'Bearer header.value.secret' },
    isBase64Encoded: false,
    requestContext: {
      requestId: 'req-hostile',
      routeKey,
      http: { method: 'GET', path: '/me', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'jest' },
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes } },
    },
  } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
}

async function call(routeKey: string, claims: Record<string, unknown>, scopes?: unknown) {
  const result = await handler(event(routeKey, claims, scopes));
  return { status: result.statusCode, body: JSON.parse(result.body) };
}

describe('an exp beyond the range of a JavaScript date', () => {
  // API Gateway only checks that exp is in the future, so these reach the function.
  test.each([
    ['a number', 1e300],
    ['a digit string as API Gateway delivers it', '99999999999999999999'],
    ['the first second a Date cannot hold', 8.64e12 + 1],
  ])('as %s answers 200 without expiresAt', async (_name, exp) => {
    const { status, body } = await call('GET /me', { sub: 'alice', exp });
    expect(status).toBe(200);
    expect(body.subject).toBe('alice');
    expect(body).not.toHaveProperty('expiresAt');
  });

  test('the last second a Date can hold is still shown', () => {
    expect(isoInstant(8.64e12)).toBe('+275760-09-13T00:00:00.000Z');
    expect(isoInstant(undefined)).toBeUndefined();
  });

  test('a negative exp is a date before 1970, not an error', () => {
    expect(callerFrom({ exp: -1 }).expiresAt).toBe('1969-12-31T23:59:59.000Z');
  });
});

describe('claims of an unexpected type', () => {
  test('a negative or signed digit string is not a NumericDate', () => {
    expect(numericDateClaim({ exp: '-5' }, 'exp')).toBeUndefined();
    expect(numericDateClaim({ exp: '1e3' }, 'exp')).toBeUndefined();
    expect(numericDateClaim({ exp: '12.5' }, 'exp')).toBe(12.5);
    expect(numericDateClaim({ exp: Number.POSITIVE_INFINITY }, 'exp')).toBeUndefined();
  });

  test('arrays where strings are usual and empty strings become absent', () => {
    expect(callerFrom({ sub: ['a', 'b'], iss: '', aut: {}, client_id: '', azp: 'azp-1' })).toEqual({
      subject: undefined,
      clientId: 'azp-1',
      issuer: undefined,
      audience: [],
      scopes: [],
      tokenKind: undefined,
      expiresAt: undefined,
    });
  });

  test('route scopes that are not a list of strings are ignored, not spread into characters', () => {
    expect(callerFrom({}, 'reports:read' as unknown as string[]).scopes).toEqual([]);
    expect(callerFrom({}, ['a', 7, null] as unknown as string[]).scopes).toEqual(['a']);
  });
});

describe('route lookup', () => {
  test.each(['constructor', 'toString', 'valueOf', '__proto__', 'hasOwnProperty'])(
    'an inherited property name %s is not a route: 404, nothing of the event returned',
    async (routeKey) => {
      const result = await handler(event(routeKey, { sub: 'alice' }));
      expect(result.statusCode).toBe(404);
      expect(JSON.parse(result.body)).toEqual({ message: 'Not Found' });
      expect(result.body).not.toContain('header.value.secret');
    },
  );

  test('only own string keys find a handler', () => {
    expect(routeHandlerFor('GET /health')).toBeInstanceOf(Function);
    expect(routeHandlerFor('constructor')).toBeUndefined();
    expect(routeHandlerFor(undefined)).toBeUndefined();
    expect(routeHandlerFor(42)).toBeUndefined();
  });
});
