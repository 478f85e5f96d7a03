import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { callerFrom, listClaim, numericDateClaim, stringClaim } from '../../../lambda/api/claims';
import { handler } from '../../../lambda/api/handler';
import { ROUTE_HANDLERS, routeHandlerFor } from '../../../lambda/api/routes';

/** Each shape a claim can arrive in, at the edges of what the narrowing accepts. */
describe('stringClaim', () => {
  test.each([
    ['a string', 'alice', 'alice'],
    ['an empty string (absent)', '', undefined],
    ['a blank string, kept as given', ' ', ' '],
    ['a finite number', 42, '42'],
    ['zero', 0, '0'],
    ['NaN', Number.NaN, undefined],
    ['Infinity', Number.POSITIVE_INFINITY, undefined],
    ['a digit string', '42', '42'],
    ['an array', ['a'], undefined],
    ['a boolean', true, undefined],
  ])('%s', (_name, value, expected) => {
    expect(stringClaim({ c: value }, 'c')).toBe(expected);
  });
});

describe('listClaim', () => {
  test.each([
    ['API Gateway flattening', '[a b]', ['a', 'b']],
    ['a leading [ alone is part of the item', '[a b', ['[a', 'b']],
    ['a trailing ] alone is part of the item', 'a b]', ['a', 'b]']],
    ['tabs and newlines separate too', 'a\tb\nc', ['a', 'b', 'c']],
    ['runs of white space are one separator', 'a \t b', ['a', 'b']],
    ['brackets inside are kept', 'a[1] b', ['a[1]', 'b']],
  ])('%s', (_name, value, expected) => {
    expect(listClaim(value)).toEqual(expected);
  });
});

describe('numericDateClaim', () => {
  test.each([
    ['an integer', 1_764_403_600, 1_764_403_600],
    ['a digit string', '1764403600', 1_764_403_600],
    ['a decimal string', '1764403600.25', 1_764_403_600.25],
    ['digits then text', '1764403600abc', undefined],
    ['text then digits', 'abc1764403600', undefined],
    ['a dot without decimals', '1764403600.', undefined],
    ['decimals that are not digits', '1.x', undefined],
    ['two decimal digits', '1.25', 1.25],
    ['an empty string', '', undefined],
    ['a boolean', true, undefined],
    ['an array holding a number', [5], undefined],
  ])('%s', (_name, value, expected) => {
    expect(numericDateClaim({ exp: value }, 'exp')).toBe(expected);
  });
});

test('the token scopes win over the route scopes; scp is read when scope is absent', () => {
  expect(callerFrom({ scope: 'a' }, ['b']).scopes).toEqual(['a']);
  expect(callerFrom({ scope: '' }, ['b']).scopes).toEqual(['b']);
  expect(callerFrom({ scp: ['x'] }, ['b']).scopes).toEqual(['x']);
});

describe('what the function logs', () => {
  afterEach(() => jest.restoreAllMocks());

  function event(routeKey: string, claims?: Record<string, unknown>, scopes?: string[] | null) {
    return {
      routeKey,
      headers: {},
      requestContext: {
        requestId: 'req-9',
        ...(claims && { authorizer: { jwt: { claims, scopes: scopes ?? null } } }),
      },
    } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
  }

  test('one debug line per request: route, request id, status, subject and scopes', async () => {
    const debug = jest.spyOn(console, 'debug').mockImplementation(() => undefined);
    await handler(event('GET /hello', { sub: 'alice' }, ['reports:read']));
    expect(debug.mock.calls).toEqual([
      [
        'Request handled',
        { routeKey: 'GET /hello', requestId: 'req-9', status: 200, subject: 'alice', scopes: ['reports:read'] },
      ],
    ]);
  });

  test('a subject that is not a string is not logged', async () => {
    const debug = jest.spyOn(console, 'debug').mockImplementation(() => undefined);
    await handler(event('GET /hello', { sub: 42 }));
    expect(debug.mock.calls[0][1]).toEqual({
      routeKey: 'GET /hello',
      requestId: 'req-9',
      status: 200,
      subject: undefined,
      scopes: undefined,
    });
  });

  test('a public route without an authorizer context logs no caller', async () => {
    const debug = jest.spyOn(console, 'debug').mockImplementation(() => undefined);
    await handler(event('GET /health'));
    expect(debug.mock.calls[0][1]).toEqual({
      routeKey: 'GET /health',
      requestId: 'req-9',
      status: 200,
      subject: undefined,
      scopes: undefined,
    });
  });

  test('an unexpected error is logged as "Unhandled error" with its name, message and stack', async () => {
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    jest.spyOn(ROUTE_HANDLERS as Record<string, () => never>, 'GET /me').mockImplementation(() => {
      throw new RangeError('boom');
    });
    const result = await handler(event('GET /me', { sub: 'alice' }));
    expect(result.statusCode).toBe(500);
    expect(error.mock.calls).toEqual([
      [
        'Unhandled error',
        {
          routeKey: 'GET /me',
          requestId: 'req-9',
          error: { name: 'RangeError', message: 'boom', stack: expect.stringContaining('RangeError: boom') },
        },
      ],
    ]);
  });

  test('a thrown value that is not an Error is logged as text', async () => {
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    jest.spyOn(ROUTE_HANDLERS as Record<string, () => never>, 'GET /me').mockImplementation(() => {
      throw 'plain';
    });
    await handler(event('GET /me', { sub: 'alice' }));
    expect(error.mock.calls[0][1]).toEqual({ routeKey: 'GET /me', requestId: 'req-9', error: 'plain' });
  });

  test('an event without a request context is a 404 for an unknown route, logged without one', async () => {
    const debug = jest.spyOn(console, 'debug').mockImplementation(() => undefined);
    const result = await handler({ routeKey: 'GET /x' } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer);
    expect(result.statusCode).toBe(404);
    expect(debug.mock.calls[0][1]).toMatchObject({ requestId: undefined, subject: undefined });
  });
});

describe('routes', () => {
  const call = async (routeKey: string, claims: Record<string, unknown>) => {
    const result = await handler({
      routeKey,
      requestContext: { requestId: 'r', authorizer: { jwt: { claims, scopes: null } } },
    } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer);
    return JSON.parse(result.body);
  };

  beforeEach(() => jest.spyOn(console, 'debug').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  test('GET /hello greets the subject, else the client id, else "caller"', async () => {
    expect(await call('GET /hello', { sub: 'alice', client_id: 'app' })).toEqual({ message: 'Hello, alice!' });
    expect(await call('GET /hello', { client_id: 'app' })).toEqual({ message: 'Hello, app!' });
    expect(await call('GET /hello', {})).toEqual({ message: 'Hello, caller!' });
  });

  test('GET /reports lists the demo reports for the caller', async () => {
    expect(await call('GET /reports', { sub: 'alice' })).toEqual({
      owner: 'alice',
      reports: [
        { id: 'r-001', title: 'Monthly active users' },
        { id: 'r-002', title: 'Token issuance by client' },
      ],
    });
  });

  test.each([null, undefined, 42, 'GET /health'])(
    'an event that is not an object (%p) is a 404, not a crash',
    async (input) => {
      const result = await handler(input as unknown as APIGatewayProxyEventV2WithJWTAuthorizer);
      expect([result.statusCode, JSON.parse(result.body)]).toEqual([404, { message: 'Not Found' }]);
    },
  );
});

describe('fail closed', () => {
  afterEach(() => jest.restoreAllMocks());

  test.each([
    ['null claims', null],
    ['claims as a string', 'sub=alice'],
    ['claims as a number', 7],
  ])('a protected route with %s answers 401', async (_name, claims) => {
    jest.spyOn(console, 'debug').mockImplementation(() => undefined);
    const result = await handler({
      routeKey: 'GET /me',
      requestContext: { requestId: 'r', authorizer: { jwt: { claims, scopes: null } } },
    } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer);
    expect([result.statusCode, JSON.parse(result.body)]).toEqual([401, { message: 'Unauthorized' }]);
  });

  test('a route key that only turns into a route as text is not one', () => {
    expect(routeHandlerFor(['GET /health'])).toBeUndefined();
  });
});
