import { Match } from 'aws-cdk-lib/assertions';
import { CDK_JSON_CONTEXT, synthEnvironment } from '../support/synth';

// Tests that read no asset skip esbuild: bundling two functions costs seconds per synth.
const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

describe('the deploy-time issuer check in the templates', () => {
  // Synthesized once: bundling two functions costs seconds.
  const { template: prod } = synthEnvironment({ context: { env: 'prod' } });

  test('prod checks its Asgardeo issuer during deploy, re-running when issuer or audiences change', () => {
    const template = prod;

    // THEN the custom resource carries both, so a change of either is an Update
    // (one check per public issuer: the default and "partner")
    template.resourceCountIs('Custom::Wso2IssuerCheck', 2);
    template.hasResource('Custom::Wso2IssuerCheck', {
      Properties: {
        ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IssuerCheckFunction'), 'Arn'] },
        ServiceTimeout: '120',
        Issuer: 'https://api.asgardeo.io/t/acme/oauth2/token',
        Audiences: ['Lk8Jh6Gf4Ds2Aq0Wz9Xc7Vb5Nm3'],
      },
      DeletionPolicy: 'Delete',
    });
  });

  test('prod runs the check on nodejs24.x, arm64, with a bounded timeout and its own log group', () => {
    const template = prod;
    // API, orders, and one check per issuer (default, partner).
    template.resourceCountIs('AWS::Lambda::Function', 4);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: 30,
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: Match.stringLikeRegexp('^IssuerCheckLogGroup') } },
    });
    // Its log group follows the environment: a year, kept when the production stack goes.
    const logGroups = template.findResources('AWS::Logs::LogGroup');
    const checkLogGroup = Object.entries(logGroups).filter(([id]) => id.startsWith('IssuerCheckLogGroup'));
    expect(checkLogGroup).toHaveLength(1);
    expect(checkLogGroup[0][1]).toMatchObject({ Properties: { RetentionInDays: 365 }, DeletionPolicy: 'Retain' });
  });

  test('prod gives the check a role that may only write its own log group (no managed policy)', () => {
    const template = prod;
    const roles = Object.entries(template.findResources('AWS::IAM::Role')).filter(([id]) =>
      id.startsWith('IssuerCheckRole'),
    );
    expect(roles).toHaveLength(1);
    expect(roles[0][1].Properties.ManagedPolicyArns).toBeUndefined();
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: roles[0][0] }],
      PolicyDocument: {
        Statement: [
          {
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IssuerCheckLogGroup'), 'Arn'] },
          },
        ],
      },
    });
  });

  test('an -c override of the issuer reaches the check', () => {
    const { template } = synthEnvironment({
      context: { ...NO_BUNDLING, env: 'prod', issuerUrl: 'https://is.example.net/oauth2/token', audiences: 'a,b' },
    });
    template.hasResourceProperties('Custom::Wso2IssuerCheck', {
      Issuer: 'https://is.example.net/oauth2/token',
      Audiences: ['a', 'b'],
    });
  });

  test('dev, whose issuer is localhost, has no check: AWS could never reach it', () => {
    const { stack, template } = synthEnvironment({ context: NO_BUNDLING });
    expect(stack.issuerCheck).toBeUndefined();
    template.resourceCountIs('Custom::Wso2IssuerCheck', 0);
    // API and orders: no check function.
    template.resourceCountIs('AWS::Lambda::Function', 2);
  });

  test('an environment can switch it off', () => {
    // GIVEN prod with issuerCheck: false
    const environments = CDK_JSON_CONTEXT['wso2-jwt-http-api:environments'] as Record<string, Record<string, unknown>>;
    const switchedOff = { ...environments, prod: { ...environments.prod, issuerCheck: false } };

    // WHEN
    const { template } = synthEnvironment({
      context: { ...NO_BUNDLING, env: 'prod', 'wso2-jwt-http-api:environments': switchedOff },
    });

    // THEN
    template.resourceCountIs('Custom::Wso2IssuerCheck', 0);
  });
});
