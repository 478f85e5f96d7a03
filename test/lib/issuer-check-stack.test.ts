import { Match } from 'aws-cdk-lib/assertions';
import { CDK_JSON_CONTEXT, synthEnvironment } from '../support/synth';
import { templateFor } from '../support/templates';

describe('the deploy-time issuer check in the templates', () => {
  const prod = templateFor('prod');

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

  test("each authorizer waits for its own issuer's check, so a failing check stops the deploy first", () => {
    const authorizers = prod.findResources('AWS::ApiGatewayV2::Authorizer');
    const checks = prod.findResources('Custom::Wso2IssuerCheck');
    const checkOf = (issuer: string) => Object.keys(checks).filter((id) => checks[id].Properties.Issuer === issuer);
    const pairs = Object.values(authorizers).map((authorizer) => [
      authorizer.DependsOn,
      checkOf(authorizer.Properties.JwtConfiguration.Issuer),
    ]);
    expect(pairs).toHaveLength(2);
    for (const [dependsOn, check] of pairs) {
      expect(check).toHaveLength(1);
      expect(dependsOn).toEqual(check);
    }
  });

  // Its log group's retention and removal follow the environment (test/lib/operations.test.ts).
  test('prod runs the check on nodejs24.x, arm64, with a bounded timeout and its own log group', () => {
    const template = prod;
    // API, orders, and one check per issuer (default, partner).
    template.resourceCountIs('AWS::Lambda::Function', 4);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: 30,
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: 'IssuerCheckLogGroup8C0A508C' } },
      Description: 'Checks the WSO2 issuer (discovery, JWKS) from inside AWS during deploy',
    });
  });

  test('prod gives the check a role that may only write its own log group and read its own stack', () => {
    const template = prod;
    const roles = Object.entries(template.findResources('AWS::IAM::Role')).filter(([id]) =>
      id.startsWith('IssuerCheckRole'),
    );
    expect(roles).toHaveLength(1);
    // Every resource's tags: test/lib/operations.test.ts.
    const { Tags: _tags, ...properties } = roles[0][1].Properties;
    expect(properties).toEqual({
      // Lambda alone may assume it; no managed policy (logs:* on every resource).
      AssumeRolePolicyDocument: {
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }],
        Version: '2012-10-17',
      },
      Description: 'WSO2 issuer check: writes its own log group, reads its own stack status',
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: roles[0][0] }],
      PolicyDocument: {
        Statement: [
          {
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IssuerCheckLogGroup'), 'Arn'] },
          },
          // to tell a rollback (which it must not block) from an update: this one stack only
          { Action: 'cloudformation:DescribeStacks', Effect: 'Allow', Resource: { Ref: 'AWS::StackId' } },
        ],
      },
    });
    // The permission exists before CloudFormation first invokes the check.
    const [policyId] = Object.keys(
      template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roles[0][0] }] } }),
    );
    template.hasResource('AWS::Lambda::Function', {
      Properties: { Role: { 'Fn::GetAtt': [roles[0][0], 'Arn'] } },
      DependsOn: Match.arrayWith([policyId]),
    });
  });

  test('an -c override of the issuer reaches the check', () => {
    const { template } = synthEnvironment({
      context: { env: 'prod', issuerUrl: 'https://is.example.net/oauth2/token', audiences: 'a,b' },
    });
    template.hasResourceProperties('Custom::Wso2IssuerCheck', {
      Issuer: 'https://is.example.net/oauth2/token',
      Audiences: ['a', 'b'],
    });
  });

  test('dev, whose issuer is localhost, has no check: AWS could never reach it', () => {
    const template = templateFor('dev');
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
      context: { env: 'prod', 'wso2-jwt-http-api:environments': switchedOff },
    });

    // THEN
    template.resourceCountIs('Custom::Wso2IssuerCheck', 0);
  });
});
