import { Match } from 'aws-cdk-lib/assertions';
import { API_ROUTES } from '../../lib/api-routes';
import { ENVIRONMENTS_CONTEXT_KEY } from '../../lib/config';
import { ROUTE_HANDLERS } from '../../lambda/api/routes';
import { CDK_JSON_CONTEXT, synthEnvironment } from '../support/synth';
import { stackFactsFor, templateFor } from '../support/templates';

describe('the dev stack', () => {
  const template = templateFor('dev');
  const facts = stackFactsFor('dev');

  test('is named after the project and the environment, and environment-agnostic', () => {
    expect(facts.stackName).toBe('Wso2JwtHttpApi-dev');
    expect(facts.environment).toBe('aws://unknown-account/unknown-region');
    expect(template.toJSON().Description).toBe('HTTP API protected by the WSO2 JWT authorizer (dev)');
  });

  test('synthesizes with one warning per issuer: API Gateway cannot reach a localhost issuer', () => {
    const unreachable =
      'issuer host "localhost" is loopback or private: API Gateway fetches the issuer\'s keys ' +
      'over the public internet and will answer 401 to every request [ack: wso2-jwt-http-api:issuer]';
    expect(facts.warnings).toEqual([
      `Environment "dev": ${unreachable}`,
      `Environment "dev": issuers.partner: ${unreachable}`,
    ]);
  });

  test('runs the API function on nodejs24.x, arm64, with JSON logs and source maps', () => {
    // The shared function and the orders target's own.
    template.resourceCountIs('AWS::Lambda::Function', 2);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: Match.stringLikeRegexp('^ApiFunctionLogGroup') } },
      Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps' } },
    });
  });

  // Retention and removal of every log group are asserted once, in operations.test.ts.
  test('gives each function an explicit log group of its own, beside the access logs', () => {
    expect(Object.keys(template.findResources('AWS::Logs::LogGroup')).sort()).toEqual([
      'ApiAccessLogs50B185DB',
      'ApiFunctionLogGroup00D1AC73',
      'OrdersFunctionLogGroup8325B1F9',
    ]);
  });

  test('names integrations and permissions after their targets, never after a route', () => {
    // These ids are the deployed resources: a change here replaces them.
    expect(Object.keys(template.findResources('AWS::ApiGatewayV2::Integration')).sort()).toEqual([
      'ApiTargetApiIntegration',
      'ApiTargetLegacyIntegration',
      'ApiTargetOrdersIntegration',
    ]);
    expect(Object.keys(template.findResources('AWS::Lambda::Permission')).sort()).toEqual([
      'ApiTargetApiPermission',
      'ApiTargetOrdersPermission',
    ]);
  });

  test('routes every declared route and nothing else', () => {
    const routeKeys = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (route) => route.Properties.RouteKey,
    );
    expect(routeKeys.sort()).toEqual(API_ROUTES.map((route) => `${route.method} ${route.path}`).sort());
  });

  test('outputs the API URL, the issuer and the audiences', () => {
    template.hasOutput('ApiUrl', { Value: { 'Fn::Join': ['', Match.arrayWith(['https://', '.execute-api.'])] } });
    template.hasOutput('Issuer', { Value: 'https://localhost:9443/oauth2/token' });
    template.hasOutput('Audiences', { Value: 'wso2-jwt-demo-client' });
  });
});

describe('the prod stack', () => {
  const template = templateFor('prod');

  test('is pinned to its account and region', () => {
    expect(stackFactsFor('prod').environment).toBe('aws://123456789012/eu-west-1');
  });

  test('an environment with a region and no account is pinned to the region alone', () => {
    // GIVEN prod without its account
    const environments = CDK_JSON_CONTEXT[ENVIRONMENTS_CONTEXT_KEY] as Record<string, Record<string, unknown>>;
    const { account: _account, ...prodWithoutAccount } = environments.prod;

    // WHEN
    const { stack } = synthEnvironment({
      context: { env: 'prod', [ENVIRONMENTS_CONTEXT_KEY]: { ...environments, prod: prodWithoutAccount } },
    });

    // THEN
    expect(stack.environment).toBe('aws://unknown-account/eu-west-1');
  });

  test('requires the default scope on protected routes without their own', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /hello',
      AuthorizationScopes: ['api:access'],
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /reports',
      AuthorizationScopes: ['reports:read'],
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /health',
      AuthorizationType: 'NONE',
      AuthorizationScopes: Match.absent(),
    });
  });

  test('trusts the Asgardeo issuer', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: {
        Issuer: 'https://api.asgardeo.io/t/acme/oauth2/token',
        Audience: ['Lk8Jh6Gf4Ds2Aq0Wz9Xc7Vb5Nm3'],
      },
    });
  });
});

test('overrides from -c reach the authorizer and the outputs', () => {
  const { template } = synthEnvironment({
    context: { issuerUrl: 'https://is.example.net/t/x/oauth2/token', audiences: 'a,b' },
  });
  template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
    JwtConfiguration: { Issuer: 'https://is.example.net/t/x/oauth2/token', Audience: ['a', 'b'] },
  });
  template.hasOutput('Audiences', { Value: 'a,b' });
});

test('every route of the shared function has a handler and every handler a route', () => {
  const shared = API_ROUTES.filter((route) => route.target === undefined);
  expect(Object.keys(ROUTE_HANDLERS).sort()).toEqual(shared.map((route) => `${route.method} ${route.path}`).sort());
});
