import {
  ALLOWED_LOG_RETENTION_DAYS,
  arnRegion,
  audiencesProblem,
  certificateArnProblem,
  corsOriginProblem,
  domainNameProblem,
  hostedZoneIdProblem,
  isLambdaLogLevel,
  issuerUrlProblem,
  issuerUrlWarnings,
  joinFieldAndProblem,
  positiveIntegerProblem,
  regionProblem,
  scopesProblem,
  snsTopicArnProblem,
  stageNameProblem,
} from '../../rules/validation';
import { MAX_AUDIENCES_PER_AUTHORIZER, MAX_SCOPES_PER_ROUTE } from '../../rules/jwt/limits';

/** The input rules shared by cdk.json and the construct, at their boundaries (issue 12). */
describe('issuerUrlProblem', () => {
  test.each([
    'https://idp.example.com/oauth2/token',
    'https://idp.example.com:9443/t/acme.com/oauth2/token',
    'https://api.asgardeo.io/t/acme/oauth2/token',
  ])('accepts %s', (url) => {
    expect(issuerUrlProblem(url)).toBeUndefined();
  });

  test.each([
    ['', 'must not be empty'],
    ['   ', 'must not be empty'],
    [' https://idp.example.com', 'must not contain white space, got " https://idp.example.com"'],
    [
      'https://idp.example.com/oauth2/token\n',
      'must not contain white space, got "https://idp.example.com/oauth2/token\\n"',
    ],
    ['https://idp example.com', 'must not contain white space, got "https://idp example.com"'],
    ['idp.example.com', 'is not a valid URL, got "idp.example.com"'],
    [
      'http://idp.example.com/oauth2/token',
      'must use https (API Gateway only fetches keys over HTTPS), got "http://idp.example.com/oauth2/token"',
    ],
    [
      'https://idp.example.com/oauth2/token?x=1',
      'must not have a query string (OpenID issuers have none), got "https://idp.example.com/oauth2/token?x=1"',
    ],
    [
      'https://idp.example.com/?',
      'must not have a query string (OpenID issuers have none), got "https://idp.example.com/?"',
    ],
    [
      'https://idp.example.com/oauth2/token#x',
      'must not have a fragment (OpenID issuers have none), got "https://idp.example.com/oauth2/token#x"',
    ],
    [
      'https://idp.example.com/#',
      'must not have a fragment (OpenID issuers have none), got "https://idp.example.com/#"',
    ],
    [
      'https://user@idp.example.com/oauth2/token',
      'must not carry credentials, got "https://user@idp.example.com/oauth2/token"',
    ],
    [
      'https://:secret@idp.example.com/oauth2/token',
      'must not carry credentials, got "https://:secret@idp.example.com/oauth2/token"',
    ],
  ])('refuses %p', (url, problem) => {
    expect(issuerUrlProblem(url)).toBe(problem);
  });
});

describe('issuerUrlWarnings', () => {
  test('none for a public issuer without a trailing slash', () => {
    expect(issuerUrlWarnings('https://idp.example.com/oauth2/token')).toEqual([]);
  });

  test('a trailing slash and a private host are both named', () => {
    expect(issuerUrlWarnings('https://10.0.0.5/oauth2/token/')).toEqual([
      'issuer host "10.0.0.5" is loopback or private: API Gateway fetches the issuer\'s keys over the public ' +
        'internet and will answer 401 to every request',
      'issuer "https://10.0.0.5/oauth2/token/" ends with "/": WSO2 issuers do not, and API Gateway compares ' +
        "the token's iss exactly",
    ]);
  });
});

describe('quotas', () => {
  const ids = (count: number, prefix = 'c') => Array.from({ length: count }, (_, index) => `${prefix}${index}`);

  test("the quota numbers are API Gateway's", () => {
    expect([MAX_AUDIENCES_PER_AUTHORIZER, MAX_SCOPES_PER_ROUTE]).toEqual([50, 10]);
  });

  test('50 audiences are fine, 51 are not', () => {
    expect(audiencesProblem(ids(50))).toBeUndefined();
    expect(audiencesProblem(ids(51))).toBe('may list at most 50 audiences (API Gateway quota), got 51');
  });

  test('10 scopes are fine, 11 are not', () => {
    expect(scopesProblem(ids(10, 's'))).toBeUndefined();
    expect(scopesProblem(ids(11, 's'))).toBe('may list at most 10 scopes (API Gateway quota per route), got 11');
    expect(scopesProblem([])).toBeUndefined();
  });

  test.each([
    [[], 'must list at least one audience (the WSO2 client id of the calling application)'],
    [['a', ' '], '[1] must be a non-blank client id, got " "'],
    [['a', ''], '[1] must be a non-blank client id, got ""'],
    [['a', 7], '[1] must be a non-blank client id, got 7'],
    [['a', 'b', 'a'], '[2] duplicates audience "a"'],
  ])('audiences %p', (audiences, problem) => {
    expect(audiencesProblem(audiences as string[])).toBe(problem);
  });

  test.each([
    [['a', ''], '[1] must be a non-empty scope without white space, got ""'],
    [['a b'], '[0] must be a non-empty scope without white space, got "a b"'],
    [['a\tb'], '[0] must be a non-empty scope without white space, got "a\\tb"'],
    [[null], '[0] must be a non-empty scope without white space, got null'],
    [['x', 'x'], '[1] duplicates scope "x"'],
  ])('scopes %p', (scopes, problem) => {
    expect(scopesProblem(scopes as string[])).toBe(problem);
  });
});

describe('other fields', () => {
  test('joinFieldAndProblem puts an index right after the field', () => {
    expect(joinFieldAndProblem('audiences', '[1] is bad')).toBe('audiences[1] is bad');
    expect(joinFieldAndProblem('audiences', 'is bad')).toBe('audiences is bad');
  });

  test.each([
    ['$default', undefined],
    ['prod', undefined],
    ['a'.repeat(128), undefined],
    ['a'.repeat(129), `must be "$default" or 1-128 letters, digits, "-" or "_", got "${'a'.repeat(129)}"`],
    ['', 'must be "$default" or 1-128 letters, digits, "-" or "_", got ""'],
    ['v1.0', 'must be "$default" or 1-128 letters, digits, "-" or "_", got "v1.0"'],
    ['$prod', 'must be "$default" or 1-128 letters, digits, "-" or "_", got "$prod"'],
  ])('stage name %p', (name, problem) => {
    expect(stageNameProblem(name)).toBe(problem);
  });

  test.each([
    [1, undefined],
    [65535, undefined],
    [0, 'must be a positive integer, got 0'],
    [-1, 'must be a positive integer, got -1'],
    [1.5, 'must be a positive integer, got 1.5'],
    ['1', 'must be a positive integer, got "1"'],
  ])('positive integer %p', (value, problem) => {
    expect(positiveIntegerProblem(value)).toBe(problem);
  });

  test.each([
    ['*', undefined],
    ['https://app.example.com', undefined],
    ['http://localhost:3000', undefined],
    [
      'https://app.example.com/',
      'must be an origin (scheme://host[:port], no path or trailing "/"), got "https://app.example.com/"',
    ],
    [
      'https://app.example.com/x',
      'must be an origin (scheme://host[:port], no path or trailing "/"), got "https://app.example.com/x"',
    ],
    [
      'ftp://app.example.com',
      'must be an origin (scheme://host[:port], no path or trailing "/"), got "ftp://app.example.com"',
    ],
    ['app.example.com', 'must be "*" or an origin such as "https://app.example.com", got "app.example.com"'],
    [7, 'must be "*" or an origin such as "https://app.example.com", got 7'],
  ])('CORS origin %p', (origin, problem) => {
    expect(corsOriginProblem(origin)).toBe(problem);
  });

  test.each([
    ['arn:aws:sns:eu-west-1:123456789012:alerts', undefined],
    ['arn:aws-us-gov:sns:us-gov-west-1:123456789012:alerts.fifo', undefined],
    ['arn:aws:sns:eu-west-1:1234567890123:alerts', 'bad'],
    ['arn:aws:sns:eu-west-1:12345678901:alerts', 'bad'],
    ['arn:aws:sns:eu-west-1:123456789012:', 'bad'],
    ['arn:aws:sns:eu-west-1:123456789012:a b', 'bad'],
    ['xarn:aws:sns:eu-west-1:123456789012:alerts', 'bad'],
    ['arn:aws:sns:eu-west-1:123456789012:alerts.fifox', 'bad'],
    ['arn:aws:sns:euwest1:123456789012:alerts', 'bad'],
    [42, 'bad'],
  ])('SNS topic ARN %p', (arn, verdict) => {
    const problem = snsTopicArnProblem(arn);
    if (verdict === undefined) expect(problem).toBeUndefined();
    else
      expect(problem).toBe(
        `must be an SNS topic ARN such as "arn:aws:sns:eu-west-1:123456789012:alerts", got ${JSON.stringify(arn)}`,
      );
  });

  test.each([
    ['arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012', true],
    ['arn:aws:acm:us-east-1:1234567890123:certificate/12345678-1234-1234-1234-123456789012', false],
    ['arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-12345678901', false],
    ['arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-1234567890123', false],
    ['arn:aws:acm:us-east-1:123456789012:certificate/ABCDEF78-1234-1234-1234-123456789012', false],
  ])('ACM certificate ARN %p', (arn, ok) => {
    expect(certificateArnProblem(arn) === undefined).toBe(ok);
  });

  test('arnRegion reads the fourth field', () => {
    expect(arnRegion('arn:aws:sns:eu-west-1:123456789012:alerts')).toBe('eu-west-1');
  });

  test.each([
    ['api.example.com', true],
    ['a.b', true],
    ['API.example.com', false],
    ['*.example.com', false],
    ['example', false],
    ['-a.example.com', false],
    ['a-.example.com', false],
    [`${'a'.repeat(63)}.com`, true],
    [`${'a'.repeat(64)}.com`, false],
    [`${'a.'.repeat(126)}ab`, false],
    ['https://api.example.com', false],
  ])('domain name %p', (name, ok) => {
    expect(domainNameProblem(name) === undefined).toBe(ok);
  });

  test.each([
    ['Z0123456789ABCDEFGHIJ', true],
    ['Z1', true],
    ['Z', false],
    ['z0123', false],
    [`Z${'A'.repeat(32)}`, false],
    ['X0123', false],
  ])('hosted zone id %p', (id, ok) => {
    expect(hostedZoneIdProblem(id) === undefined).toBe(ok);
  });
});

describe('AWS names and lists', () => {
  test("the log retention periods are CloudWatch's, shortest first", () => {
    expect(ALLOWED_LOG_RETENTION_DAYS).toEqual([
      1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
    ]);
  });

  test.each([
    ['TRACE', true],
    ['FATAL', true],
    ['WARN', true],
    ['warn', false],
    ['WARNING', false],
    ['', false],
    [3, false],
    [undefined, false],
  ])("Lambda's log level %p", (level, ok) => {
    expect(isLambdaLogLevel(level)).toBe(ok);
  });

  test.each(['eu-west-1', 'us-east-2', 'ap-southeast-12', 'us-gov-west-1', 'us-isob-east-1', 'us-iso-east-1'])(
    'region %s',
    (region) => {
      expect(regionProblem(region)).toBeUndefined();
    },
  );

  test.each(['', 'eu-west', 'EU-WEST-1', 'eu-west-123', 'xeu-west-1', 'eu-west-1x', 'euwest1', 'eu-west-1 '])(
    'not a region: %p',
    (region) => {
      expect(regionProblem(region)).toBe(`must be an AWS region such as "eu-west-1", got ${JSON.stringify(region)}`);
    },
  );

  test.each([
    'arn:aws-cn:sns:cn-north-1:123456789012:alerts',
    'arn:aws-iso:sns:us-iso-east-1:123456789012:alerts',
    'arn:aws:sns:eu-west-1:123456789012:A_b-9',
    `arn:aws:sns:eu-west-1:123456789012:${'a'.repeat(256)}`,
  ])('SNS topic ARN in any partition, name up to 256 characters: %s', (arn) => {
    expect(snsTopicArnProblem(arn)).toBeUndefined();
  });

  test.each([
    `arn:aws:sns:eu-west-1:123456789012:${'a'.repeat(257)}`,
    'arn:azure:sns:eu-west-1:123456789012:alerts',
    'arn:aws:sqs:eu-west-1:123456789012:alerts',
  ])('not an SNS topic ARN: %s', (arn) => {
    expect(snsTopicArnProblem(arn)).toMatch(/^must be an SNS topic ARN/);
  });

  test.each([
    'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012x',
    'xarn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012',
    'arn:aws:acm:useast1:123456789012:certificate/12345678-1234-1234-1234-123456789012',
    'arn:aws:sns:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012',
    42,
  ])('not an ACM certificate ARN: %p, with the example in the message', (arn) => {
    expect(certificateArnProblem(arn)).toBe(
      'must be an ACM certificate ARN such as "arn:aws:acm:eu-west-1:123456789012:certificate/<uuid>", got ' +
        JSON.stringify(arn),
    );
  });

  test('a certificate in another partition', () => {
    expect(
      certificateArnProblem(
        'arn:aws-us-gov:acm:us-gov-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012',
      ),
    ).toBeUndefined();
  });

  test('a domain name of 253 characters is fine, 254 is not, and the message names the rule', () => {
    const at253 = `${'a.'.repeat(125)}abc`;
    expect(at253).toHaveLength(253);
    expect(domainNameProblem(at253)).toBeUndefined();
    expect(domainNameProblem(`${at253}d`)).toBe(
      'must be a lower-case, fully qualified host name such as "api.example.com" (no scheme, port, path or ' +
        `wildcard), got "${at253}d"`,
    );
    expect(domainNameProblem(7)).toMatch(/got 7$/);
    expect(domainNameProblem('api.example.com.')).toMatch(/^must be/);
    expect(domainNameProblem('x.api.example.com ')).toMatch(/^must be/);
  });

  test('a hosted zone id that is not one names the example', () => {
    expect(hostedZoneIdProblem('X1')).toBe(
      'must be a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ", got "X1"',
    );
    expect(hostedZoneIdProblem(null)).toMatch(/got null$/);
    expect(hostedZoneIdProblem('Z1 ')).toMatch(/^must be/);
    expect(hostedZoneIdProblem(`Z${'A'.repeat(31)}`)).toBeUndefined();
  });
});

/** A JSON list of one string turns into that string as text: it must not pass for the string. */
describe('a one-item list is not its item', () => {
  test.each([
    ['SNS topic ARN', () => snsTopicArnProblem(['arn:aws:sns:eu-west-1:123456789012:alerts'])],
    [
      'ACM certificate ARN',
      () =>
        certificateArnProblem(['arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012']),
    ],
    ['domain name', () => domainNameProblem(['api.example.com'])],
    ['hosted zone id', () => hostedZoneIdProblem(['Z0123456789ABCDEFGHIJ'])],
  ])('%s', (_name, problem) => {
    expect(problem()).toMatch(/^must be .*, got \[".*"\]$/);
  });

  test('CORS origin', () => {
    expect(corsOriginProblem(['https://app.example.com'])).toBe(
      'must be "*" or an origin such as "https://app.example.com", got ["https://app.example.com"]',
    );
  });
});

test('a hosted zone id starts with Z', () => {
  expect(hostedZoneIdProblem('AZ0123')).toMatch(/^must be a Route 53 hosted zone id/);
});
