import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { API_ROUTES } from '../../lib/api-routes';
import { ConfigError, ENVIRONMENTS_CONTEXT_KEY, loadEnvironmentConfig } from '../../lib/config';
import type { ApiRoute } from '../../lib/wso2-jwt-http-api';
import { CDK_JSON_CONTEXT, synthEnvironment } from '../support/synth';
import { thrown } from '../support/thrown';

const ENVIRONMENTS = CDK_JSON_CONTEXT[ENVIRONMENTS_CONTEXT_KEY] as Record<string, Record<string, unknown>>;
const DEV = ENVIRONMENTS.dev;

/** dev with some fields replaced, loaded as `cdk synth -c env=dev` would. */
function loadDev(fields: Record<string, unknown>, overrides: Record<string, unknown> = {}) {
  const context: Record<string, unknown> = {
    [ENVIRONMENTS_CONTEXT_KEY]: { dev: { ...DEV, ...fields } },
    ...overrides,
  };
  return loadEnvironmentConfig((key) => context[key]);
}

/** Synthesizes dev (fields replaced, routes added) and returns what it threw. */
function synthDev(fields: Record<string, unknown>, extraRoutes: ApiRoute[] = []): Error {
  return thrown(() =>
    synthEnvironment({
      context: { [ENVIRONMENTS_CONTEXT_KEY]: { dev: { ...DEV, ...fields } } },
      stackProps: { routes: [...API_ROUTES, ...extraRoutes] },
    }),
  );
}

function expectConfigError(error: Error, message: string): void {
  expect(error).toBeInstanceOf(ConfigError);
  expect(error.message).toBe(message);
}

describe('named issuers', () => {
  test('the single-issuer shape is the issuer named "default", and the default', () => {
    const { config } = loadDev({ issuers: undefined });
    expect(config.issuers).toEqual({
      default: { issuerUrl: 'https://localhost:9443/oauth2/token', audiences: ['wso2-jwt-demo-client'] },
    });
    expect(config.defaultIssuer).toBe('default');
  });

  test('an environment of named issuers only names its default', () => {
    const { config } = loadDev({
      issuerUrl: undefined,
      audiences: undefined,
      issuers: {
        wso2: { issuerUrl: 'https://is.example.com/oauth2/token', audiences: ['a'] },
        cloud: { asgardeo: { org: 'acme' }, audiences: ['b'] },
      },
      defaultIssuer: 'cloud',
    });
    expect(config.issuerUrl).toBe('https://api.asgardeo.io/t/acme/oauth2/token');
    expect(config.audiences).toEqual(['b']);
    expect(config.checkedIssuers).toEqual(['wso2', 'cloud']);
  });

  test('-c issuerUrl.<name> overrides one named issuer', () => {
    const { config } = loadDev({}, { 'issuerUrl.partner': 'https://127.0.0.1:8443/t/p/oauth2/token' });
    expect(config.issuers.partner.issuerUrl).toBe('https://127.0.0.1:8443/t/p/oauth2/token');
  });

  test.each<[string, Record<string, unknown>, string]>([
    [
      'an issuer without audiences',
      { issuers: { partner: { issuerUrl: 'https://is.example.com/oauth2/token' } } },
      'issuers.partner.audiences must be a list of client ids, got undefined',
    ],
    [
      'a named issuer with two URLs',
      {
        issuers: {
          partner: { issuerUrl: 'https://a.example.com/oauth2/token', asgardeo: { org: 'x' }, audiences: ['a'] },
        },
      },
      'issuers.partner must give exactly one of issuerUrl, wso2 or asgardeo, got issuerUrl and asgardeo',
    ],
    [
      'a bad issuer name',
      { issuers: { Partner: { asgardeo: { org: 'x' }, audiences: ['a'] } } },
      'issuers.Partner must be a name of lower-case letters and digits in "-"-separated words ' +
        'starting with a letter, at most 32 characters (e.g. "orders", "legacy-crm"), got "Partner"',
    ],
    [
      'a default issuer that does not exist',
      { defaultIssuer: 'nobody' },
      'defaultIssuer must name one of the issuers (default, partner), got "nobody"',
    ],
    [
      'more than 10 issuers',
      {
        issuers: Object.fromEntries(
          Array.from({ length: 10 }, (_, i) => [`t${i}`, { asgardeo: { org: `org${i}` }, audiences: ['a'] }]),
        ),
      },
      'issuers may declare at most 10 issuers (API Gateway quota), got 11',
    ],
  ])('%s', (_name, fields, message) => {
    expectConfigError(
      thrown(() => loadDev(fields)),
      `Environment "dev": ${message}`,
    );
  });
});

describe('HTTP and private targets', () => {
  test('identity headers default to subject, client id, scopes and issuer', () => {
    expect(loadDev({}).config.httpTargets.legacy.identityHeaders).toEqual({
      'x-wso2-sub': 'sub',
      'x-wso2-client-id': 'azp',
      'x-wso2-scope': 'scope',
      'x-wso2-issuer': 'iss',
    });
  });

  test('a private target names its VPC link and exactly one backend ARN', () => {
    const arn = 'arn:aws:servicediscovery:eu-west-1:123456789012:service/srv-abc123';
    const { config } = loadDev({ privateTargets: { inventory: { vpcLinkId: 'abc123', cloudMapServiceArn: arn } } });
    expect(config.privateTargets.inventory).toMatchObject({ vpcLinkId: 'abc123', kind: 'cloudMap', arn });
  });

  test.each<[string, Record<string, unknown>, string]>([
    [
      'an HTTP target that is not an absolute URL',
      { httpTargets: { legacy: { url: '/legacy' } } },
      'httpTargets.legacy.url must be an absolute http(s) URL such as "https://backend.example.com", got "/legacy"',
    ],
    [
      'an HTTP target with a path',
      { httpTargets: { legacy: { url: 'https://legacy.example.com/v1' } } },
      "httpTargets.legacy.url must be the backend's origin without a path (the caller's path is forwarded), " +
        'got "https://legacy.example.com/v1"',
    ],
    [
      'a header API Gateway refuses to map',
      { httpTargets: { legacy: { url: 'https://legacy.example.com', identityHeaders: { Authorization: 'sub' } } } },
      'httpTargets.legacy.identityHeaders["Authorization"] is a header API Gateway refuses to map ' +
        '(reserved: authorization), got "Authorization"',
    ],
    [
      'a reserved header prefix',
      { httpTargets: { legacy: { url: 'https://legacy.example.com', identityHeaders: { 'x-amzn-user': 'sub' } } } },
      'httpTargets.legacy.identityHeaders["x-amzn-user"] is a header API Gateway refuses to map ' +
        '(reserved: x-amzn-*), got "x-amzn-user"',
    ],
    [
      'a plain-http backend in a production environment',
      { production: true, logRemovalPolicy: 'retain', httpTargets: { legacy: { url: 'http://legacy.example.com' } } },
      "httpTargets.legacy.url must use https in a production environment (the caller's token and identity headers " +
        'would cross the network in clear text), got "http://legacy.example.com"',
    ],
    [
      'a timeout above 30 s',
      { httpTargets: { legacy: { url: 'https://legacy.example.com', timeoutMs: 30001 } } },
      'httpTargets.legacy.timeoutMs must be an integer from 50 to 30000 milliseconds ' +
        "(API Gateway's limits for HTTP APIs), got 30001",
    ],
    [
      'the same name as an HTTP and a private target',
      {
        privateTargets: {
          legacy: {
            vpcLinkId: 'abc123',
            nlbListenerArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/net/l/0123/4567',
          },
        },
      },
      'privateTargets.legacy duplicates the target name "legacy" of httpTargets.legacy',
    ],
    [
      'route throttling that is not a positive integer',
      { routeThrottling: { 'GET /orders': { rateLimit: 0, burstLimit: 5 } } },
      'routeThrottling["GET /orders"].rateLimit must be a positive integer, got 0',
    ],
  ])('%s', (_name, fields, message) => {
    expectConfigError(
      thrown(() => loadDev(fields)),
      `Environment "dev": ${message}`,
    );
  });
});

describe('the route table against the environment: errors name the environment, the route and the field', () => {
  test('a route naming a function folder that does not exist', () => {
    expectConfigError(
      synthDev({}, [{ method: HttpMethod.GET, path: '/payments', target: 'payments' }]),
      'Environment "dev": routes[8].target names no target: lambda/payments/handler.ts does not exist ' +
        'and the environment has no httpTargets or privateTargets entry "payments" (route "GET /payments")',
    );
  });

  test('a route naming an HTTP target another environment lacks', () => {
    expectConfigError(
      synthDev({ httpTargets: undefined, routeThrottling: undefined }),
      'Environment "dev": routes[7].target names no target: lambda/legacy/handler.ts does not exist ' +
        'and the environment has no httpTargets or privateTargets entry "legacy" (route "ANY /legacy/{proxy+}")',
    );
  });

  test('a route naming an unknown issuer', () => {
    expectConfigError(
      synthDev({ issuers: undefined }),
      'Environment "dev": routes[6].issuer must name one of the issuers (default) ' +
        'on route "GET /partner/orders", got "partner"',
    );
  });

  test('an HTTP target with the name of a function folder', () => {
    expectConfigError(
      synthDev({
        httpTargets: { legacy: { url: 'https://legacy.example.com' }, orders: { url: 'https://o.example.com' } },
      }),
      'Environment "dev": httpTargets.orders duplicates the target name "orders" ' +
        'of the function in lambda/orders/: rename one of them',
    );
  });

  test('route throttling above the stage', () => {
    expectConfigError(
      synthDev({ routeThrottling: { 'GET /reports': { rateLimit: 51, burstLimit: 5 } } }),
      'Environment "dev": routeThrottling["GET /reports"].rateLimit ' +
        "must be at most the stage's throttling.rateLimit (50), got 51",
    );
  });

  test('route throttling for a route that does not exist', () => {
    expectConfigError(
      synthDev({ routeThrottling: { 'GET /report': { rateLimit: 5, burstLimit: 5 } } }),
      'Environment "dev": routeThrottling["GET /report"] names no route of the route table (lib/api-routes.ts)',
    );
  });
});
