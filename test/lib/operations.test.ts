import { Match, type Template } from 'aws-cdk-lib/assertions';
import { ENVIRONMENTS, stackFactsFor, templateFor } from '../support/templates';

/** Resource types that CloudFormation cannot tag (no Tags property). */
const UNTAGGABLE = new Set([
  'AWS::ApiGatewayV2::Route',
  'AWS::ApiGatewayV2::Integration',
  'AWS::ApiGatewayV2::Authorizer',
  'AWS::ApiGatewayV2::ApiMapping',
  'AWS::Lambda::Permission',
  'AWS::IAM::Policy',
  'AWS::Logs::MetricFilter',
  'AWS::Route53::RecordSet',
  // A custom resource has only the properties its handler reads; stack tags do not reach it.
  'Custom::Wso2IssuerCheck',
]);

function resources(template: Template): [string, { Type: string; Properties?: Record<string, unknown> }][] {
  return Object.entries(
    template.toJSON().Resources as Record<string, { Type: string; Properties?: Record<string, unknown> }>,
  );
}

/** Tags as a map, whichever shape the resource type uses (a list of {Key, Value} or a map). */
function tagsOf(properties: Record<string, unknown> = {}): Record<string, string> {
  const tags = properties.Tags;
  if (Array.isArray(tags))
    return Object.fromEntries(tags.map((tag: { Key: string; Value: string }) => [tag.Key, tag.Value]));
  return (tags ?? {}) as Record<string, string>;
}

describe.each(ENVIRONMENTS)('the %s stack', (env) => {
  const template = templateFor(env);

  test('tags every taggable resource with the project and the environment, and the stack too', () => {
    const untagged = resources(template)
      .filter(([, resource]) => !UNTAGGABLE.has(resource.Type))
      .filter(([, resource]) => {
        const tags = tagsOf(resource.Properties);
        return tags.project !== 'Wso2JwtHttpApi' || tags.environment !== env;
      })
      .map(([id]) => id);
    expect(untagged).toEqual([]);
    expect(stackFactsFor(env).tags).toEqual({ project: 'Wso2JwtHttpApi', environment: env });
  });

  test('grants no wildcard IAM action or resource, and attaches no managed policy', () => {
    const iam = resources(template).filter(([, resource]) => resource.Type.startsWith('AWS::IAM::'));
    const text = JSON.stringify(iam);
    expect(text).not.toMatch(/"(Action|Resource)":\s*"\*"/);
    expect(text).not.toMatch(/"[a-z0-9-]+:\*"/);
    for (const [, resource] of iam) expect(resource.Properties?.ManagedPolicyArns).toBeUndefined();
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: { 'Fn::GetAtt': ['ApiFunctionLogGroup00D1AC73', 'Arn'] },
          },
        ],
      },
    });
  });

  test("keeps the function role's logical id, so the role is updated in place", () => {
    // The deploy-time issuer checks (staging, prod) and the orders function have their own roles beside it.
    const roles = Object.keys(template.findResources('AWS::IAM::Role')).filter(
      (id) => !id.startsWith('IssuerCheck') && !id.startsWith('OrdersFunction'),
    );
    expect(roles).toEqual(['ApiFunctionServiceRole52B9747B']);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Role: { 'Fn::GetAtt': ['ApiFunctionServiceRole52B9747B', 'Arn'] },
    });
  });

  test('has four alarms: API 5xx, Lambda errors, Lambda throttles, 401/403 (and two per own function)', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 4 + 2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Statistic: 'Sum',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Lambda', MetricName: 'Errors' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Lambda', MetricName: 'Throttles' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: `Wso2JwtHttpApi-${env}`,
      MetricName: 'AuthRejections',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      Period: 300,
    });
  });
});

describe('per-environment settings', () => {
  const dev = { template: templateFor('dev') };
  const prod = { template: templateFor('prod') };

  test('only prod has termination protection', () => {
    expect(ENVIRONMENTS.map((env) => [env, stackFactsFor(env).terminationProtection])).toEqual([
      ['dev', false],
      ['staging', false],
      ['prod', true],
    ]);
  });

  // The one place log retention and removal are asserted, for every log group of every environment.
  const API_LOG_GROUPS = ['ApiAccessLogs50B185DB', 'ApiFunctionLogGroup00D1AC73'] as const;
  // One deploy-time check per public issuer: the default one and the partner issuer.
  const ISSUER_CHECK_LOG_GROUPS = ['IssuerCheckLogGroup8C0A508C', 'IssuerCheckPartnerLogGroup88BE6EFA'] as const;
  const ORDERS_LOG_GROUP = 'OrdersFunctionLogGroup8325B1F9';
  test.each([
    ['dev', 7, 'Delete', [...API_LOG_GROUPS, ORDERS_LOG_GROUP]],
    ['staging', 30, 'Delete', [...API_LOG_GROUPS, ...ISSUER_CHECK_LOG_GROUPS, ORDERS_LOG_GROUP]],
    ['prod', 365, 'Retain', [...API_LOG_GROUPS, ...ISSUER_CHECK_LOG_GROUPS, ORDERS_LOG_GROUP]],
  ] as const)('%s keeps its log groups %i days and, deleted, does %s them', (env, days, policy, ids) => {
    const groups = Object.entries(templateFor(env).findResources('AWS::Logs::LogGroup'))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([id, group]) => [
        id,
        { days: group.Properties.RetentionInDays, deletion: group.DeletionPolicy, replace: group.UpdateReplacePolicy },
      ]);
    expect(groups).toEqual(ids.map((id) => [id, { days, deletion: policy, replace: policy }]));
  });

  test('the function has the environment log level, an explicit timeout and memory', () => {
    dev.template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'DEBUG' },
      Timeout: 10,
      MemorySize: 256,
    });
    prod.template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { ApplicationLogLevel: 'WARN' } });
  });

  test('alarm thresholds come from the environment; only prod notifies its SNS topic (alarm and OK)', () => {
    dev.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'AuthRejections',
      Threshold: 200,
      AlarmActions: Match.absent(),
    });
    const topic = 'arn:aws:sns:eu-west-1:123456789012:wso2-jwt-http-api-alerts';
    for (const alarm of Object.values(prod.template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties).toMatchObject({ AlarmActions: [topic], OKActions: [topic] });
    }
    prod.template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'AuthRejections', Threshold: 500 });
  });

  test('prod maps api.example.com to the explicit stage, disables execute-api and aliases the domain', () => {
    const { template } = prod;
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: true });
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'api.example.com',
      DomainNameConfigurations: [
        {
          CertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0f2b1c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
          EndpointType: 'REGIONAL',
        },
      ],
    });
    template.hasResource('AWS::ApiGatewayV2::ApiMapping', {
      Properties: {
        ApiId: { Ref: 'ApiHttpApi4C294DC0' },
        DomainName: { Ref: Match.stringLikeRegexp('^ApiCustomDomain') },
        Stage: '$default',
      },
      // The stage is named, not referenced: the dependency makes the mapping wait for it.
      DependsOn: ['ApiStage4697DF29'],
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'api.example.com.',
      Type: 'A',
      HostedZoneId: 'Z0123456789EXAMPLE01',
      AliasTarget: { DNSName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiCustomDomain'), 'RegionalDomainName'] } },
    });
    template.hasOutput('ApiUrl', { Value: 'https://api.example.com/' });
    template.hasOutput('CustomDomainTarget', {
      Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiCustomDomain'), 'RegionalDomainName'] },
    });
  });

  test('dev has no custom domain and keeps its execute-api endpoint', () => {
    dev.template.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
    dev.template.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 0);
    dev.template.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: Match.absent() });
    expect(Object.keys(dev.template.toJSON().Outputs)).not.toContain('CustomDomainTarget');
  });
});
