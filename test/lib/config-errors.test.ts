/**
 * cdk.json values of the wrong shape, one per field the other configuration tests leave out:
 * each names the environment, the field and the value, as every configuration error does.
 */
import { ConfigError, ENVIRONMENTS_CONTEXT_KEY, loadEnvironmentConfig } from '../../lib/config';

const ISSUER = 'https://is.example.com/oauth2/token';
const PARTNER_ISSUER = 'https://is.example.com/t/partner.example.com/oauth2/token';
const BASE = { issuerUrl: ISSUER, audiences: ['client-a'] };
const PARTNER = { issuerUrl: PARTNER_ISSUER, audiences: ['p'] };
const CLOUD_MAP_ARN = 'arn:aws:servicediscovery:eu-west-1:123456789012:service/srv-abc123';
const NLB_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/net/inventory/0123456789abcdef/0123';

function load(environment: unknown, overrides: Record<string, unknown> = {}) {
  const context: Record<string, unknown> = {
    [ENVIRONMENTS_CONTEXT_KEY]: { test: environment },
    env: 'test',
    ...overrides,
  };
  return loadEnvironmentConfig((key) => context[key]);
}

function problem(environment: unknown, overrides: Record<string, unknown> = {}): string {
  try {
    load(environment, overrides);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message.replace(/^Environment "test": /, '');
  }
  throw new Error('expected a ConfigError');
}

const legacy = (fields: Record<string, unknown>) => ({
  ...BASE,
  httpTargets: { legacy: { url: 'https://legacy.example.com', ...fields } },
});
const inventory = (fields: Record<string, unknown>) => ({ ...BASE, privateTargets: { inventory: fields } });

test.each<[string, unknown, Record<string, unknown>, string]>([
  ['an environment that is not an object', 'dev', {}, '(the environment itself) must be an object, got "dev"'],
  ['a number for account', { ...BASE, account: 123456789012 }, {}, 'account must be a string, got 123456789012'],
  ['a number for issuerUrl', { ...BASE, issuerUrl: 42 }, {}, 'issuerUrl must be a URL string, got 42'],
  ['a number from -c issuerUrl', BASE, { issuerUrl: 42 }, 'issuerUrl (from -c issuerUrl) must be a URL string, got 42'],
  [
    'an unknown field of wso2',
    { audiences: ['a'], wso2: { host: 'is.example.com', tenantt: 'acme' } },
    {},
    'wso2.tenantt is not a known field (expected host, port, tenant)',
  ],
  [
    'an unknown field of asgardeo',
    { audiences: ['a'], asgardeo: { org: 'acme', region: 'eu' } },
    {},
    'asgardeo.region is not a known field (expected org)',
  ],
  [
    'a string for defaultScopes',
    { ...BASE, defaultScopes: 'api:access' },
    {},
    'defaultScopes must be a list of strings, got "api:access"',
  ],
  [
    'a number among defaultScopes',
    { ...BASE, defaultScopes: ['api:access', 7] },
    {},
    'defaultScopes[1] must be a string, got 7',
  ],
  [
    'top-level audiences beside named issuers only',
    { issuers: { partner: PARTNER }, defaultIssuer: 'partner', audiences: ['a'] },
    {},
    'audiences belongs to a top-level issuer: with only named issuers, give audiences in each of them',
  ],
  [
    'issuers that are a list',
    { ...BASE, issuers: [PARTNER] },
    {},
    'issuers must be an object of named issuers, got ' +
      '[{"issuerUrl":"https://is.example.com/t/partner.example.com/oauth2/token","audiences":["p"]}]',
  ],
  [
    'a named issuer "default" beside the top-level one',
    { ...BASE, issuers: { default: PARTNER } },
    {},
    'issuers.default duplicates the issuer named "default" (the top-level ' + 'issuerUrl/wso2/asgardeo is "default")',
  ],
  [
    'a number for a named issuer’s URL',
    { ...BASE, issuers: { partner: { ...PARTNER, issuerUrl: 42 } } },
    {},
    'issuers.partner.issuerUrl must be a URL string, got 42',
  ],
  [
    'a number from -c issuerUrl.<name>',
    { ...BASE, issuers: { partner: PARTNER } },
    { 'issuerUrl.partner': 42 },
    'issuers.partner.issuerUrl (from -c issuerUrl.partner) must be a URL string, got 42',
  ],
  [
    'a named issuer given by two fields',
    { ...BASE, issuers: { partner: { ...PARTNER, asgardeo: { org: 'acme' } } } },
    {},
    'issuers.partner must give exactly one of issuerUrl, wso2 or asgardeo, got issuerUrl and asgardeo',
  ],
  [
    'a named issuer’s wso2 that is not an object',
    { ...BASE, issuers: { partner: { wso2: 'is.example.com', audiences: ['p'] } } },
    {},
    'issuers.partner.wso2 must be an object, got "is.example.com"',
  ],
  [
    'a named issuer’s bad asgardeo organization',
    { ...BASE, issuers: { partner: { asgardeo: { org: 'a/b' }, audiences: ['p'] } } },
    {},
    'issuers.partner.asgardeo.org must be an Asgardeo organization name such as "acme", got "a/b"',
  ],
  [
    'a named issuer’s plain-http URL',
    { ...BASE, issuers: { partner: { ...PARTNER, issuerUrl: 'http://is.example.com/oauth2/token' } } },
    {},
    'issuers.partner.issuerUrl must use https (API Gateway only fetches keys over HTTPS), got ' +
      '"http://is.example.com/oauth2/token"',
  ],
  [
    'a named issuer’s audiences that are not a list',
    { ...BASE, issuers: { partner: { ...PARTNER, audiences: 'p' } } },
    {},
    'issuers.partner.audiences must be a list of client ids, got "p"',
  ],
  [
    'a named issuer’s duplicate audiences',
    { ...BASE, issuers: { partner: { ...PARTNER, audiences: ['p', 'p'] } } },
    {},
    'issuers.partner.audiences[1] duplicates audience "p"',
  ],
  [
    'HTTP targets that are not an object',
    { ...BASE, httpTargets: 'legacy' },
    {},
    'httpTargets must be an object of named HTTP backends, got "legacy"',
  ],
  [
    'a bad HTTP target name',
    { ...BASE, httpTargets: { Legacy: { url: 'https://x.example.com' } } },
    {},
    'httpTargets.Legacy must be a name of lower-case letters and digits in "-"-separated words ' +
      'starting with a letter, at most 32 characters (e.g. "orders", "legacy-crm"), got "Legacy"',
  ],
  [
    'an HTTP target without its URL',
    legacy({ url: undefined }),
    {},
    'httpTargets.legacy.url must be an absolute http(s) URL such as ' + '"https://backend.example.com", got undefined',
  ],
  [
    'an HTTP target’s timeout of 0',
    legacy({ timeoutMs: 0 }),
    {},
    'httpTargets.legacy.timeoutMs must be an integer from 50 to 30000 milliseconds (API ' +
      "Gateway's limits for HTTP APIs), got 0",
  ],
  [
    'empty identity headers',
    legacy({ identityHeaders: {} }),
    {},
    'httpTargets.legacy.identityHeaders must be an object of header name -> claim name, got {}',
  ],
  [
    'a reserved identity header',
    legacy({ identityHeaders: { Via: 'sub' } }),
    {},
    'httpTargets.legacy.identityHeaders["Via"] is a header API Gateway refuses to map ' + '(reserved: via), got "Via"',
  ],
  [
    'a claim name with a space',
    legacy({ identityHeaders: { 'x-sub': 'the sub' } }),
    {},
    'httpTargets.legacy.identityHeaders["x-sub"] must name a claim (letters, digits, "_" and ' +
      '"." only, as $context.authorizer.claims allows), got "the sub"',
  ],
  [
    'the same identity header twice',
    legacy({ identityHeaders: { 'X-Sub': 'sub', 'x-sub': 'azp' } }),
    {},
    'httpTargets.legacy.identityHeaders["x-sub"] duplicates a header (header names are case-insensitive)',
  ],
  [
    'private targets that are not an object',
    { ...BASE, privateTargets: 7 },
    {},
    'privateTargets must be an object of named private backends, got 7',
  ],
  [
    'a bad private target name',
    { ...BASE, privateTargets: { Inv: {} } },
    {},
    'privateTargets.Inv must be a name of lower-case letters and digits in "-"-separated words ' +
      'starting with a letter, at most 32 characters (e.g. "orders", "legacy-crm"), got "Inv"',
  ],
  [
    'a bad VPC link id',
    inventory({ vpcLinkId: 'VPC-1', cloudMapServiceArn: CLOUD_MAP_ARN }),
    {},
    'privateTargets.inventory.vpcLinkId must be a VPC link id such as "abc123", got "VPC-1"',
  ],
  [
    'a private target without an ARN',
    inventory({ vpcLinkId: 'abc123' }),
    {},
    'privateTargets.inventory must give exactly one of albListenerArn, nlbListenerArn, ' +
      'cloudMapServiceArn, got none',
  ],
  [
    'a private target with two ARNs',
    inventory({ vpcLinkId: 'abc123', cloudMapServiceArn: CLOUD_MAP_ARN, nlbListenerArn: NLB_ARN }),
    {},
    'privateTargets.inventory must give exactly one of albListenerArn, nlbListenerArn, ' +
      'cloudMapServiceArn, got nlbListenerArn and cloudMapServiceArn',
  ],
  [
    'an NLB listener given as an ALB listener',
    inventory({ vpcLinkId: 'abc123', albListenerArn: NLB_ARN }),
    {},
    `privateTargets.inventory.albListenerArn must be an ARN of that kind, got "${NLB_ARN}"`,
  ],
  [
    'a private target’s timeout above 30 s',
    inventory({ vpcLinkId: 'abc123', cloudMapServiceArn: CLOUD_MAP_ARN, timeoutMs: 30001 }),
    {},
    'privateTargets.inventory.timeoutMs must be an integer from 50 to 30000 milliseconds (API ' +
      "Gateway's limits for HTTP APIs), got 30001",
  ],
  [
    'a private target’s bad identity header',
    inventory({ vpcLinkId: 'abc123', cloudMapServiceArn: CLOUD_MAP_ARN, identityHeaders: { 'x user': 'sub' } }),
    {},
    'privateTargets.inventory.identityHeaders["x user"] must be an HTTP header name (RFC 9110 ' +
      'token), got "x user"',
  ],
  [
    'a private target named like an HTTP target',
    { ...legacy({}), privateTargets: { legacy: { vpcLinkId: 'abc123', cloudMapServiceArn: CLOUD_MAP_ARN } } },
    {},
    'privateTargets.legacy duplicates the target name "legacy" of httpTargets.legacy',
  ],
  [
    'route throttling that is a list',
    { ...BASE, routeThrottling: [] },
    {},
    'routeThrottling must be an object keyed by route ("GET /reports"), got []',
  ],
  [
    'route throttling with a typo',
    { ...BASE, routeThrottling: { 'GET /reports': { rateLimt: 5, burstLimit: 5 } } },
    {},
    'routeThrottling["GET /reports"].rateLimt is not a known field (expected rateLimit, ' + 'burstLimit)',
  ],
  [
    'route throttling of 0',
    { ...BASE, routeThrottling: { 'GET /reports': { rateLimit: 5, burstLimit: 0 } } },
    {},
    'routeThrottling["GET /reports"].burstLimit must be a positive integer, got 0',
  ],
])('%s', (_name, environment, overrides, message) => {
  expect(problem(environment, overrides)).toBe(message);
});

describe('what the loader returns', () => {
  test('route throttling, HTTP and private targets with their defaults', () => {
    const { config } = load({
      ...legacy({}),
      privateTargets: { inventory: { vpcLinkId: 'abc123', nlbListenerArn: NLB_ARN, timeoutMs: 2000 } },
      routeThrottling: { 'GET /reports': { rateLimit: 5, burstLimit: 2 } },
    });
    expect(config.httpTargets).toEqual({
      legacy: {
        url: 'https://legacy.example.com',
        timeoutMs: 10000,
        identityHeaders: {
          'x-wso2-sub': 'sub',
          'x-wso2-client-id': 'azp',
          'x-wso2-scope': 'scope',
          'x-wso2-issuer': 'iss',
        },
      },
    });
    expect(config.privateTargets.inventory).toMatchObject({
      vpcLinkId: 'abc123',
      kind: 'nlb',
      arn: NLB_ARN,
      timeoutMs: 2000,
    });
    expect(config.routeThrottling).toEqual({ 'GET /reports': { rateLimit: 5, burstLimit: 2 } });
  });

  test('identity headers are kept lower-case with their claims', () => {
    const { config } = load(legacy({ identityHeaders: { 'X-User': 'sub', 'x-org': 'org.id' } }));
    expect(config.httpTargets.legacy.identityHeaders).toEqual({ 'x-user': 'sub', 'x-org': 'org.id' });
  });

  test('no targets, no route throttling: empty objects', () => {
    const { config } = load(BASE);
    expect(config.httpTargets).toEqual({});
    expect(config.privateTargets).toEqual({});
    expect(config.routeThrottling).toEqual({});
  });

  test('with issuerCheck false no issuer is checked; otherwise every public one is', () => {
    const issuers = { partner: PARTNER, local: { issuerUrl: 'https://localhost:9443/oauth2/token', audiences: ['l'] } };
    expect(load({ ...BASE, issuers, issuerCheck: false }).config).toMatchObject({
      issuerCheck: false,
      checkedIssuers: [],
    });
    expect(load({ ...BASE, issuers }).config).toMatchObject({
      issuerCheck: true,
      checkedIssuers: ['default', 'partner'],
    });
  });
});

describe('operations and issuer settings at their edges', () => {
  const CERT = 'arn:aws:acm:eu-west-1:123456789012:certificate/0f2b1c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
  const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:alerts';
  const domain = (fields: Record<string, unknown>) => ({
    ...BASE,
    customDomain: { domainName: 'api.example.com', certificateArn: CERT, ...fields },
  });

  test('without a region, any region’s topic and certificate are accepted', () => {
    const { config } = load({ ...domain({}), alarms: { notificationTopicArn: TOPIC } });
    expect(config.alarms.notificationTopicArn).toBe(TOPIC);
    expect(config.customDomain).toEqual({ domainName: 'api.example.com', certificateArn: CERT });
  });

  test('the hosted zone may be the domain itself, with or without the trailing dot', () => {
    const { config } = load(domain({ hostedZone: { id: 'Z0123456789ABCDEFGHIJ', name: 'api.example.com.' } }));
    expect(config.customDomain?.hostedZone).toEqual({ id: 'Z0123456789ABCDEFGHIJ', name: 'api.example.com' });
  });

  test.each<[string, unknown, string]>([
    [
      'a certificate ARN that is not one',
      domain({ certificateArn: 'arn:aws:acm:eu-west-1:123456789012:cert/x' }),
      'customDomain.certificateArn must be an ACM certificate ARN such as ' +
        '"arn:aws:acm:eu-west-1:123456789012:certificate/<uuid>", got ' +
        '"arn:aws:acm:eu-west-1:123456789012:cert/x"',
    ],
    [
      'a hosted zone name that is a number',
      domain({ hostedZone: { id: 'Z0123456789ABCDEFGHIJ', name: 5 } }),
      'customDomain.hostedZone.name must be a lower-case, fully qualified host name such as ' +
        '"api.example.com" (no scheme, port, path or wildcard), got 5',
    ],
    [
      'a hosted zone name in upper case',
      domain({ hostedZone: { id: 'Z0123456789ABCDEFGHIJ', name: 'Example.COM' } }),
      'customDomain.hostedZone.name must be a lower-case, fully qualified host name such as ' +
        '"api.example.com" (no scheme, port, path or wildcard), got "Example.COM"',
    ],
    [
      'a WSO2 host that is a number',
      { audiences: ['a'], wso2: { host: 5 } },
      'wso2.host must be a host name such as "is.example.com" (no scheme, port or path), got 5',
    ],
    [
      'a WSO2 tenant that is a number',
      { audiences: ['a'], wso2: { host: 'is.example.com', tenant: 5 } },
      'wso2.tenant must be a tenant domain such as "acme.com", got 5',
    ],
    [
      'a WSO2 host over 253 characters',
      { audiences: ['a'], wso2: { host: `${'a.'.repeat(126)}com` } },
      'wso2.host must be a host name such as "is.example.com" (no scheme, port or path), ' +
        `got "${'a.'.repeat(126)}com"`,
    ],
  ])('%s', (_name, environment, message) => {
    expect(problem(environment)).toBe(message);
  });

  test('single-character labels make a host name', () => {
    expect(load({ audiences: ['a'], wso2: { host: 'a.b.example.com' } }).config.issuerUrl).toBe(
      'https://a.b.example.com/oauth2/token',
    );
  });

  test('a configuration error says it is one', () => {
    let thrown: unknown;
    try {
      load('dev');
    } catch (error) {
      thrown = error;
    }
    expect(String(thrown)).toMatch(/^ConfigError: Environment "test": /);
  });
});

// Found by mutation testing: each check below could be removed, or its value's type ignored,
// without any test noticing.
describe('shapes and types the checks above leave out', () => {
  const ALB_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/orders/0123456789abcdef/0123';
  const nineNamed = Object.fromEntries(
    Array.from({ length: 9 }, (_, index) => [`p${index}`, { issuerUrl: `${ISSUER}${index}`, audiences: ['p'] }]),
  );

  test.each<[string, unknown, Record<string, unknown>, string]>([
    ['a -c env that is not a string', BASE, { env: 5 }, 'Unknown environment 5 (-c env): known environments are test'],
    ['a number for region', { ...BASE, region: 5 }, {}, 'region must be a string, got 5'],
    ['a number for stageName', { ...BASE, stageName: 5 }, {}, 'stageName must be a string, got 5'],
    [
      'a string for wso2',
      { audiences: ['a'], wso2: 'is.example.com' },
      {},
      'wso2 must be an object, got "is.example.com"',
    ],
    [
      'a number from -c audiences',
      BASE,
      { audiences: 5 },
      'audiences (from -c audiences) must be a comma-separated list, got 5',
    ],
    [
      'named issuers only, none given',
      { issuers: {} },
      {},
      'issuerUrl is missing: give exactly one of issuerUrl, wso2 {host, port?, tenant?} or asgardeo {org}',
    ],
    [
      'two named issuers and no defaultIssuer',
      { issuers: { partner: PARTNER, staff: { issuerUrl: ISSUER, audiences: ['s'] } } },
      {},
      'defaultIssuer is missing: name the issuer of routes that name none (one of partner, staff)',
    ],
    [
      'a number for defaultIssuer',
      { issuers: { partner: PARTNER }, defaultIssuer: 5 },
      {},
      'defaultIssuer must name one of the issuers (partner), got 5',
    ],
    [
      'a named issuer with no URL at all',
      { ...BASE, issuers: { partner: { audiences: ['p'] } } },
      {},
      'issuers.partner must give exactly one of issuerUrl, wso2 or asgardeo, got none',
    ],
    [
      'a named issuer that is not an object',
      { ...BASE, issuers: { partner: 'https://x' } },
      {},
      'issuers.partner must be an object {issuerUrl | wso2 | asgardeo, audiences}, got "https://x"',
    ],
    [
      'an HTTP target that is not an object',
      { ...BASE, httpTargets: { legacy: 'https://legacy.example.com' } },
      {},
      'httpTargets.legacy must be an object {url, timeoutMs?, identityHeaders?}, got "https://legacy.example.com"',
    ],
    [
      'a private target that is not an object',
      { ...BASE, privateTargets: { inventory: 'abc123' } },
      {},
      'privateTargets.inventory must be an object {vpcLinkId, albListenerArn | nlbListenerArn | cloudMapServiceArn, ' +
        'timeoutMs?, identityHeaders?}, got "abc123"',
    ],
    [
      'route throttling that is not an object',
      { ...BASE, routeThrottling: { 'GET /reports': 5 } },
      {},
      'routeThrottling["GET /reports"] must be an object {rateLimit, burstLimit}, got 5',
    ],
    [
      'a number for a VPC link id',
      inventory({ vpcLinkId: 1234, cloudMapServiceArn: CLOUD_MAP_ARN }),
      {},
      'privateTargets.inventory.vpcLinkId must be a VPC link id such as "abc123", got 1234',
    ],
    [
      'a VPC link id with a bad tail',
      inventory({ vpcLinkId: 'abc123_x', cloudMapServiceArn: CLOUD_MAP_ARN }),
      {},
      'privateTargets.inventory.vpcLinkId must be a VPC link id such as "abc123", got "abc123_x"',
    ],
    [
      'a number for an ARN',
      inventory({ vpcLinkId: 'abc123', cloudMapServiceArn: 5 }),
      {},
      'privateTargets.inventory.cloudMapServiceArn must be an ARN of that kind, got 5',
    ],
    [
      'a number for an identity header claim',
      legacy({ identityHeaders: { 'x-user': 5 } }),
      {},
      'httpTargets.legacy.identityHeaders["x-user"] must name a claim (letters, digits, "_" and "." only, as ' +
        '$context.authorizer.claims allows), got 5',
    ],
  ])('%s', (_name, environment, overrides, expected) => {
    expect(problem(environment, overrides)).toBe(expected);
  });

  test('no environments at all in cdk.json, or an empty object', () => {
    for (const environments of [undefined, {}]) {
      expect(() =>
        loadEnvironmentConfig((key) => (key === ENVIRONMENTS_CONTEXT_KEY ? environments : undefined)),
      ).toThrow(
        new ConfigError(
          `cdk.json context "${ENVIRONMENTS_CONTEXT_KEY}" must be an object holding at least one environment`,
        ),
      );
    }
  });

  test('ten issuers, API Gateway’s limit of authorizers per API, are accepted', () => {
    expect(Object.keys(load({ ...BASE, issuers: nineNamed }).config.issuers)).toHaveLength(10);
  });

  test('-c audiences as a list (CDK_CONTEXT_JSON) is taken as it is', () => {
    expect(load(BASE, { audiences: ['x', 'y'] }).config.audiences).toEqual(['x', 'y']);
  });

  describe('private target ARNs', () => {
    const arnProblem = (key: string, arn: string) =>
      `privateTargets.inventory.${key} must be an ARN of that kind, got ${JSON.stringify(arn)}`;
    const withArn = (key: string, arn: string) => inventory({ vpcLinkId: 'abc123', [key]: arn });

    test.each([
      ['albListenerArn', ALB_ARN],
      ['albListenerArn', ALB_ARN.replace('arn:aws:', 'arn:aws-cn:')],
      ['nlbListenerArn', NLB_ARN.replace('arn:aws:', 'arn:aws-us-gov:')],
      ['cloudMapServiceArn', CLOUD_MAP_ARN.replace('arn:aws:', 'arn:aws-cn:')],
    ])('%s %s is accepted', (key, arn) => {
      expect(load(withArn(key, arn)).config.privateTargets.inventory.arn).toBe(arn);
    });

    test.each([
      ['albListenerArn', `x${ALB_ARN}`],
      ['albListenerArn', ALB_ARN.replace('arn:aws:', 'arn:aws1:')],
      ['albListenerArn', ALB_ARN.replace('eu-west-1', 'EU_WEST_1')],
      ['albListenerArn', ALB_ARN.replace('123456789012', '12345678901')],
      ['albListenerArn', ALB_ARN.replace('123456789012', '12345678901a')],
      ['albListenerArn', `${ALB_ARN} trailing`],
      ['albListenerArn', ALB_ARN.replace('listener/app/', 'listener/app-x/')],
      ['nlbListenerArn', `x${NLB_ARN}`],
      ['nlbListenerArn', NLB_ARN.replace('arn:aws:', 'arn:aws1:')],
      ['nlbListenerArn', `${NLB_ARN} trailing`],
      ['cloudMapServiceArn', `x${CLOUD_MAP_ARN}`],
      ['cloudMapServiceArn', CLOUD_MAP_ARN.replace('arn:aws:', 'arn:aws1:')],
      ['cloudMapServiceArn', `${CLOUD_MAP_ARN}/x`],
    ])('%s %s is refused', (key, arn) => {
      expect(problem(withArn(key, arn))).toBe(arnProblem(key, arn));
    });
  });
});
