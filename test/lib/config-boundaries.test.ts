import { ConfigError, ENVIRONMENTS_CONTEXT_KEY, loadEnvironmentConfig } from '../../lib/config';

/**
 * cdk.json values at the edges of what is accepted (issue 12's mutation survivors): each
 * boundary on both sides, and a value of the wrong JSON type for each field kind.
 */
const BASE = { issuerUrl: 'https://is.example.com/oauth2/token', audiences: ['client-a'] };

function load(fields: Record<string, unknown>) {
  const context: Record<string, unknown> = { [ENVIRONMENTS_CONTEXT_KEY]: { test: fields }, env: 'test' };
  return loadEnvironmentConfig((key) => context[key]);
}

function problem(fields: Record<string, unknown>): string {
  try {
    load(fields);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('production safety', () => {
  const production = { ...BASE, production: true, logRemovalPolicy: 'retain' };

  test.each([
    [['*'], 0],
    [['*', 'https://app.example.com'], 0],
    [['https://app.example.com', '*'], 1],
  ])('a wildcard CORS origin is refused in production wherever it is: %p', (origins, index) => {
    expect(problem({ ...production, corsAllowedOrigins: origins })).toBe(
      `Environment "test": corsAllowedOrigins[${index}] must not be "*" in a production environment (any web ` +
        `page could call the API with its visitors' tokens), got "*"`,
    );
  });

  test('a wildcard is allowed outside production', () => {
    expect(load({ ...BASE, corsAllowedOrigins: ['*'] }).config.corsAllowedOrigins).toEqual(['*']);
  });

  test('production keeps logs by default', () => {
    expect(load({ ...BASE, production: true }).config.logRemovalPolicy).toBe('retain');
    expect(load(BASE).config.logRemovalPolicy).toBe('destroy');
  });
});

describe('alarm period', () => {
  test.each([1, 1440])('%i minutes is accepted', (periodMinutes) => {
    expect(load({ ...BASE, alarms: { periodMinutes } }).config.alarms.periodMinutes).toBe(periodMinutes);
  });

  test('1441 minutes is more than a day', () => {
    expect(problem({ ...BASE, alarms: { periodMinutes: 1441 } })).toBe(
      'Environment "test": alarms.periodMinutes must be at most 1440 (one day), got 1441',
    );
  });

  test('0 minutes is not a positive integer', () => {
    expect(problem({ ...BASE, alarms: { periodMinutes: 0 } })).toBe(
      'Environment "test": alarms.periodMinutes must be a positive integer, got 0',
    );
  });
});

describe('WSO2 port', () => {
  const wso2 = (port: unknown) => ({ audiences: ['client-a'], wso2: { host: 'is.example.com', port } });

  test.each([
    [1, 'https://is.example.com:1/oauth2/token'],
    [443, 'https://is.example.com/oauth2/token'],
    [9443, 'https://is.example.com:9443/oauth2/token'],
    [65535, 'https://is.example.com:65535/oauth2/token'],
  ])('port %p', (port, url) => {
    expect(load(wso2(port)).config.issuerUrl).toBe(url);
  });

  test.each([0, 65536, -1, 1.5, '9443'])('port %p is refused', (port) => {
    expect(problem(wso2(port))).toMatch(/wso2\.port must be an integer from 1 to 65535, got /);
  });
});

describe('account', () => {
  test('a 12-digit account is accepted', () => {
    expect(load({ ...BASE, account: '123456789012' }).config.account).toBe('123456789012');
  });

  test.each(['1234567890123', '12345678901', '12345678901a', ' 123456789012'])('%p is refused', (account) => {
    expect(problem({ ...BASE, account })).toBe(
      `Environment "test": account must be a 12-digit AWS account id, got ${JSON.stringify(account)}`,
    );
  });
});

describe('wrong JSON types in cdk.json', () => {
  test.each([
    ['production', 'yes', 'production must be true or false, got "yes"'],
    ['issuerCheck', 'false', null],
    ['corsAllowedOrigins', 'https://app.example.com', null],
    ['corsAllowedOrigins', [7], null],
    ['account', 123456789012, null],
    ['logRetentionDays', '7', null],
    ['lambdaLogLevel', 'debug', 'lambdaLogLevel must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL, got "debug"'],
    ['logRemovalPolicy', 'keep', 'logRemovalPolicy must be "retain" or "destroy", got "keep"'],
    ['alarms', [], null],
    ['alarms', { lambdaErrors: '5' }, 'alarms.lambdaErrors must be a positive integer, got "5"'],
    ['customDomain', 'api.example.com', null],
  ])('%s: %p', (field, value, expected: string | null) => {
    const message = problem({ ...BASE, [field]: value });
    expect(message.startsWith(`Environment "test": ${field}`)).toBe(true);
    if (expected) expect(message).toBe(`Environment "test": ${expected}`);
  });
});
