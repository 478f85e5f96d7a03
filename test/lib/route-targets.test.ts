import { App, Duration, Stack } from 'aws-cdk-lib';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import {
  type ApiRoute,
  type ApiTarget,
  Wso2JwtHttpApi,
  Wso2JwtHttpApiError,
  type Wso2JwtHttpApiProps,
} from '../../lib/wso2-jwt-http-api';
import { CDK_JSON_CONTEXT, testAppOutdir } from '../support/synth';
import { logicalIds, routeByKey } from '../support/template-queries';
import { thrown } from '../support/thrown';

const ISSUER = 'https://is.example.com/oauth2/token';
const TENANT_ISSUER = 'https://is.example.com/t/partner.example.com/oauth2/token';

type Build = (stack: Stack, base: Record<string, ApiTarget>) => Partial<Wso2JwtHttpApiProps>;

function fn(stack: Stack, id: string): LambdaFunction {
  return new LambdaFunction(stack, id, {
    runtime: Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: Code.fromInline('exports.handler = async () => ({})'),
  });
}

/** Targets: the shared handler (`api`), two functions of their own and an HTTP backend. */
function targets(stack: Stack): Record<string, ApiTarget> {
  return {
    orders: { kind: 'function', function: fn(stack, 'Orders') },
    billing: { kind: 'function', function: fn(stack, 'Billing') },
    legacy: { kind: 'http', url: 'https://legacy.example.com', timeout: Duration.seconds(5) },
  };
}

const ROUTES: ApiRoute[] = [
  { method: HttpMethod.GET, path: '/hello' },
  { method: HttpMethod.GET, path: '/health', public: true },
  { method: HttpMethod.GET, path: '/orders', target: 'orders' },
  { method: HttpMethod.GET, path: '/orders/{id}', target: 'orders' },
  { method: HttpMethod.POST, path: '/invoices', target: 'billing', issuer: 'partner', scopes: ['billing:write'] },
  { method: HttpMethod.ANY, path: '/legacy/{proxy+}', target: 'legacy' },
];

function build(routes: readonly ApiRoute[] = ROUTES, extra: Build = () => ({})): Template {
  const app = new App({ outdir: testAppOutdir(), context: CDK_JSON_CONTEXT, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'TestStack');
  const base = targets(stack);
  new Wso2JwtHttpApi(stack, 'Api', {
    issuerUrl: ISSUER,
    audiences: ['client-a'],
    issuers: { partner: { issuerUrl: TENANT_ISSUER, audiences: ['partner-client'] } },
    handler: fn(stack, 'Handler'),
    targets: base,
    routes,
    throttle: { rateLimit: 100, burstLimit: 50 },
    ...extra(stack, base),
  });
  return Template.fromStack(stack);
}

describe('route targets', () => {
  // In beforeAll, not at collection: a run that selects none of these tests skips the synth.
  let template: Template;
  beforeAll(() => {
    template = build();
  });

  test('one integration per target, named after it, shared by every route that names it', () => {
    expect(logicalIds(template, 'AWS::ApiGatewayV2::Integration')).toEqual([
      'ApiTargetApiIntegration',
      'ApiTargetBillingIntegration',
      'ApiTargetLegacyIntegration',
      'ApiTargetOrdersIntegration',
    ]);
    expect(routeByKey(template, 'GET /orders').Target).toEqual(routeByKey(template, 'GET /orders/{id}').Target);
    expect(routeByKey(template, 'GET /orders').Target).toEqual({
      'Fn::Join': ['', ['integrations/', { Ref: 'ApiTargetOrdersIntegration' }]],
    });
  });

  test('one API-wide Lambda permission per function, named after its target', () => {
    expect(logicalIds(template, 'AWS::Lambda::Permission')).toEqual([
      'ApiTargetApiPermission',
      'ApiTargetBillingPermission',
      'ApiTargetOrdersPermission',
    ]);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Orders'), 'Arn'] },
      SourceArn: { 'Fn::Join': ['', Match.arrayWith(['/*/*/*'])] },
    });
  });

  test('an HTTP target proxies to its URL with the caller path and unforgeable identity headers', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'HTTP_PROXY',
      IntegrationMethod: 'ANY',
      IntegrationUri: 'https://legacy.example.com',
      PayloadFormatVersion: '1.0',
      TimeoutInMillis: 5000,
      RequestParameters: {
        'overwrite:path': '$request.path',
        'overwrite:header.x-wso2-sub': '$context.authorizer.claims.sub',
        'overwrite:header.x-wso2-client-id': '$context.authorizer.claims.azp',
        'overwrite:header.x-wso2-scope': '$context.authorizer.claims.scope',
        'overwrite:header.x-wso2-issuer': '$context.authorizer.claims.iss',
      },
    });
  });

  test('identity headers and a 30 s timeout (above aws-cdk-lib’s 29 s check) can be set per target', () => {
    const custom = build(ROUTES, (_stack, base) => ({
      targets: {
        ...base,
        legacy: {
          kind: 'http',
          url: 'http://127.0.0.1:9081',
          timeout: Duration.seconds(30),
          identityHeaders: { 'X-User': 'sub', 'x-tenant': 'org_id' },
        },
      },
    }));
    custom.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationUri: 'http://127.0.0.1:9081',
      TimeoutInMillis: 30000,
      RequestParameters: {
        'overwrite:path': '$request.path',
        'overwrite:header.x-user': '$context.authorizer.claims.sub',
        'overwrite:header.x-tenant': '$context.authorizer.claims.org_id',
      },
    });
  });

  test('a private target goes through its VPC link to the listener ARN', () => {
    const arn =
      'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/legacy/0123456789abcdef/0123456789abcdef';
    const withPrivate = build(
      [...ROUTES, { method: HttpMethod.ANY, path: '/internal/{proxy+}', target: 'internal' }],
      (_stack, base) => ({
        targets: {
          ...base,
          internal: {
            kind: 'private',
            backendArn: arn,
            vpcLinkId: 'abc123',
          },
        },
      }),
    );
    expect(logicalIds(withPrivate, 'AWS::ApiGatewayV2::Integration')).toContain('ApiTargetInternalIntegration');
    withPrivate.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'HTTP_PROXY',
      ConnectionType: 'VPC_LINK',
      ConnectionId: 'abc123',
      IntegrationUri: arn,
      RequestParameters: Match.objectLike({ 'overwrite:header.x-wso2-sub': '$context.authorizer.claims.sub' }),
    });
  });
});

describe('issuers', () => {
  let template: Template;
  beforeAll(() => {
    template = build();
  });

  test('one JWT authorizer per issuer; routes use their issuer’s, or the default', () => {
    expect(logicalIds(template, 'AWS::ApiGatewayV2::Authorizer')).toEqual([
      expect.stringMatching(/^ApiHttpApiWso2JwtAuthorizer[0-9A-F]{8}$/),
      expect.stringMatching(/^ApiHttpApiWso2JwtAuthorizerPartner[0-9A-F]{8}$/),
    ]);
    const [defaultId, partnerId] = logicalIds(template, 'AWS::ApiGatewayV2::Authorizer');
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: { Issuer: TENANT_ISSUER, Audience: ['partner-client'] },
    });
    expect(routeByKey(template, 'POST /invoices')).toMatchObject({
      AuthorizationType: 'JWT',
      AuthorizerId: { Ref: partnerId },
      AuthorizationScopes: ['billing:write'],
    });
    expect(routeByKey(template, 'GET /orders')).toMatchObject({ AuthorizerId: { Ref: defaultId } });
  });

  test('an API of named issuers only takes its default from defaultIssuer', () => {
    const named = build(ROUTES, () => ({
      issuerUrl: undefined,
      audiences: undefined,
      issuers: {
        wso2: { issuerUrl: ISSUER, audiences: ['a'] },
        partner: { issuerUrl: TENANT_ISSUER, audiences: ['b'] },
      },
      defaultIssuer: 'wso2',
    }));
    const wso2 = Object.entries(named.findResources('AWS::ApiGatewayV2::Authorizer')).find(
      ([, resource]) => resource.Properties.JwtConfiguration.Issuer === ISSUER,
    );
    expect(wso2?.[0]).toMatch(/^ApiHttpApiWso2JwtAuthorizerWso2/);
    expect(routeByKey(named, 'GET /hello')).toMatchObject({ AuthorizerId: { Ref: wso2?.[0] } });
  });
});

describe('per-route throttling', () => {
  test('goes into the stage’s RouteSettings, the stage waiting for the route', () => {
    const routes = ROUTES.map((route) =>
      route.path === '/orders' ? { ...route, throttle: { rateLimit: 10, burstLimit: 5 } } : route,
    );
    const template = build(routes);
    template.hasResource('AWS::ApiGatewayV2::Stage', {
      Properties: {
        DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 50 },
        RouteSettings: { 'GET /orders': { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 5 } },
      },
      DependsOn: [Match.stringLikeRegexp('^ApiHttpApiGETorders')],
    });
  });
});

describe('logical ids do not depend on the route table’s order', () => {
  test('reordering, adding and removing routes keeps every integration, permission and authorizer id', () => {
    // GIVEN
    const before = build(ROUTES);
    const reordered = [
      { method: HttpMethod.DELETE, path: '/orders/{id}', target: 'orders' },
      ...[...ROUTES].reverse().filter((route) => route.path !== '/hello'),
      { method: HttpMethod.GET, path: '/hello' },
    ];

    // WHEN
    const after = build(reordered);

    // THEN
    for (const type of [
      'AWS::ApiGatewayV2::Integration',
      'AWS::Lambda::Permission',
      'AWS::ApiGatewayV2::Authorizer',
      'AWS::ApiGatewayV2::Api',
      'AWS::ApiGatewayV2::Stage',
    ]) {
      expect(logicalIds(after, type)).toEqual(logicalIds(before, type));
    }
    expect(logicalIds(after, 'AWS::ApiGatewayV2::Route')).toEqual(
      expect.arrayContaining(logicalIds(before, 'AWS::ApiGatewayV2::Route')),
    );
    expect(logicalIds(after, 'AWS::ApiGatewayV2::Route')).toHaveLength(ROUTES.length + 1);
  });
});

describe('bad props name the prop, the route and the value', () => {
  test.each<[string, readonly ApiRoute[], Build, string]>([
    [
      'unknown issuer',
      [{ method: HttpMethod.GET, path: '/x', issuer: 'partnr' }],
      () => ({}),
      'routes[0].issuer must name one of the issuers (default, partner) on route "GET /x", got "partnr"',
    ],
    [
      'unknown target',
      [{ method: HttpMethod.GET, path: '/x', target: 'ordrs' }],
      () => ({}),
      'routes[0].target must name one of the targets (api, orders, billing, legacy) on route "GET /x", got "ordrs"',
    ],
    [
      'throttling above the stage',
      [{ method: HttpMethod.GET, path: '/x', throttle: { rateLimit: 101, burstLimit: 5 } }],
      () => ({}),
      'routes[0].throttle.rateLimit must be at most the stage\'s throttling.rateLimit (100), got 101 on route "GET /x"',
    ],
    [
      'burst above the stage',
      [{ method: HttpMethod.GET, path: '/x', throttle: { rateLimit: 10, burstLimit: 51 } }],
      () => ({}),
      'routes[0].throttle.burstLimit must be at most the stage\'s throttling.burstLimit (50), got 51 on route "GET /x"',
    ],
    [
      'HTTP target URL that is not absolute',
      ROUTES,
      (_stack, base) => ({ targets: { ...base, legacy: { kind: 'http', url: 'legacy.example.com' } } }),
      'targets.legacy.url must be an absolute http(s) URL such as "https://backend.example.com", ' +
        'got "legacy.example.com"',
    ],
    [
      'reserved identity header',
      ROUTES,
      (_stack, base) => ({
        targets: {
          ...base,
          legacy: { kind: 'http', url: 'https://legacy.example.com', identityHeaders: { 'X-Forwarded-For': 'sub' } },
        },
      }),
      'targets.legacy.identityHeaders["X-Forwarded-For"] is a header API Gateway refuses to map ' +
        '(reserved: x-forwarded-for), got "X-Forwarded-For"',
    ],
    [
      'duplicate target name',
      ROUTES,
      (stack, base) => ({ targets: { ...base, api: { kind: 'function', function: fn(stack, 'Other') } } }),
      'targets.api duplicates the target name "api" of handler',
    ],
    [
      'a public route on an HTTP target',
      [{ method: HttpMethod.GET, path: '/legacy/status', target: 'legacy', public: true }],
      () => ({}),
      'routes[0].public cannot be true on route "GET /legacy/status": ' +
        'its target "legacy" forwards the caller\'s identity, which a public route does not have',
    ],
    [
      'more than 10 issuers',
      ROUTES,
      () => ({
        issuers: Object.fromEntries(
          Array.from({ length: 10 }, (_, i) => [
            `t${i}`,
            { issuerUrl: `https://is.example.com/t/t${i}/oauth2/token`, audiences: ['a'] },
          ]),
        ),
      }),
      'issuers may declare at most 10 issuers (API Gateway quota), got 11',
    ],
  ])('%s', (_name, routes, extra, message) => {
    const error = thrown(() => build(routes, extra));
    expect(error).toBeInstanceOf(Wso2JwtHttpApiError);
    expect(error.message).toBe(`Wso2JwtHttpApi: ${message}`);
  });
});
