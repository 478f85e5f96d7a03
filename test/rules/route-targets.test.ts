import {
  authorizerNameFor,
  backendUrlProblem,
  DEFAULT_IDENTITY_HEADERS,
  DEFAULT_ISSUER_NAME,
  identityHeaderProblem,
  integrationTimeoutProblem,
  nameProblem,
  pascalCase,
  RESERVED_MAPPING_HEADERS,
  routeLimitProblem,
} from '../../rules/route-targets';

/**
 * The route-target rules on their own (the loader and the construct prefix the field): each
 * boundary and each message, without a synth.
 */
describe('nameProblem: target and issuer names become logical ids', () => {
  test.each(['a', 'orders', 'legacy-crm', 'v2', 'a1-b2-c3', 'x'.repeat(32)])('%s is a name', (name) => {
    expect(nameProblem(name)).toBeUndefined();
  });

  test.each([
    '',
    'Orders',
    '1orders',
    'legacy_crm',
    'legacy--crm',
    '-orders',
    'orders-',
    'legacy-2crm',
    ' orders',
    'orders ',
    'x'.repeat(33),
  ])('%j is not', (name) => {
    expect(nameProblem(name)).toBe(
      'must be a name of lower-case letters and digits in "-"-separated words starting with a letter, ' +
        `at most 32 characters (e.g. "orders", "legacy-crm"), got ${JSON.stringify(name)}`,
    );
  });
});

test('pascalCase joins the words, each capitalised', () => {
  expect(pascalCase('legacy-crm')).toBe('LegacyCrm');
  expect(pascalCase('orders')).toBe('Orders');
  expect(pascalCase('a1-b2-c3')).toBe('A1B2C3');
});

test("authorizerNameFor: the default issuer keeps the single-issuer shape's name; others add theirs", () => {
  expect(authorizerNameFor(DEFAULT_ISSUER_NAME)).toBe('Wso2JwtAuthorizer');
  expect(authorizerNameFor('partner-eu')).toBe('Wso2JwtAuthorizerPartnerEu');
});

describe('backendUrlProblem: an http(s) origin', () => {
  test.each(['https://backend.example.com', 'https://backend.example.com/', 'http://10.0.0.5:8080'])(
    '%s is an origin',
    (url) => {
      expect(backendUrlProblem(url)).toBeUndefined();
    },
  );

  const notUrl = (value: unknown) =>
    `must be an absolute http(s) URL such as "https://backend.example.com", got ${JSON.stringify(value)}`;
  // A one-item list reads as its item when turned into text: it must not pass for the URL.
  test.each([42, undefined, 'backend.example.com', 'ftp://backend.example.com', ['https://backend.example.com']])(
    '%j is not a URL',
    (value) => {
      expect(backendUrlProblem(value)).toBe(notUrl(value));
    },
  );

  test('a path is refused: the caller’s path replaces it', () => {
    expect(backendUrlProblem('https://backend.example.com/api')).toBe(
      "must be the backend's origin without a path (the caller's path is forwarded), " +
        'got "https://backend.example.com/api"',
    );
  });

  test.each([
    'https://backend.example.com/?a=1',
    'https://backend.example.com/#top',
    'https://user@backend.example.com',
    'https://:secret@backend.example.com',
  ])('%s carries a query, fragment or credentials', (url) => {
    expect(backendUrlProblem(url)).toBe(`must not carry a query, fragment or credentials, got ${JSON.stringify(url)}`);
  });
});

describe('identityHeaderProblem: a header API Gateway will map', () => {
  test.each(['x-wso2-sub', 'X-User', "a!#$%&'*+.^_`|~-z", 'x-amz', 'x-forwarded', 'origins', 'apigw'])(
    '%s is allowed',
    (header) => {
      expect(identityHeaderProblem(header)).toBeUndefined();
    },
  );

  test.each(['', 'x user', 'x:user', 'x-ü', 'x"y'])('%j is not a header name', (header) => {
    expect(identityHeaderProblem(header)).toBe(
      `must be an HTTP header name (RFC 9110 token), got ${JSON.stringify(header)}`,
    );
  });

  test.each([
    ['Authorization', 'authorization'],
    ['x-forwarded-for', 'x-forwarded-for'],
    ['X-Amz-Date', 'x-amz-*'],
    ['x-amzn-trace-id', 'x-amzn-*'],
    ['Access-Control-Allow-Origin', 'access-control-*'],
    ['apigw-request-id', 'apigw-*'],
    ['via', 'via'],
  ])('%s is reserved (%s)', (header, reserved) => {
    expect(identityHeaderProblem(header)).toBe(
      `is a header API Gateway refuses to map (reserved: ${reserved}), got ${JSON.stringify(header)}`,
    );
  });

  test('every reserved entry is refused, prefixes by any continuation', () => {
    for (const entry of RESERVED_MAPPING_HEADERS) {
      const header = entry.endsWith('*') ? `${entry.slice(0, -1)}x` : entry;
      expect([header, identityHeaderProblem(header)]).toEqual([
        header,
        `is a header API Gateway refuses to map (reserved: ${entry}), got ${JSON.stringify(header)}`,
      ]);
    }
  });
});

describe('integrationTimeoutProblem: 50 to 30000 ms, whole', () => {
  test.each([50, 10_000, 30_000])('%d ms is allowed', (value) => {
    expect(integrationTimeoutProblem(value)).toBeUndefined();
  });

  test.each([49, 30_001, 100.5, '100', Number.NaN, null])('%j is not', (value) => {
    expect(integrationTimeoutProblem(value)).toBe(
      "must be an integer from 50 to 30000 milliseconds (API Gateway's limits for HTTP APIs), got " +
        JSON.stringify(value),
    );
  });
});

describe("routeLimitProblem: a route's throttling within its stage's", () => {
  test.each([
    [1, undefined],
    [100, 100],
    [5, 10],
  ])('%d with a stage limit of %s is allowed', (value, stage) => {
    expect(routeLimitProblem('rateLimit', value, stage)).toBeUndefined();
  });

  test.each([0, -1, 1.5, '10', null])('%j is not a positive integer', (value) => {
    expect(routeLimitProblem('burstLimit', value, 100)).toBe(
      `must be a positive integer, got ${JSON.stringify(value)}`,
    );
  });

  test('more than the stage allows names the stage field', () => {
    expect(routeLimitProblem('rateLimit', 101, 100)).toBe(
      "must be at most the stage's throttling.rateLimit (100), got 101",
    );
    expect(routeLimitProblem('burstLimit', 11, 10)).toBe(
      "must be at most the stage's throttling.burstLimit (10), got 11",
    );
  });
});

test("backends get the caller's sub, client id (azp), scope and issuer unless a target names its own headers", () => {
  expect(DEFAULT_IDENTITY_HEADERS).toEqual({
    'x-wso2-sub': 'sub',
    'x-wso2-client-id': 'azp',
    'x-wso2-scope': 'scope',
    'x-wso2-issuer': 'iss',
  });
});

test('the issuer of the single-issuer shape is named "default"', () => {
  expect(DEFAULT_ISSUER_NAME).toBe('default');
  expect(nameProblem(DEFAULT_ISSUER_NAME)).toBeUndefined();
});
