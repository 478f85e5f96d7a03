import { App, Duration } from 'aws-cdk-lib';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { join } from 'node:path';
import { Wso2JwtHttpApiError } from '../../lib/wso2-jwt-http-api';
import { Wso2JwtApiStack, type Wso2JwtApiStackProps } from '../../lib/wso2-jwt-api-stack';
import { testAppOutdir } from '../support/synth';

const ISSUER = 'https://is.example.com/oauth2/token';
const PARTNER = 'https://api.asgardeo.io/t/partner/oauth2/token';
const ALARMS = { periodMinutes: 5, api5xxErrors: 1, lambdaErrors: 1, lambdaThrottles: 1, authRejections: 1 };

/** The stack as a library user builds it: the single-issuer shape, one route, no environment. */
function stackWith(props: Partial<Wso2JwtApiStackProps> = {}): { stack: Wso2JwtApiStack; template: Template } {
  const app = new App({
    outdir: testAppOutdir(),
    context: { 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: false,
  });
  const stack = new Wso2JwtApiStack(app, 'Orders', {
    issuerUrl: ISSUER,
    audiences: ['client-a', 'client-b'],
    routes: [{ method: HttpMethod.GET, path: '/hello' }],
    logRetentionDays: 7,
    alarms: ALARMS,
    ...props,
  });
  return { stack, template: Template.fromStack(stack) };
}

const outputs = (template: Template) =>
  Object.fromEntries(
    Object.entries(template.findOutputs('*')).map(([id, output]) => [id, output.Description as string]),
  );

describe('Wso2JwtApiStack', () => {
  describe('with only the required props', () => {
    // In beforeAll, not at collection: a Stryker run that selects none of these tests skips the synth.
    let stack: Wso2JwtApiStack;
    let template: Template;
    beforeAll(() => {
      ({ stack, template } = stackWith());
    });

    test('the API function: 256 MB, 10 s, INFO logs, a role only Lambda may assume', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        MemorySize: 256,
        Timeout: 10,
        LoggingConfig: Match.objectLike({ ApplicationLogLevel: 'INFO' }),
      });
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }],
        },
        Description: 'API function: writes its own log group only',
      });
    });

    test('issuerUrl and audiences are the issuer named default, checked during deploy', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        JwtConfiguration: { Issuer: ISSUER, Audience: ['client-a', 'client-b'] },
      });
      expect(Object.keys(stack.issuerChecks)).toEqual(['default']);
      expect(stack.issuerCheck).toBe(stack.issuerChecks.default);
      template.hasResourceProperties('Custom::Wso2IssuerCheck', { Issuer: ISSUER });
    });

    test('the access log keeps logRetentionDays, like the function log', () => {
      const retention = Object.values(template.findResources('AWS::Logs::LogGroup')).map(
        (group) => group.Properties.RetentionInDays,
      );
      expect(new Set(retention)).toEqual(new Set([7]));
    });

    test('log groups are kept when the stack is deleted; the API role keeps the id stacks deployed before hold', () => {
      for (const group of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
        expect(group.DeletionPolicy).toBe('Retain');
      }
      // Pinned: a new id would replace the role of every stack deployed before the change.
      expect(Object.keys(template.findResources('AWS::IAM::Role'))).toContain('ApiFunctionServiceRole52B9747B');
    });

    test('outputs say what each value is for', () => {
      expect(outputs(template)).toEqual({
        ApiUrl: 'Base URL of the HTTP API (on the custom domain when there is one)',
        Issuer: 'WSO2 issuer the default JWT authorizer trusts (exact iss)',
        Audiences: 'WSO2 client ids accepted as aud (or client_id)',
        DashboardUrl:
          'CloudWatch dashboard of this environment: requests, errors, latency, 401/403 by reason, functions',
      });
      expect(template.findOutputs('Issuer').Issuer.Value).toBe(ISSUER);
      expect(template.findOutputs('Audiences').Audiences.Value).toBe('client-a,client-b');
    });
  });

  test('the function settings and the access-log retention, when given', () => {
    const { template } = stackWith({
      lambdaMemoryMb: 512,
      lambdaTimeout: Duration.seconds(20),
      lambdaLogLevel: 'DEBUG',
      logRetentionDays: 'infinite',
      accessLogRetentionDays: 30,
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 512,
      Timeout: 20,
      LoggingConfig: Match.objectLike({ ApplicationLogLevel: 'DEBUG' }),
    });
    // 'infinite' is CloudWatch's "never expire": no RetentionInDays at all
    const retention = Object.values(template.findResources('AWS::Logs::LogGroup')).map(
      (group) => group.Properties?.RetentionInDays,
    );
    expect(retention.sort()).toEqual([30, undefined, undefined]);
  });

  test("logRemovalPolicy: 'destroy' deletes the log groups with the stack", () => {
    const groups = Object.values(
      stackWith({ logRemovalPolicy: 'destroy' }).template.findResources('AWS::Logs::LogGroup'),
    );
    expect(groups.map((group) => group.DeletionPolicy)).toEqual(groups.map(() => 'Delete'));
  });

  test('issuerUrl without audiences is refused by the construct', () => {
    expect(() => stackWith({ audiences: undefined })).toThrow(
      'Wso2JwtHttpApi: audiences must list at least one audience (the WSO2 client id of the calling application)',
    );
  });

  test('issuerCheck: false, and an issuer AWS cannot reach, get no check', () => {
    expect(stackWith({ issuerCheck: false }).stack.issuerChecks).toEqual({});
    expect(stackWith({ issuerUrl: 'https://localhost:9443/oauth2/token' }).stack.issuerChecks).toEqual({});
  });

  test('named issuers only: a single one is the default (its URL and audiences are the outputs)', () => {
    const partner = { issuerUrl: PARTNER, audiences: ['partner-client'] };
    const { stack, template } = stackWith({ issuerUrl: undefined, audiences: undefined, issuers: { partner } });
    expect(template.findOutputs('Issuer').Issuer.Value).toBe(PARTNER);
    expect(template.findOutputs('Audiences').Audiences.Value).toBe('partner-client');
    expect(stack.issuerCheck).toBe(stack.issuerChecks.partner);
  });

  test('several named issuers: defaultIssuer picks the outputs; each is checked', () => {
    const issuers = {
      partner: { issuerUrl: PARTNER, audiences: ['partner-client'] },
      staff: { issuerUrl: ISSUER, audiences: ['staff-client'] },
    };
    const { stack, template } = stackWith({
      issuerUrl: undefined,
      audiences: undefined,
      issuers,
      defaultIssuer: 'staff',
    });
    expect(template.findOutputs('Issuer').Issuer.Value).toBe(ISSUER);
    expect(template.findOutputs('Audiences').Audiences.Value).toBe('staff-client');
    expect(Object.keys(stack.issuerChecks).sort()).toEqual(['partner', 'staff']);
    expect(stack.issuerCheck).toBe(stack.issuerChecks.staff);
  });

  test('the dashboard names the stack and every issuer with its audiences', () => {
    const { template } = stackWith({ issuers: { partner: { issuerUrl: PARTNER, audiences: ['p1', 'p2'] } } });
    const text = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(text).toContain(
      `## Orders\\\\nWSO2 issuers: \`${ISSUER}\` (audiences \`client-a, client-b\`); ` +
        `\`${PARTNER}\` (audiences \`p1, p2\`)`,
    );
  });

  test('HTTP and private targets become integrations of their own', () => {
    const { template } = stackWith({
      routes: [
        { method: HttpMethod.ANY, path: '/legacy/{proxy+}', target: 'legacy' },
        { method: HttpMethod.GET, path: '/inventory', target: 'inventory' },
      ],
      httpTargets: { legacy: { url: 'https://legacy.example.com', timeoutMs: 5000, identityHeaders: {} } },
      privateTargets: {
        inventory: {
          vpcLinkId: 'abc123',
          kind: 'alb',
          arn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/inventory/1/2',
          timeoutMs: 3000,
          identityHeaders: {},
        },
      },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'HTTP_PROXY',
      IntegrationUri: 'https://legacy.example.com',
      TimeoutInMillis: 5000,
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'HTTP_PROXY',
      ConnectionType: 'VPC_LINK',
      ConnectionId: 'abc123',
      IntegrationUri: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/inventory/1/2',
      TimeoutInMillis: 3000,
    });
  });

  test('routeThrottling must name a route of the table and stay within the stage throttle', () => {
    expect(() => stackWith({ routeThrottling: { 'GET /nope': { rateLimit: 5, burstLimit: 10 } } })).toThrow(
      'Wso2JwtHttpApi: routeThrottling["GET /nope"] names no route of the route table (lib/api-routes.ts)',
    );
    expect(() =>
      stackWith({
        throttle: { rateLimit: 10, burstLimit: 5 },
        routeThrottling: { 'GET /hello': { rateLimit: 20, burstLimit: 5 } },
      }),
    ).toThrow(
      'Wso2JwtHttpApi: routeThrottling["GET /hello"].rateLimit must be at most the stage\'s throttling.rateLimit ' +
        '(10), got 20',
    );
  });

  test('routeThrottling applies to its route, also without a stage-wide throttle', () => {
    const { template } = stackWith({ routeThrottling: { 'GET /hello': { rateLimit: 5, burstLimit: 10 } } });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      RouteSettings: { 'GET /hello': { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 } },
    });
  });

  describe('a custom domain', () => {
    const customDomain = {
      domainName: 'api.example.com',
      certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
    };

    test('outputs where to point DNS; without a hosted zone, no record', () => {
      const { template } = stackWith({ customDomain });
      expect(outputs(template)).toMatchObject({
        CustomDomainTarget: 'Regional API Gateway domain name to point the custom domain at (CNAME, or alias A record)',
        CustomDomainTargetHostedZoneId: 'Route 53 hosted zone id of the regional target, for an alias record',
      });
      template.resourceCountIs('AWS::Route53::RecordSet', 0);
    });

    test('with its Route 53 hosted zone, an alias A record in it', () => {
      const { template } = stackWith({
        customDomain: { ...customDomain, hostedZone: { id: 'Z123', name: 'example.com' } },
      });
      template.resourceCountIs('AWS::Route53::RecordSet', 1);
      template.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'api.example.com.',
        Type: 'A',
        HostedZoneId: 'Z123',
      });
    });
  });

  describe('function targets', () => {
    const ordersEntry = join(__dirname, '..', '..', 'lambda', 'orders', 'handler.ts');
    const withTarget = (target: string, functionEntries?: Record<string, string>) =>
      stackWith({ routes: [{ method: HttpMethod.GET, path: '/orders', target }], functionEntries });

    test('a hyphenated name with its own entry file is a function of its own', () => {
      const { stack } = withTarget('order-history', { 'order-history': ordersEntry });
      expect(Object.keys(stack.targetFunctions)).toEqual(['order-history']);
    });

    test('a route that names the shared function (api) gets no function of its own', () => {
      expect(withTarget('api').stack.targetFunctions).toEqual({});
    });

    test('a target with neither a folder under lambda/ nor an entry is named with the folder it looked for', () => {
      expect(() => withTarget('payments')).toThrow(
        'Wso2JwtHttpApi: routes[0].target names no target: lambda/payments/handler.ts does not exist and the ' +
          'environment has no httpTargets or privateTargets entry "payments" (route "GET /orders")',
      );
    });

    test('an entry file that does not exist is named, even when lambda/<name>/ exists', () => {
      expect(() => withTarget('orders', { orders: '/nonexistent/handler.ts' })).toThrow(
        'Wso2JwtHttpApi: routes[0].target names no target: /nonexistent/handler.ts does not exist and the ' +
          'environment has no httpTargets or privateTargets entry "orders" (route "GET /orders")',
      );
    });

    test.each(['Orders', 'orders_v2', '1orders', 'orders-', 'order--history', `o${'x'.repeat(32)}`])(
      '%s: refused with the naming rule, although its entry file exists',
      (name) => {
        const build = () => withTarget(name, { [name]: ordersEntry });
        expect(build).toThrow(Wso2JwtHttpApiError);
        expect(build).toThrow(
          'Wso2JwtHttpApi: routes[0].target must be a name of lower-case letters and digits in "-"-separated ' +
            'words starting with a letter, at most 32 characters (e.g. "orders", "legacy-crm"), got ' +
            `${JSON.stringify(name)} (route "GET /orders")`,
        );
      },
    );

    test.each([
      ['httpTargets', 'orders'],
      ['privateTargets', 'api'],
    ])('%s may not reuse the name of a function folder (%s)', (field, name) => {
      const target = { url: 'https://x.example.com', timeoutMs: 1000, identityHeaders: {} };
      const privateTarget = {
        vpcLinkId: 'v',
        kind: 'alb' as const,
        arn: 'arn:x',
        timeoutMs: 1000,
        identityHeaders: {},
      };
      expect(() =>
        stackWith(
          field === 'httpTargets' ? { httpTargets: { [name]: target } } : { privateTargets: { [name]: privateTarget } },
        ),
      ).toThrow(
        `Wso2JwtHttpApi: ${field}.${name} duplicates the target name "${name}" of the function in lambda/${name}/: ` +
          'rename one of them',
      );
    });
  });
});
