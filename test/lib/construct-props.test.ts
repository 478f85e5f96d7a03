/**
 * The construct's props one at a time: what each default, each shape and each bad value does.
 * Every test builds its own small stack (no bundling, no validation): a few hundred ms each.
 */
import { App, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  type ApiRoute,
  Wso2JwtHttpApi,
  Wso2JwtHttpApiError,
  type Wso2JwtHttpApiProps,
} from '../../lib/wso2-jwt-http-api';
import { CDK_JSON_CONTEXT, testAppOutdir } from '../support/synth';
import { logicalIds, routeByKey } from '../support/template-queries';
import { thrown } from '../support/thrown';

const ISSUER = 'https://is.example.com/oauth2/token';
const PARTNER_ISSUER = 'https://is.example.com/t/partner.example.com/oauth2/token';
const CERTIFICATE = 'arn:aws:acm:eu-west-1:123456789012:certificate/0f2b1c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const HELLO: ApiRoute = { method: HttpMethod.GET, path: '/hello' };

type Props = (stack: Stack) => Partial<Wso2JwtHttpApiProps>;

function fn(stack: Stack, id: string): LambdaFunction {
  return new LambdaFunction(stack, id, {
    runtime: Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: Code.fromInline('exports.handler = async () => ({})'),
  });
}

function newStack(): Stack {
  const app = new App({ outdir: testAppOutdir(), context: CDK_JSON_CONTEXT, builtinCloudFormationValidation: false });
  return new Stack(app, 'TestStack', { env: { account: '123456789012', region: 'eu-west-1' } });
}

/** The single-issuer, single-function shape with `props` on top; `scope` places the construct. */
function build(props: Props = () => ({}), scope?: (stack: Stack) => Construct): Template {
  const stack = newStack();
  new Wso2JwtHttpApi(scope ? scope(stack) : stack, 'Api', {
    issuerUrl: ISSUER,
    audiences: ['client-a'],
    handler: fn(stack, 'Handler'),
    routes: [HELLO],
    ...props(stack),
  });
  return Template.fromStack(stack);
}

function problem(props: Props): string {
  const error = thrown(() => build(props));
  expect(error).toBeInstanceOf(Wso2JwtHttpApiError);
  return error.message.replace(/^Wso2JwtHttpApi: /, '');
}

describe('issuers', () => {
  test('with named issuers only, the only one is the default', () => {
    const template = build(() => ({
      issuerUrl: undefined,
      audiences: undefined,
      issuers: { partner: { issuerUrl: PARTNER_ISSUER, audiences: ['p'] } },
    }));
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      Name: 'Wso2JwtAuthorizerPartner',
      JwtConfiguration: { Issuer: PARTNER_ISSUER, Audience: ['p'] },
    });
    expect(routeByKey(template, 'GET /hello')).toMatchObject({ AuthorizationType: 'JWT' });
  });

  test('the default issuer’s authorizer keeps the single-issuer shape’s name', () => {
    build().hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { Name: 'Wso2JwtAuthorizer' });
  });

  test('a route names its issuer; defaultIssuer picks the issuer of the others', () => {
    const template = build(() => ({
      issuers: { partner: { issuerUrl: PARTNER_ISSUER, audiences: ['p'] } },
      defaultIssuer: 'partner',
      routes: [HELLO, { method: HttpMethod.GET, path: '/own', issuer: 'default' }],
    }));
    const byIssuer = Object.fromEntries(
      Object.entries(template.findResources('AWS::ApiGatewayV2::Authorizer')).map(([id, resource]) => [
        resource.Properties.JwtConfiguration.Issuer,
        id,
      ]),
    );
    expect(routeByKey(template, 'GET /hello').AuthorizerId).toEqual({ Ref: byIssuer[PARTNER_ISSUER] });
    expect(routeByKey(template, 'GET /own').AuthorizerId).toEqual({ Ref: byIssuer[ISSUER] });
  });

  test('an issuer URL that is a token (resolved at deploy time) is not checked at synth', () => {
    const lazy = Lazy.string({ produce: () => ISSUER });
    build(() => ({ issuerUrl: lazy })).hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: { Issuer: ISSUER },
    });
  });

  test.each<[string, Props, string]>([
    [
      'audiences without issuerUrl',
      () => ({ issuerUrl: undefined, issuers: { partner: { issuerUrl: PARTNER_ISSUER, audiences: ['p'] } } }),
      'issuerUrl is missing: audiences were given without their issuer',
    ],
    [
      'no issuer at all',
      () => ({ issuerUrl: undefined, audiences: undefined }),
      'issuerUrl is missing: give issuerUrl and audiences, or issuers',
    ],
    [
      'a bad issuer name',
      () => ({ issuers: { Partner: { issuerUrl: PARTNER_ISSUER, audiences: ['p'] } } }),
      'issuers.Partner must be a name of lower-case letters and digits in "-"-separated words ' +
        'starting with a letter, at most 32 characters (e.g. "orders", "legacy-crm"), got "Partner"',
    ],
    [
      'a named issuer "default" beside issuerUrl',
      () => ({ issuers: { default: { issuerUrl: PARTNER_ISSUER, audiences: ['p'] } } }),
      'issuers.default duplicates the issuer given by issuerUrl ("default")',
    ],
    [
      'a named issuer’s bad URL',
      () => ({ issuers: { partner: { issuerUrl: 'http://is.example.com/oauth2/token', audiences: ['p'] } } }),
      'issuers.partner.issuerUrl must use https (API Gateway only fetches keys over HTTPS), ' +
        'got "http://is.example.com/oauth2/token"',
    ],
    [
      'a named issuer’s empty audiences',
      () => ({ issuers: { partner: { issuerUrl: PARTNER_ISSUER, audiences: [] } } }),
      'issuers.partner.audiences must list at least one audience (the WSO2 client id of the calling application)',
    ],
    [
      'a named issuer called "default" without issuerUrl',
      () => ({
        issuerUrl: undefined,
        audiences: undefined,
        issuers: { default: { issuerUrl: 'x', audiences: ['a'] } },
      }),
      'issuers.default.issuerUrl is not a valid URL, got "x"',
    ],
    [
      'a defaultIssuer that names no issuer',
      () => ({ defaultIssuer: 'partner' }),
      'defaultIssuer must name one of the issuers (default), got "partner"',
    ],
    [
      'two named issuers and no defaultIssuer',
      () => ({
        issuerUrl: undefined,
        audiences: undefined,
        issuers: {
          wso2: { issuerUrl: ISSUER, audiences: ['a'] },
          partner: { issuerUrl: PARTNER_ISSUER, audiences: ['p'] },
        },
      }),
      'defaultIssuer is missing: name the issuer of routes that name none (one of wso2, partner)',
    ],
    [
      'an issuer on a public route',
      () => ({ routes: [{ method: HttpMethod.GET, path: '/health', public: true, issuer: 'default' }] }),
      'routes[0].issuer cannot be given on route "GET /health", which is public',
    ],
  ])('%s', (_name, props, message) => {
    expect(problem(props)).toBe(message);
  });
});

describe('targets', () => {
  test('with named targets only, the only one is the default', () => {
    const template = build((stack) => ({
      handler: undefined,
      targets: { orders: { kind: 'function', function: fn(stack, 'Orders') } },
    }));
    expect(logicalIds(template, 'AWS::ApiGatewayV2::Integration')).toEqual(['ApiTargetOrdersIntegration']);
    expect(logicalIds(template, 'AWS::Lambda::Permission')).toEqual(['ApiTargetOrdersPermission']);
  });

  test('defaultTarget picks the target of routes that name none', () => {
    const template = build((stack) => ({
      handler: undefined,
      targets: {
        orders: { kind: 'function', function: fn(stack, 'Orders') },
        billing: { kind: 'function', function: fn(stack, 'Billing') },
      },
      defaultTarget: 'billing',
    }));
    expect(routeByKey(template, 'GET /hello').Target).toEqual({
      'Fn::Join': ['', ['integrations/', { Ref: 'ApiTargetBillingIntegration' }]],
    });
    // A target no route names has no integration and no permission, and does not fail.
    expect(logicalIds(template, 'AWS::ApiGatewayV2::Integration')).toEqual(['ApiTargetBillingIntegration']);
  });

  test('integration and permission ids start with the path below the stack, letters and digits only', () => {
    const template = build(
      () => ({}),
      (stack) => new Construct(new Construct(stack, 'Team-A'), 'Edge_1'),
    );
    expect(logicalIds(template, 'AWS::ApiGatewayV2::Integration')).toEqual(['TeamAEdge1ApiTargetApiIntegration']);
    expect(logicalIds(template, 'AWS::Lambda::Permission')).toEqual(['TeamAEdge1ApiTargetApiPermission']);
  });

  test('an HTTP target waits 10 s by default; a private one takes up to 30 s', () => {
    const arn = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/legacy/0123456789abcdef/0123';
    const template = build(() => ({
      targets: {
        legacy: { kind: 'http', url: 'https://legacy.example.com' },
        internal: { kind: 'private', vpcLinkId: 'abc123', backendArn: arn, timeout: Duration.seconds(30) },
      },
      routes: [
        HELLO,
        { method: HttpMethod.ANY, path: '/legacy/{proxy+}', target: 'legacy' },
        { method: HttpMethod.ANY, path: '/internal/{proxy+}', target: 'internal' },
      ],
    }));
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationUri: 'https://legacy.example.com',
      TimeoutInMillis: 10000,
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationUri: arn,
      ConnectionType: 'VPC_LINK',
      IntegrationMethod: 'ANY',
      PayloadFormatVersion: '1.0',
      TimeoutInMillis: 30000,
    });
    expect(logicalIds(template, 'AWS::ApiGatewayV2::Integration')).toEqual([
      'ApiTargetApiIntegration',
      'ApiTargetInternalIntegration',
      'ApiTargetLegacyIntegration',
    ]);
  });

  test('a target timeout that is a token is not checked at synth', () => {
    const template = build(() => ({
      targets: { legacy: { kind: 'http', url: 'https://legacy.example.com', timeout: Duration.seconds(5) } },
      routes: [HELLO, { method: HttpMethod.ANY, path: '/legacy', target: 'legacy' }],
    }));
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', { TimeoutInMillis: 5000 });
  });

  test.each<[string, Props, string]>([
    ['no target at all', () => ({ handler: undefined }), 'handler is missing: give handler, or targets'],
    [
      'a bad target name',
      () => ({ targets: { Legacy: { kind: 'http', url: 'https://legacy.example.com' } } }),
      'targets.Legacy must be a name of lower-case letters and digits in "-"-separated words ' +
        'starting with a letter, at most 32 characters (e.g. "orders", "legacy-crm"), got "Legacy"',
    ],
    [
      'an HTTP target’s timeout above 30 s',
      () => ({
        targets: { legacy: { kind: 'http', url: 'https://legacy.example.com', timeout: Duration.seconds(31) } },
      }),
      "targets.legacy.timeout must be an integer from 50 to 30000 milliseconds (API Gateway's limits for HTTP APIs), " +
        'got 31000',
    ],
    [
      'a private target’s reserved identity header',
      () => ({
        targets: {
          internal: {
            kind: 'private',
            vpcLinkId: 'abc123',
            backendArn: 'arn:aws:servicediscovery:eu-west-1:123456789012:service/srv-abc123',
            identityHeaders: { 'X-Amzn-User': 'sub' },
          },
        },
      }),
      'targets.internal.identityHeaders["X-Amzn-User"] is a header API Gateway refuses to map ' +
        '(reserved: x-amzn-*), got "X-Amzn-User"',
    ],
    [
      'a defaultTarget that names no target',
      () => ({ defaultTarget: 'orders' }),
      'defaultTarget must name one of the targets (api), got "orders"',
    ],
    [
      'two named targets and no defaultTarget',
      (stack) => ({
        handler: undefined,
        targets: {
          orders: { kind: 'function', function: fn(stack, 'Orders') },
          billing: { kind: 'function', function: fn(stack, 'Billing') },
        },
      }),
      'defaultTarget is missing: name the target of routes that name none (one of orders, billing)',
    ],
  ])('%s', (_name, props, message) => {
    expect(problem(props)).toBe(message);
  });
});

describe('the rest of the API', () => {
  test('CORS: any method when a route takes ANY; else the routes’ methods and OPTIONS, sorted', () => {
    const anyMethod = build(() => ({
      corsAllowedOrigins: ['https://app.example.com'],
      routes: [HELLO, { method: HttpMethod.ANY, path: '/all' }],
    }));
    anyMethod.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: {
        AllowOrigins: ['https://app.example.com'],
        AllowHeaders: ['authorization', 'content-type'],
        AllowMethods: ['*'],
        MaxAge: 3600,
      },
    });
    const listed = build(() => ({
      corsAllowedOrigins: ['https://app.example.com'],
      routes: [{ method: HttpMethod.POST, path: '/b' }, HELLO, { method: HttpMethod.DELETE, path: '/a' }],
    }));
    listed.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: { AllowMethods: ['DELETE', 'GET', 'OPTIONS', 'POST'] },
    });
  });

  test('access logs: kept a month and retained by default; both can be set', () => {
    build().hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 30 },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    build(() => ({
      accessLogRetention: RetentionDays.ONE_WEEK,
      accessLogRemovalPolicy: RemovalPolicy.DESTROY,
    })).hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 7 }, DeletionPolicy: 'Delete' });
  });

  test('the API takes apiName; the stage its throttling; routes without throttling add no route settings', () => {
    const template = build(() => ({ apiName: 'orders-api', throttle: { rateLimit: 20, burstLimit: 10 } }));
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      Name: 'orders-api',
      DisableExecuteApiEndpoint: Match.absent(),
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 10 },
      RouteSettings: Match.absent(),
    });
  });

  test('a custom domain maps to the stage, and the execute-api endpoint is off', () => {
    const stack = newStack();
    const api = new Wso2JwtHttpApi(stack, 'Api', {
      issuerUrl: ISSUER,
      audiences: ['client-a'],
      handler: fn(stack, 'Handler'),
      routes: [HELLO],
      stageName: 'v1',
      customDomain: {
        domainName: 'api.example.com',
        certificate: Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE),
      },
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: true });
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'api.example.com',
      DomainNameConfigurations: [Match.objectLike({ CertificateArn: CERTIFICATE })],
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', {
      Stage: 'v1',
      DomainName: { Ref: Match.stringLikeRegexp('^ApiCustomDomain') },
    });
    expect(api.url).toBe('https://api.example.com/');
    expect(api.domainName).toBeDefined();
  });

  test('without a custom domain the URL is the stage’s, and there is no domain', () => {
    const stack = newStack();
    const api = new Wso2JwtHttpApi(stack, 'Api', {
      issuerUrl: ISSUER,
      audiences: ['client-a'],
      handler: fn(stack, 'Handler'),
      routes: [HELLO],
    });
    expect(api.url).toBe(api.stage.url);
    expect(api.domainName).toBeUndefined();
    expect(api.authorizer).toBe(api.authorizers.default);
    expect(Object.keys(api.integrations)).toEqual(['api']);
    Template.fromStack(stack).resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
  });

  test('a custom domain name that is a token is not checked at synth', () => {
    const template = build((stack) => ({
      customDomain: {
        domainName: Lazy.string({ produce: () => 'api.example.com' }),
        certificate: Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE),
      },
    }));
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', { DomainName: 'api.example.com' });
  });

  test.each<[string, Props, string]>([
    [
      'a stage rate limit of 0',
      () => ({ throttle: { rateLimit: 0, burstLimit: 5 } }),
      'throttle.rateLimit must be a positive integer, got 0',
    ],
    [
      'a bad custom domain name',
      (stack) => ({
        customDomain: {
          domainName: 'https://api.example.com',
          certificate: Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE),
        },
      }),
      'customDomain.domainName must be a lower-case, fully qualified host name such as "api.example.com" ' +
        '(no scheme, port, path or wildcard), got "https://api.example.com"',
    ],
    [
      'a bad route scope',
      () => ({ routes: [{ method: HttpMethod.GET, path: '/x', scopes: ['a b'] }] }),
      'routes[0].scopes[0] must be a non-empty scope without white space, got "a b"',
    ],
    [
      'a second bad CORS origin',
      () => ({ corsAllowedOrigins: ['https://a.example.com', 'ftp://b.example.com'] }),
      'corsAllowedOrigins[1] must be an origin (scheme://host[:port], no path or trailing "/"), got ' +
        '"ftp://b.example.com"',
    ],
  ])('%s', (_name, props, message) => {
    expect(problem(props)).toBe(message);
  });
});

describe('edges the mutation run found', () => {
  test.each<[string, Props, string]>([
    [
      'a defaultIssuer among two issuers that names neither',
      () => ({ issuers: { partner: { issuerUrl: PARTNER_ISSUER, audiences: ['p'] } }, defaultIssuer: 'nope' }),
      'defaultIssuer must name one of the issuers (default, partner), got "nope"',
    ],
    [
      'a defaultTarget among two targets that names neither',
      () => ({ targets: { legacy: { kind: 'http', url: 'https://legacy.example.com' } }, defaultTarget: 'nope' }),
      'defaultTarget must name one of the targets (api, legacy), got "nope"',
    ],
    [
      'issuerUrl without audiences',
      () => ({ audiences: undefined }),
      'audiences must list at least one audience (the WSO2 client id of the calling application)',
    ],
  ])('%s', (_name, props, message) => {
    expect(problem(props)).toBe(message);
  });

  test('ten issuers, the quota, are accepted', () => {
    const issuers = Object.fromEntries(
      Array.from({ length: 9 }, (_, i) => [
        `t${i}`,
        { issuerUrl: `https://is.example.com/t/t${i}/oauth2/token`, audiences: ['a'] },
      ]),
    );
    build(() => ({ issuers })).resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
  });

  test('a route may throttle itself when the stage does not', () => {
    const template = build(() => ({
      routes: [{ method: HttpMethod.GET, path: '/x', throttle: { rateLimit: 5, burstLimit: 2 } }],
    }));
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      RouteSettings: { 'GET /x': { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 2 } },
    });
  });
});
