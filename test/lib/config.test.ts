import {
  ConfigError,
  ENVIRONMENTS_CONTEXT_KEY,
  loadEnvironmentConfig,
  nagChecksFrom,
  readCdkJsonContext,
  stackNameFor,
} from '../../lib/config';

const BASE = {
  issuerUrl: 'https://is.example.com/oauth2/token',
  audiences: ['client-a'],
};

/** Loads `env` from a context holding only the given environments and overrides. */
function load(environments: Record<string, unknown>, overrides: Record<string, unknown> = {}) {
  const context: Record<string, unknown> = { [ENVIRONMENTS_CONTEXT_KEY]: environments, ...overrides };
  return loadEnvironmentConfig((key) => context[key]);
}

function loadTest(fields: Record<string, unknown>, overrides: Record<string, unknown> = {}) {
  return load({ test: fields }, { env: 'test', ...overrides });
}

function expectConfigError(run: () => unknown, message: string): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ConfigError);
  expect((thrown as Error).message).toBe(message);
}

describe('the environments committed in cdk.json', () => {
  const context = readCdkJsonContext();
  const read = (overrides: Record<string, unknown>) =>
    loadEnvironmentConfig((key) => ({ ...context, ...overrides })[key]);

  test('dev is the default and works with zero set-up against WSO2 on localhost', () => {
    // WHEN
    const { config, warnings } = read({});

    // THEN
    expect(config).toEqual({
      name: 'dev',
      issuerUrl: 'https://localhost:9443/oauth2/token',
      audiences: ['wso2-jwt-demo-client'],
      stageName: '$default',
      corsAllowedOrigins: ['http://localhost:3000'],
      throttling: { rateLimit: 50, burstLimit: 20 },
      logRetentionDays: 7,
      defaultScopes: [],
      // localhost: no check from inside AWS could reach it.
      issuerCheck: false,
      checkedIssuers: [],
      issuers: {
        default: { issuerUrl: 'https://localhost:9443/oauth2/token', audiences: ['wso2-jwt-demo-client'] },
        partner: {
          issuerUrl: 'https://localhost:9443/t/partner.example.com/oauth2/token',
          audiences: ['wso2-jwt-partner-client'],
        },
      },
      defaultIssuer: 'default',
      httpTargets: {
        legacy: {
          url: 'http://127.0.0.1:9081',
          timeoutMs: 5000,
          identityHeaders: {
            'x-wso2-sub': 'sub',
            'x-wso2-client-id': 'azp',
            'x-wso2-scope': 'scope',
            'x-wso2-issuer': 'iss',
          },
        },
      },
      privateTargets: {},
      routeThrottling: { 'ANY /legacy/{proxy+}': { rateLimit: 10, burstLimit: 5 } },
      production: false,
      logRemovalPolicy: 'destroy',
      accessLogRetentionDays: 7,
      lambdaLogLevel: 'DEBUG',
      alarms: { periodMinutes: 5, api5xxErrors: 5, lambdaErrors: 5, lambdaThrottles: 5, authRejections: 200 },
    });
    expect(warnings).toEqual([
      'Environment "dev": issuer host "localhost" is loopback or private: ' +
        "API Gateway fetches the issuer's keys over the public internet and will answer 401 to every request",
      'Environment "dev": issuers.partner: issuer host "localhost" is loopback or private: ' +
        "API Gateway fetches the issuer's keys over the public internet and will answer 401 to every request",
    ]);
  });

  test('staging builds a WSO2 tenant issuer', () => {
    const { config, warnings } = read({ env: 'staging' });
    expect(config.issuerUrl).toBe('https://is.staging.example.com/t/acme.com/oauth2/token');
    expect(config.account).toBeUndefined();
    expect(config.region).toBeUndefined();
    expect(config.defaultScopes).toEqual(['api:access']);
    expect(warnings).toEqual([]);
  });

  test('prod builds an Asgardeo issuer and pins account and region', () => {
    const { config } = read({ env: 'prod' });
    expect(config).toMatchObject({
      account: '123456789012',
      region: 'eu-west-1',
      issuerUrl: 'https://api.asgardeo.io/t/acme/oauth2/token',
      defaultScopes: ['api:access'],
      logRetentionDays: 365,
    });
  });
});

describe('defaults', () => {
  test('a single named issuer, without a top-level one, is the default without saying so', () => {
    const partner = { issuerUrl: 'https://is.example.com/t/partner.example.com/oauth2/token', audiences: ['p'] };
    const { config } = loadTest({ issuers: { partner } });
    expect(config.defaultIssuer).toBe('partner');
    expect(Object.keys(config.issuers)).toEqual(['partner']);
  });

  test('stacks are named after the project and the environment', () => {
    expect(stackNameFor('staging')).toBe('Wso2JwtHttpApi-staging');
  });

  test('optional fields get documented defaults and no region is guessed', () => {
    const { config } = loadTest(BASE);
    expect(config).toEqual({
      name: 'test',
      issuerUrl: BASE.issuerUrl,
      audiences: ['client-a'],
      stageName: '$default',
      corsAllowedOrigins: [],
      logRetentionDays: 30,
      defaultScopes: [],
      issuerCheck: true,
      checkedIssuers: ['default'],
      issuers: { default: { issuerUrl: BASE.issuerUrl, audiences: ['client-a'] } },
      defaultIssuer: 'default',
      httpTargets: {},
      privateTargets: {},
      routeThrottling: {},
      production: false,
      logRemovalPolicy: 'destroy',
      accessLogRetentionDays: 30,
      lambdaLogLevel: 'INFO',
      alarms: { periodMinutes: 5, api5xxErrors: 1, lambdaErrors: 1, lambdaThrottles: 1, authRejections: 100 },
    });
    expect('account' in config).toBe(false);
    expect('region' in config).toBe(false);
    expect('customDomain' in config).toBe(false);
    expect('throttling' in config).toBe(false);
  });

  test('"infinite" log retention is accepted', () => {
    expect(loadTest({ ...BASE, logRetentionDays: 'infinite' }).config.logRetentionDays).toBe('infinite');
  });
});

describe('the deploy-time issuer check', () => {
  test('is on by default and can be switched off per environment', () => {
    expect(loadTest(BASE).config.issuerCheck).toBe(true);
    expect(loadTest({ ...BASE, issuerCheck: false }).config.issuerCheck).toBe(false);
  });

  test('is off for a loopback or private issuer, even from an override', () => {
    expect(loadTest(BASE, { issuerUrl: 'https://10.1.2.3/oauth2/token' }).config.issuerCheck).toBe(false);
  });

  test('asked for with a local issuer: off, with a warning saying why', () => {
    // WHEN
    const { config, warnings } = loadTest({
      ...BASE,
      issuerUrl: 'https://localhost:9443/oauth2/token',
      issuerCheck: true,
    });

    // THEN
    expect(config.issuerCheck).toBe(false);
    expect(warnings).toContain(
      'Environment "test": issuerCheck is off: a check from inside AWS cannot reach a loopback or private issuer',
    );
  });
});

describe('issuer forms', () => {
  test.each([
    [{ host: 'is.example.com' }, 'https://is.example.com/oauth2/token'],
    [{ host: 'is.example.com', port: 9443 }, 'https://is.example.com:9443/oauth2/token'],
    [{ host: 'is.example.com', port: 443 }, 'https://is.example.com/oauth2/token'],
    [{ host: 'IS.Example.com', tenant: 'acme.com' }, 'https://is.example.com/t/acme.com/oauth2/token'],
    [{ host: 'is.example.com', tenant: 'carbon.super' }, 'https://is.example.com/oauth2/token'],
  ])('wso2 %j builds %s', (wso2, expected) => {
    expect(loadTest({ audiences: ['a'], wso2 }).config.issuerUrl).toBe(expected);
  });

  test('asgardeo builds the organization issuer', () => {
    expect(loadTest({ audiences: ['a'], asgardeo: { org: 'acme' } }).config.issuerUrl).toBe(
      'https://api.asgardeo.io/t/acme/oauth2/token',
    );
  });
});

describe('overrides', () => {
  test('-c issuerUrl replaces whichever way the environment names its issuer', () => {
    const { config } = loadTest(
      { audiences: ['a'], asgardeo: { org: 'acme' } },
      { issuerUrl: 'https://is.example.org/oauth2/token' },
    );
    expect(config.issuerUrl).toBe('https://is.example.org/oauth2/token');
  });

  test('-c audiences takes a comma-separated list', () => {
    expect(loadTest(BASE, { audiences: 'one, two,three' }).config.audiences).toEqual(['one', 'two', 'three']);
  });

  test.each<[unknown, boolean]>([
    [undefined, true],
    [true, true],
    ['true', true],
    [false, false],
    ['false', false],
  ])('-c nagChecks %p: cdk-nag runs = %p', (value, runs) => {
    expect(nagChecksFrom((key) => (key === 'nagChecks' ? value : undefined))).toBe(runs);
  });

  test.each([
    ['no', '"no"'],
    ['FALSE', '"FALSE"'],
    [0, '0'],
    ['', '""'],
  ])('-c nagChecks %p is a ConfigError naming the key and the value', (value, shown) => {
    const read = () => nagChecksFrom((key) => (key === 'nagChecks' ? value : undefined));
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(`-c nagChecks must be true or false, got ${shown}`);
  });

  test('-c env selects another environment', () => {
    const { config } = load({ dev: BASE, other: { ...BASE, audiences: ['b'] } }, { env: 'other' });
    expect(config.name).toBe('other');
    expect(config.audiences).toEqual(['b']);
  });
});

describe('warnings: synthesized, but flagged', () => {
  test.each([
    ['https://127.0.0.1/oauth2/token', '127.0.0.1'],
    ['https://10.1.2.3/oauth2/token', '10.1.2.3'],
    ['https://192.168.0.10:9443/oauth2/token', '192.168.0.10'],
    ['https://172.20.0.1/oauth2/token', '172.20.0.1'],
    ['https://[::1]:9443/oauth2/token', '[::1]'],
  ])('a private or loopback issuer host (%s)', (issuerUrl, host) => {
    expect(loadTest({ ...BASE, issuerUrl }).warnings).toEqual([
      `Environment "test": issuer host "${host}" is loopback or private: API Gateway fetches the issuer's keys over ` +
        `the public internet and will answer 401 to every request`,
    ]);
  });

  test('an issuer ending in "/"', () => {
    expect(loadTest({ ...BASE, issuerUrl: 'https://is.example.com/oauth2/token/' }).warnings).toEqual([
      'Environment "test": issuer "https://is.example.com/oauth2/token/" ends with "/": WSO2 issuers do not, and API ' +
        "Gateway compares the token's iss exactly",
    ]);
  });

  test('a public host gets no warning', () => {
    expect(loadTest({ ...BASE, issuerUrl: 'https://172.32.0.1/oauth2/token' }).warnings).toEqual([]);
  });
});

describe('bad configuration fails with the environment, the field and the value', () => {
  test('unknown environment lists the known ones', () => {
    expectConfigError(
      () => load({ dev: BASE, prod: BASE }, { env: 'qa' }),
      'Unknown environment "qa" (-c env): known environments are dev, prod',
    );
  });

  test('no environments at all', () => {
    expectConfigError(
      () => loadEnvironmentConfig(() => undefined),
      'cdk.json context "wso2-jwt-http-api:environments" must be an object holding at least one environment',
    );
  });

  test.each<[string, Record<string, unknown>, Record<string, unknown>, string]>([
    [
      'missing issuer',
      { audiences: ['a'] },
      {},
      'issuerUrl is missing: give exactly one of issuerUrl, wso2 {host, port?, tenant?} or asgardeo {org}',
    ],
    ['empty issuer', { ...BASE, issuerUrl: '' }, {}, 'issuerUrl must not be empty'],
    [
      'two ways of giving the issuer',
      { ...BASE, asgardeo: { org: 'acme' } },
      {},
      'issuerUrl and asgardeo both name the issuer: give exactly one of issuerUrl, wso2 or asgardeo',
    ],
    [
      'non-https issuer',
      { ...BASE, issuerUrl: 'http://is.example.com/oauth2/token' },
      {},
      'issuerUrl must use https (API Gateway only fetches keys over HTTPS), got "http://is.example.com/oauth2/token"',
    ],
    [
      'non-https override',
      BASE,
      { issuerUrl: 'http://is.example.com/oauth2/token' },
      'issuerUrl (from -c issuerUrl) must use https (API Gateway only fetches keys over HTTPS), got ' +
        '"http://is.example.com/oauth2/token"',
    ],
    [
      'issuer with a query',
      { ...BASE, issuerUrl: 'https://is.example.com/oauth2/token?tenant=a' },
      {},
      'issuerUrl must not have a query string (OpenID issuers have none), got ' +
        '"https://is.example.com/oauth2/token?tenant=a"',
    ],
    [
      'issuer with a fragment',
      { ...BASE, issuerUrl: 'https://is.example.com/oauth2/token#x' },
      {},
      'issuerUrl must not have a fragment (OpenID issuers have none), got "https://is.example.com/oauth2/token#x"',
    ],
    [
      'issuer that is not a URL',
      { ...BASE, issuerUrl: 'is.example.com' },
      {},
      'issuerUrl is not a valid URL, got "is.example.com"',
    ],
    [
      'wso2 host with a scheme',
      { audiences: ['a'], wso2: { host: 'https://is.example.com' } },
      {},
      'wso2.host must be a host name such as "is.example.com" (no scheme, port or path), got "https://is.example.com"',
    ],
    [
      'wso2 port out of range',
      { audiences: ['a'], wso2: { host: 'is.example.com', port: 70000 } },
      {},
      'wso2.port must be an integer from 1 to 65535, got 70000',
    ],
    [
      'wso2 tenant with a slash',
      { audiences: ['a'], wso2: { host: 'is.example.com', tenant: 'a/b' } },
      {},
      'wso2.tenant must be a tenant domain such as "acme.com", got "a/b"',
    ],
    [
      'asgardeo without org',
      { audiences: ['a'], asgardeo: {} },
      {},
      'asgardeo.org must be an Asgardeo organization name such as "acme", got undefined',
    ],
    [
      'no audiences',
      { issuerUrl: BASE.issuerUrl },
      {},
      'audiences is missing: list the WSO2 client ids whose tokens the API accepts',
    ],
    [
      'empty audiences',
      { ...BASE, audiences: [] },
      {},
      'audiences must list at least one audience (the WSO2 client id of the calling application)',
    ],
    [
      'more than 50 audiences',
      { ...BASE, audiences: Array.from({ length: 51 }, (_, i) => `c${i}`) },
      {},
      'audiences may list at most 50 audiences (API Gateway quota), got 51',
    ],
    ['blank audience', { ...BASE, audiences: ['a', ' '] }, {}, 'audiences[1] must be a non-blank client id, got " "'],
    ['duplicate audience', { ...BASE, audiences: ['a', 'b', 'a'] }, {}, 'audiences[2] duplicates audience "a"'],
    [
      'blank audience in the override',
      BASE,
      { audiences: 'a,,b' },
      'audiences (from -c audiences)[1] must be a non-blank client id, got ""',
    ],
    [
      'account not 12 digits',
      { ...BASE, account: '12345' },
      {},
      'account must be a 12-digit AWS account id, got "12345"',
    ],
    [
      'malformed region',
      { ...BASE, region: 'europe' },
      {},
      'region must be an AWS region such as "eu-west-1", got "europe"',
    ],
    [
      'zero rate',
      { ...BASE, throttling: { rateLimit: 0, burstLimit: 10 } },
      {},
      'throttling.rateLimit must be a positive integer, got 0',
    ],
    [
      'negative burst',
      { ...BASE, throttling: { rateLimit: 10, burstLimit: -1 } },
      {},
      'throttling.burstLimit must be a positive integer, got -1',
    ],
    [
      'fractional rate',
      { ...BASE, throttling: { rateLimit: 1.5, burstLimit: 10 } },
      {},
      'throttling.rateLimit must be a positive integer, got 1.5',
    ],
    [
      'throttling not an object',
      { ...BASE, throttling: 100 },
      {},
      'throttling must be an object {rateLimit, burstLimit}, got 100',
    ],
    [
      'misspelt throttling field',
      { ...BASE, throttling: { rateLimit: 10, burstLimt: 5 } },
      {},
      'throttling.burstLimt is not a known field (expected rateLimit, burstLimit)',
    ],
    [
      'missing burst',
      { ...BASE, throttling: { rateLimit: 10 } },
      {},
      'throttling.burstLimit must be a positive integer, got undefined',
    ],
    [
      'log retention CloudWatch does not offer',
      { ...BASE, logRetentionDays: 10 },
      {},
      "logRetentionDays must be one of CloudWatch's retention periods (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, " +
        '365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653) or "infinite", got 10',
    ],
    [
      'bad stage name',
      { ...BASE, stageName: 'my stage' },
      {},
      'stageName must be "$default" or 1-128 letters, digits, "-" or "_", got "my stage"',
    ],
    [
      'bad CORS origin',
      { ...BASE, corsAllowedOrigins: ['https://app.example.com/'] },
      {},
      'corsAllowedOrigins[0] must be an origin (scheme://host[:port], no path or trailing "/"), got ' +
        '"https://app.example.com/"',
    ],
    [
      'default scope with a space',
      { ...BASE, defaultScopes: ['a b'] },
      {},
      'defaultScopes[0] must be a non-empty scope without white space, got "a b"',
    ],
    [
      'misspelt field',
      { ...BASE, audience: ['a'] },
      {},
      'audience is not a known field (known: account, region, issuerUrl, wso2, asgardeo, audiences, stageName, ' +
        'corsAllowedOrigins, throttling, logRetentionDays, defaultScopes, issuerCheck, issuers, defaultIssuer, ' +
        'httpTargets, privateTargets, routeThrottling, production, logRemovalPolicy, accessLogRetentionDays, ' +
        'lambdaLogLevel, alarms, customDomain)',
    ],
    [
      'issuerCheck that is not a boolean',
      { ...BASE, issuerCheck: 'no' },
      {},
      'issuerCheck must be true or false, got "no"',
    ],
  ])('%s', (_name, fields, overrides, problem) => {
    expectConfigError(() => loadTest(fields, overrides), `Environment "test": ${problem}`);
  });
});

describe('operational settings', () => {
  const PROD_LIKE = { ...BASE, region: 'eu-west-1', production: true };
  const CERT = 'arn:aws:acm:eu-west-1:123456789012:certificate/0f2b1c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

  test('prod in cdk.json is production: retained logs, alarms notify a topic, a custom domain with its zone', () => {
    const context = readCdkJsonContext();
    const { config } = loadEnvironmentConfig((key) => ({ ...context, env: 'prod' })[key]);
    expect(config).toMatchObject({
      production: true,
      logRemovalPolicy: 'retain',
      accessLogRetentionDays: 365,
      lambdaLogLevel: 'WARN',
      alarms: {
        notificationTopicArn: 'arn:aws:sns:eu-west-1:123456789012:wso2-jwt-http-api-alerts',
        authRejections: 500,
      },
      customDomain: { domainName: 'api.example.com', hostedZone: { id: 'Z0123456789EXAMPLE01', name: 'example.com' } },
    });
  });

  test('production defaults to retained logs; access-log retention defaults to logRetentionDays', () => {
    const { config } = loadTest({ ...PROD_LIKE, logRetentionDays: 90 });
    expect(config).toMatchObject({ production: true, logRemovalPolicy: 'retain', accessLogRetentionDays: 90 });
  });

  test('alarm thresholds not given keep their defaults', () => {
    expect(loadTest({ ...BASE, alarms: { authRejections: 7 } }).config.alarms).toEqual({
      periodMinutes: 5,
      api5xxErrors: 1,
      lambdaErrors: 1,
      lambdaThrottles: 1,
      authRejections: 7,
    });
  });

  test('a custom domain without a hosted zone, and a zone name with its final dot', () => {
    expect(
      loadTest({ ...BASE, customDomain: { domainName: 'api.example.com', certificateArn: CERT } }).config.customDomain,
    ).toEqual({
      domainName: 'api.example.com',
      certificateArn: CERT,
    });
    expect(
      loadTest({
        ...BASE,
        customDomain: {
          domainName: 'api.example.com',
          certificateArn: CERT,
          hostedZone: { id: 'Z123', name: 'example.com.' },
        },
      }).config.customDomain?.hostedZone,
    ).toEqual({ id: 'Z123', name: 'example.com' });
  });

  test('a wildcard CORS origin is fine outside production', () => {
    expect(loadTest({ ...BASE, corsAllowedOrigins: ['*'] }).config.corsAllowedOrigins).toEqual(['*']);
  });

  test.each<[string, Record<string, unknown>, string]>([
    [
      'production wildcard CORS origin',
      { ...PROD_LIKE, corsAllowedOrigins: ['https://app.example.com', '*'] },
      'corsAllowedOrigins[1] must not be "*" in a production environment (any web page could call the API with its ' +
        'visitors\' tokens), got "*"',
    ],
    [
      'production that destroys its logs',
      { ...PROD_LIKE, logRemovalPolicy: 'destroy' },
      'logRemovalPolicy must be "retain" in a production environment (deleting the stack must not delete its logs), ' +
        'got "destroy"',
    ],
    ['production not a boolean', { ...BASE, production: 'yes' }, 'production must be true or false, got "yes"'],
    [
      'unknown removal policy',
      { ...BASE, logRemovalPolicy: 'snapshot' },
      'logRemovalPolicy must be "retain" or "destroy", got "snapshot"',
    ],
    [
      'access-log retention CloudWatch does not offer',
      { ...BASE, accessLogRetentionDays: 45 },
      "accessLogRetentionDays must be one of CloudWatch's retention periods (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, " +
        '180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653) or "infinite", got 45',
    ],
    [
      'unknown Lambda log level',
      { ...BASE, lambdaLogLevel: 'VERBOSE' },
      'lambdaLogLevel must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL, got "VERBOSE"',
    ],
    [
      'lower-case Lambda log level',
      { ...BASE, lambdaLogLevel: 'info' },
      'lambdaLogLevel must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL, got "info"',
    ],
    ['alarms not an object', { ...BASE, alarms: true }, 'alarms must be an object, got true'],
    [
      'unknown alarm field',
      { ...BASE, alarms: { api4xxErrors: 3 } },
      'alarms.api4xxErrors is not a known field (expected notificationTopicArn, periodMinutes, api5xxErrors, ' +
        'lambdaErrors, lambdaThrottles, authRejections)',
    ],
    [
      'zero threshold',
      { ...BASE, alarms: { lambdaErrors: 0 } },
      'alarms.lambdaErrors must be a positive integer, got 0',
    ],
    [
      'fractional period',
      { ...BASE, alarms: { periodMinutes: 2.5 } },
      'alarms.periodMinutes must be a positive integer, got 2.5',
    ],
    [
      'period over a day',
      { ...BASE, alarms: { periodMinutes: 1441 } },
      'alarms.periodMinutes must be at most 1440 (one day), got 1441',
    ],
    [
      'topic that is not an SNS ARN',
      { ...BASE, alarms: { notificationTopicArn: 'arn:aws:sqs:eu-west-1:123456789012:q' } },
      'alarms.notificationTopicArn must be an SNS topic ARN such as "arn:aws:sns:eu-west-1:123456789012:alerts", got ' +
        '"arn:aws:sqs:eu-west-1:123456789012:q"',
    ],
    [
      'topic in another region',
      { ...PROD_LIKE, alarms: { notificationTopicArn: 'arn:aws:sns:us-east-1:123456789012:alerts' } },
      "alarms.notificationTopicArn must be in the environment's region eu-west-1 (CloudWatch alarms only notify " +
        'topics in their own region), got "arn:aws:sns:us-east-1:123456789012:alerts"',
    ],
    [
      'custom domain not an object',
      { ...BASE, customDomain: 'api.example.com' },
      'customDomain must be an object {domainName, certificateArn, hostedZone?}, got "api.example.com"',
    ],
    [
      'custom domain with a scheme',
      { ...BASE, customDomain: { domainName: 'https://api.example.com', certificateArn: CERT } },
      'customDomain.domainName must be a lower-case, fully qualified host name such as "api.example.com" (no scheme, ' +
        'port, path or wildcard), got "https://api.example.com"',
    ],
    [
      'wildcard custom domain',
      { ...BASE, customDomain: { domainName: '*.example.com', certificateArn: CERT } },
      'customDomain.domainName must be a lower-case, fully qualified host name such as "api.example.com" (no scheme, ' +
        'port, path or wildcard), got "*.example.com"',
    ],
    [
      'custom domain without a certificate',
      { ...BASE, customDomain: { domainName: 'api.example.com' } },
      'customDomain.certificateArn must be an ACM certificate ARN such as ' +
        '"arn:aws:acm:eu-west-1:123456789012:certificate/<uuid>", got undefined',
    ],
    [
      'certificate in another region',
      {
        ...PROD_LIKE,
        customDomain: { domainName: 'api.example.com', certificateArn: CERT.replace('eu-west-1', 'us-east-1') },
      },
      `customDomain.certificateArn must be in the environment's region eu-west-1 (a regional custom domain uses a ` +
        `certificate from its own region), got "${CERT.replace('eu-west-1', 'us-east-1')}"`,
    ],
    [
      'unknown custom domain field',
      { ...BASE, customDomain: { domainName: 'api.example.com', certificateArn: CERT, basePath: 'v1' } },
      'customDomain.basePath is not a known field (expected domainName, certificateArn, hostedZone)',
    ],
    [
      'hosted zone id malformed',
      {
        ...BASE,
        customDomain: {
          domainName: 'api.example.com',
          certificateArn: CERT,
          hostedZone: { id: 'zone-1', name: 'example.com' },
        },
      },
      'customDomain.hostedZone.id must be a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ", got "zone-1"',
    ],
    [
      'hosted zone not an object',
      { ...BASE, customDomain: { domainName: 'api.example.com', certificateArn: CERT, hostedZone: 'Z123' } },
      'customDomain.hostedZone must be an object {id, name}, got "Z123"',
    ],
    [
      'unknown hosted zone field',
      {
        ...BASE,
        customDomain: {
          domainName: 'api.example.com',
          certificateArn: CERT,
          hostedZone: { id: 'Z123', name: 'example.com', private: true },
        },
      },
      'customDomain.hostedZone.private is not a known field (expected id, name)',
    ],
    [
      'hosted zone that does not hold the domain',
      {
        ...BASE,
        customDomain: {
          domainName: 'api.example.com',
          certificateArn: CERT,
          hostedZone: { id: 'Z123', name: 'example.org' },
        },
      },
      'customDomain.hostedZone.name must be "api.example.com" or one of its parent domains, got "example.org"',
    ],
  ])('%s', (_name, fields, problem) => {
    expectConfigError(() => loadTest(fields), `Environment "test": ${problem}`);
  });
});
