import { API_ROUTES } from '../../lib/api-routes';
import { App, type Stack, Validations } from 'aws-cdk-lib';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { ConfigError, ENVIRONMENTS_CONTEXT_KEY } from '../../lib/config';
import { addEnvironmentStack } from '../../lib/environment-stack';
import { applyNagChecks } from '../../lib/nag';
import { Wso2JwtApiStack } from '../../lib/wso2-jwt-api-stack';
import { CDK_JSON_CONTEXT, synthEnvironment, testAppOutdir } from '../support/synth';

/** Every acknowledgement recorded in the tree: construct path, rule id and reason. */
function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id,
          reason,
        })),
      ),
  );
}

describe.each(['dev', 'staging', 'prod'])('cdk-nag AwsSolutions on the %s stack', (env) => {
  // The stack as `cdk synth` builds it, with the AwsSolutions plugin on.
  // In beforeAll, not at collection: a run that selects none of these tests skips the synth.
  let stack: Stack;
  beforeAll(() => {
    ({ stack } = synthEnvironment({ context: { env }, nag: true }));
  });

  test('reports no finding that is not acknowledged', () => {
    const report = new AwsSolutionsChecks(stack).validateScope(stack);
    expect(report.violations).toEqual([]);
    expect(report.success).toBe(true);
  });

  test('acknowledges only AwsSolutions-APIG4, on the public route, with a reason', () => {
    expect(acknowledgements(stack)).toEqual([
      {
        path: `Wso2JwtHttpApi-${env}/Api/HttpApi/GET--health/Resource`,
        id: 'Annotation::AwsSolutions-APIG4',
        reason: expect.stringMatching(/^Route "GET \/health" is public by design/),
      },
    ]);
  });
});

test('synth fails on a finding nobody acknowledged', () => {
  // GIVEN the stack without its acknowledgements, under the plugin
  const app = new App({
    outdir: testAppOutdir(),
    context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: false,
  });
  new Wso2JwtApiStack(app, 'Unacknowledged', {
    issuerUrl: 'https://is.example.com/oauth2/token',
    audiences: ['client'],
    // The shared function's routes: the others name an environment's issuers and backends.
    routes: API_ROUTES.filter((route) => route.target === undefined),
    logRetentionDays: 7,
    alarms: { periodMinutes: 5, api5xxErrors: 1, lambdaErrors: 1, lambdaThrottles: 1, authRejections: 1 },
  });
  applyNagChecks(app);

  // WHEN / THEN
  expect(() => app.synth()).toThrow(
    /The API does not implement authorization\. \(AwsSolutions\)\s+Unacknowledged\/Api\/HttpApi\/GET--health\/Resource/,
  );
});

test('synth through the environment passes the plugin (it would throw otherwise)', () => {
  const { stack } = synthEnvironment({ context: { env: 'prod' }, nag: true });
  expect(() => (stack.node.root as App).synth()).not.toThrow();
});

describe('addEnvironmentStack and the plugin', () => {
  /** An environment stack plus a bucket cdk-nag objects to (no access logs, no SSL enforcement). */
  const synthWithFinding = (options?: { nagChecks?: boolean }, context: Record<string, unknown> = {}) => {
    const app = new App({
      outdir: testAppOutdir(),
      context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context },
      builtinCloudFormationValidation: false,
    });
    const stack = addEnvironmentStack(app, {}, options);
    new Bucket(stack, 'Unchecked');
    return () => app.synth();
  };

  test('runs cdk-nag by default, as cdk synth does: a finding stops the synth', () => {
    expect(synthWithFinding()).toThrow(/AwsSolutions-S1/);
  });

  test('nagChecks: false leaves it out (the doctor reads routes from a synth it never deploys)', () => {
    expect(synthWithFinding({ nagChecks: false })).not.toThrow();
  });

  // -c nagChecks=true, and absent, are the default above (nagChecksFrom's own cases: config.test.ts).
  test('without the option, -c nagChecks=false leaves it out (npm start passes it) and says so', () => {
    // Synthesizes, or throws AwsSolutions-S1 if the pack ran.
    const assembly = synthWithFinding(undefined, { nagChecks: 'false' })();
    const stack = assembly.stacks.find((artifact) => artifact.stackName === 'Wso2JwtHttpApi-dev');
    expect(stack?.messages.filter((message) => message.level === 'warning').map((m) => m.entry.data)).toContain(
      "cdk-nag's AwsSolutions pack is off (-c nagChecks=false): meant for a local synth, never a deploy " +
        '[ack: wso2-jwt-http-api:nag-checks]',
    );
  });

  test('the option wins over -c nagChecks', () => {
    expect(synthWithFinding({ nagChecks: false }, { nagChecks: 'true' })).not.toThrow();
  });

  test('a bad -c nagChecks is a ConfigError even when the option decides', () => {
    const app = new App({ outdir: testAppOutdir(), context: { ...CDK_JSON_CONTEXT, nagChecks: 'no' } });
    expect(() => addEnvironmentStack(app, {}, { nagChecks: false })).toThrow(ConfigError);
  });

  test('a bad -c nagChecks is a ConfigError before any construct exists', () => {
    const app = new App({ outdir: testAppOutdir(), context: { ...CDK_JSON_CONTEXT, nagChecks: 'no' } });
    expect(() => addEnvironmentStack(app)).toThrow(ConfigError);
    expect(() => addEnvironmentStack(app)).toThrow('-c nagChecks must be true or false, got "no"');
    expect(app.node.children).toEqual([]);
  });
});

test('a stack with every kind of target (function, HTTP, private) passes the pack', () => {
  // GIVEN prod with a private backend behind a VPC link, and a route to it
  const environments = CDK_JSON_CONTEXT[ENVIRONMENTS_CONTEXT_KEY] as Record<string, Record<string, unknown>>;
  const inventory = {
    vpcLinkId: 'abc123',
    albListenerArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/inventory/0123456789abcdef/0123',
  };
  const prod = { ...environments.prod, privateTargets: { inventory } };

  // WHEN
  const { stack } = synthEnvironment({
    context: { env: 'prod', [ENVIRONMENTS_CONTEXT_KEY]: { ...environments, prod } },
    stackProps: { routes: [...API_ROUTES, { method: HttpMethod.GET, path: '/inventory', target: 'inventory' }] },
    nag: true,
  });

  // THEN
  Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Integration', { ConnectionType: 'VPC_LINK' });
  expect(() => (stack.node.root as App).synth()).not.toThrow();
  expect(new AwsSolutionsChecks(stack).validateScope(stack).violations).toEqual([]);
});
