import fc from 'fast-check';
import { handler } from '../../lambda/api/handler';
import type { ApiEvent } from '../../lambda/api/routes';
import { type CapturedOutput, captureOutput } from './capture';
import { fuzzParameters, fuzzTimeoutMs } from './settings';

let output: CapturedOutput;
beforeAll(() => {
  output = captureOutput();
});
afterAll(() => output.restore());

/**
 * The API function fed generated payload-2.0 events: well-formed, malformed, and claims of
 * every type and magnitude (API Gateway passes whatever a valid token carries). Properties:
 * it never throws, always answers 200/401/404 JSON, and no header value ever reaches its
 * response or its logs.
 */
const SECRET = 'hdr-secret-7f3a9c';
const KNOWN = { 'GET /health': false, 'GET /hello': true, 'GET /me': true, 'GET /reports': true } as const;

const hostileNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(1e300, -1e300, 8.64e12, 8.64e12 + 1, -0, Number.MAX_SAFE_INTEGER),
);
const hostileString = fc.oneof(
  fc.string(),
  fc.constantFrom('', ' ', '[]', '[a b]', '99999999999999999999', '1e400', '-5', 'NaN', '__proto__'),
  hostileNumber.map(String),
);
const claimValue = fc.oneof(
  hostileString,
  hostileNumber,
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(hostileString, hostileNumber, fc.constant(null)), { maxLength: 4 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
);
const claimName = fc.oneof(
  fc.constantFrom('sub', 'iss', 'aud', 'exp', 'nbf', 'iat', 'scope', 'scp', 'client_id', 'azp', 'aut', 'jti'),
  fc.constantFrom('__proto__', 'constructor', 'toString'),
  fc.string({ maxLength: 8 }),
);
const claims = fc.dictionary(claimName, claimValue, { maxKeys: 12 });
const headerValue = fc.string({ maxLength: 20 }).map((text) => `${SECRET}${text}`);

const routeKey = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...Object.keys(KNOWN)) },
  { weight: 1, arbitrary: fc.constantFrom('constructor', '__proto__', 'toString', 'valueOf', 'GET /nowhere', '') },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);
const jwt = fc.oneof(
  { weight: 6, arbitrary: fc.record({ claims, scopes: fc.oneof(fc.constant(null), fc.array(fc.string())) }) },
  { weight: 1, arbitrary: fc.record({ claims: fc.anything(), scopes: fc.anything() }) },
  { weight: 1, arbitrary: fc.constantFrom(undefined, null) },
);
const wellFormedEvent = fc.record({
  version: fc.constant('2.0'),
  routeKey,
  rawPath: fc.string(),
  rawQueryString: headerValue,
  headers: fc.dictionary(fc.constantFrom('authorization', 'cookie', 'x-api-key', 'origin'), headerValue, {
    minKeys: 1,
  }),
  cookies: fc.array(headerValue, { maxLength: 2 }),
  isBase64Encoded: fc.boolean(),
  requestContext: fc.record(
    {
      requestId: fc.string({ maxLength: 12 }),
      routeKey,
      authorizer: fc.option(fc.record({ jwt }), { nil: undefined }),
    },
    { requiredKeys: ['requestId'] },
  ),
});
const event = fc.oneof(
  { weight: 8, arbitrary: wellFormedEvent },
  { weight: 1, arbitrary: fc.anything() },
  { weight: 1, arbitrary: fc.record({ routeKey, headers: fc.anything() }, { requiredKeys: [] }) },
);

function expectedStatuses(input: unknown): number[] {
  const key = (input as { routeKey?: unknown } | null)?.routeKey;
  if (typeof key !== 'string' || !Object.hasOwn(KNOWN, key)) return [404];
  return KNOWN[key as keyof typeof KNOWN] ? [200, 401] : [200];
}

test(
  'the API function never throws, answers 200/401/404 JSON and never repeats a header value',
  async () => {
    await fc.assert(
      fc.asyncProperty(event, async (input) => {
        const mark = output.mark();
        const result = await handler(input as ApiEvent);
        expect(expectedStatuses(input)).toContain(result.statusCode);
        expect(typeof result.body).toBe('string');
        expect(() => JSON.parse(result.body)).not.toThrow();
        expect(JSON.stringify(result)).not.toContain(SECRET);
        expect(output.since(mark)).not.toContain(SECRET);
      }),
      fuzzParameters(500),
    );
  },
  fuzzTimeoutMs(10_000),
);

test('a known protected route with claims of any shape answers 200, never 500', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom('GET /hello', 'GET /me', 'GET /reports'), claims, async (key, generated) => {
      const result = await handler({
        routeKey: key,
        headers: { authorization: `Bearer ${SECRET}` },
        requestContext: { requestId: 'fuzz', authorizer: { jwt: { claims: generated, scopes: null } } },
      } as unknown as ApiEvent);
      expect(result.statusCode).toBe(200);
    }),
    fuzzParameters(300),
  );
});
