import { App, Stack } from 'aws-cdk-lib';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import {
  type ApiRoute,
  Wso2JwtHttpApi,
  Wso2JwtHttpApiError,
  type Wso2JwtHttpApiProps,
} from '../../lib/wso2-jwt-http-api';
import { CDK_JSON_CONTEXT, testAppOutdir } from '../support/synth';
import { logicalIds, routeByKey } from '../support/template-queries';

const ISSUER = 'https://is.example.com/oauth2/token';
const ROUTES: ApiRoute[] = [
  { method: HttpMethod.GET, path: '/hello' },
  { method: HttpMethod.GET, path: '/health', public: true },
  { method: HttpMethod.GET, path: '/me' },
  { method: HttpMethod.GET, path: '/reports', scopes: ['reports:read'] },
];

function build(props: Partial<Wso2JwtHttpApiProps> = {}): Template {
  const app = new App({ outdir: testAppOutdir(), context: CDK_JSON_CONTEXT, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'TestStack');
  const handler = new LambdaFunction(stack, 'Handler', {
    runtime: Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: Code.fromInline('exports.handler = async () => ({})'),
  });
  new Wso2JwtHttpApi(stack, 'Api', {
    issuerUrl: ISSUER,
    audiences: ['client-a', 'client-b'],
    handler,
    routes: ROUTES,
    ...props,
  });
  return Template.fromStack(stack);
}

describe('the JWT authorizer', () => {
  test('is one JWT authorizer with the issuer, the audiences and the Authorization header', () => {
    // WHEN
    const template = build();

    // THEN
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: ISSUER, Audience: ['client-a', 'client-b'] },
    });
  });
});

describe('routes', () => {
  test('protected routes use the authorizer, the public route none', () => {
    const template = build();
    const [authorizerId] = logicalIds(template, 'AWS::ApiGatewayV2::Authorizer');

    template.resourceCountIs('AWS::ApiGatewayV2::Route', 4);
    for (const key of ['GET /hello', 'GET /me', 'GET /reports']) {
      expect(routeByKey(template, key)).toMatchObject({
        AuthorizationType: 'JWT',
        AuthorizerId: { Ref: authorizerId },
      });
    }
    expect(routeByKey(template, 'GET /health')).toMatchObject({ AuthorizationType: 'NONE' });
    expect(routeByKey(template, 'GET /health').AuthorizerId).toBeUndefined();
  });

  test('route scopes are required; routes without scopes accept any valid token when no default is set', () => {
    const template = build();
    expect(routeByKey(template, 'GET /reports').AuthorizationScopes).toEqual(['reports:read']);
    expect(routeByKey(template, 'GET /hello').AuthorizationScopes).toBeUndefined();
  });

  test('default scopes apply to protected routes without their own, never to public ones', () => {
    const template = build({ defaultScopes: ['api:access'] });
    expect(routeByKey(template, 'GET /hello').AuthorizationScopes).toEqual(['api:access']);
    expect(routeByKey(template, 'GET /me').AuthorizationScopes).toEqual(['api:access']);
    // A route's own scopes replace the defaults: API Gateway accepts any one of a route's scopes.
    expect(routeByKey(template, 'GET /reports').AuthorizationScopes).toEqual(['reports:read']);
    expect(routeByKey(template, 'GET /health').AuthorizationScopes).toBeUndefined();
  });

  test('every route goes through one payload-2.0 Lambda integration with one permission', () => {
    const template = build();
    template.resourceCountIs('AWS::ApiGatewayV2::Integration', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    });
    template.resourceCountIs('AWS::Lambda::Permission', 1);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'apigateway.amazonaws.com',
      SourceArn: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('/\\*/\\*/\\*$')])] },
    });
  });

  test('logical ids of routes, integration and permission survive reordering and adding routes', () => {
    // GIVEN
    const before = build();

    // WHEN: the first route stays first, the others move and one is added
    const after = build({
      routes: [ROUTES[0], ROUTES[3], { method: HttpMethod.POST, path: '/items/{id}' }, ROUTES[2], ROUTES[1]],
    });

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
    const beforeRoutes = logicalIds(before, 'AWS::ApiGatewayV2::Route');
    const afterRoutes = logicalIds(after, 'AWS::ApiGatewayV2::Route');
    expect(afterRoutes).toEqual(expect.arrayContaining(beforeRoutes));
    expect(afterRoutes).toHaveLength(beforeRoutes.length + 1);
  });
});

describe('the stage', () => {
  test('is an explicit, auto-deployed $default stage, and no implicit one exists', () => {
    const template = build({ throttle: { rateLimit: 100, burstLimit: 50 } });
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 50 },
    });
  });

  test('takes another name when given', () => {
    build({ stageName: 'v1' }).hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: 'v1' });
  });
});

describe('CORS', () => {
  test('allows the configured origins with the authorization and content-type headers', () => {
    build({ corsAllowedOrigins: ['https://app.example.com'] }).hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: {
        AllowOrigins: ['https://app.example.com'],
        AllowHeaders: Match.arrayWith(['authorization', 'content-type']),
        AllowMethods: ['GET', 'OPTIONS'],
      },
    });
  });

  test('is absent when no origin is allowed', () => {
    build().hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.absent() });
  });
});

describe('props are validated in the constructor', () => {
  test.each<[string, Partial<Wso2JwtHttpApiProps>, string]>([
    [
      'non-https issuer',
      { issuerUrl: 'http://is.example.com/oauth2/token' },
      'issuerUrl must use https (API Gateway only fetches keys over HTTPS), got "http://is.example.com/oauth2/token"',
    ],
    [
      'no audiences',
      { audiences: [] },
      'audiences must list at least one audience (the WSO2 client id of the calling application)',
    ],
    ['duplicate audiences', { audiences: ['a', 'a'] }, 'audiences[1] duplicates audience "a"'],
    ['no routes', { routes: [] }, 'routes must hold at least one route'],
    ['duplicate route', { routes: [ROUTES[0], ROUTES[0]] }, 'routes[1] duplicates route "GET /hello"'],
    [
      'path without a slash',
      { routes: [{ method: HttpMethod.GET, path: 'hello' }] },
      'routes[0].path must be a path such as "/items/{id}", got "hello"',
    ],
    [
      'scopes on a public route',
      { routes: [{ method: HttpMethod.GET, path: '/health', public: true, scopes: ['a'] }] },
      'routes[0].scopes cannot be required on public route "GET /health", got ["a"]',
    ],
    [
      'empty scope list',
      { routes: [{ method: HttpMethod.GET, path: '/x', scopes: [] }] },
      'routes[0].scopes must list at least one scope when given (route "GET /x")',
    ],
    [
      'more than 10 scopes',
      { defaultScopes: Array.from({ length: 11 }, (_, i) => `s${i}`) },
      'defaultScopes may list at most 10 scopes (API Gateway quota per route), got 11',
    ],
    [
      'bad stage name',
      { stageName: 'a/b' },
      'stageName must be "$default" or 1-128 letters, digits, "-" or "_", got "a/b"',
    ],
    [
      'non-integer burst',
      { throttle: { rateLimit: 10, burstLimit: 2.5 } },
      'throttle.burstLimit must be a positive integer, got 2.5',
    ],
    [
      'origin with a path',
      { corsAllowedOrigins: ['https://a.example.com/app'] },
      'corsAllowedOrigins[0] must be an origin (scheme://host[:port], no path or trailing "/"), got ' +
        '"https://a.example.com/app"',
    ],
  ])('%s', (_name, props, message) => {
    expect(() => build(props)).toThrow(new Error(`Wso2JwtHttpApi: ${message}`));
  });

  test('the error is a Wso2JwtHttpApiError by class and by name (what a stack trace shows)', () => {
    expect(() => build({ audiences: [] })).toThrow(Wso2JwtHttpApiError);
    expect(() => build({ audiences: [] })).toThrow(
      expect.objectContaining({ name: 'Wso2JwtHttpApiError', field: 'audiences' }),
    );
  });
});

describe('route throttling', () => {
  test('RouteSettings list the routes in key order, whatever the route table order, each created first', () => {
    // GIVEN throttled routes declared out of order
    const throttle = { rateLimit: 5, burstLimit: 2 };
    const template = build({
      routes: [
        { method: HttpMethod.GET, path: '/reports', throttle },
        { method: HttpMethod.GET, path: '/hello', throttle },
        { method: HttpMethod.GET, path: '/me' },
      ],
    });

    // THEN a template that does not change when the table is reordered
    const [stage] = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'));
    expect(Object.keys(stage.Properties.RouteSettings)).toEqual(['GET /hello', 'GET /reports']);
    const routeIds = ['GET /hello', 'GET /reports'].map(
      (key) => Object.keys(template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: key } }))[0],
    );
    expect(stage.DependsOn).toEqual(routeIds);
  });
});
