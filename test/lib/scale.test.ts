import type { Template } from 'aws-cdk-lib/assertions';
import { SCALE_FUNCTION_TARGETS, SCALE_HTTP_TARGETS, scaleStackProps } from '../../tools/bench/scale-table';
import { synthEnvironment } from '../support/synth';

/** CloudFormation's limit on resources per stack. */
const MAX_RESOURCES = 500;
/** A function target's own resources: function, role, its policy, log group, 2 alarms, integration, permission. */
const PER_FUNCTION_TARGET = 8;
/** An HTTP target's own resource: its integration. */
const PER_HTTP_TARGET = 1;
const ALL = [...SCALE_FUNCTION_TARGETS, ...SCALE_HTTP_TARGETS];

function synth(routes: number, targets: readonly string[] = ALL): Template {
  // Bundling the functions is not what this test is about: skip it to stay fast.
  return synthEnvironment({
    context: { env: 'prod', 'aws:cdk:bundling-stacks': [] },
    stackProps: scaleStackProps(routes, targets),
  }).template;
}

const resourceIds = (template: Template) => Object.keys(template.toJSON().Resources as object);
const count = (template: Template) => resourceIds(template).length;

describe('250 routes over five functions and two HTTP targets', () => {
  // In beforeAll, not at collection: a run that selects none of these tests skips the synth.
  let t250: Template;
  beforeAll(() => {
    t250 = synth(250);
  });

  test("stay under CloudFormation's 500-resource limit", () => {
    expect(count(t250)).toBeLessThan(MAX_RESOURCES);
    // Reported for the record (docs/routes-and-issuers.md quotes it).
    console.log(`resources at 250 routes over 5 functions + 2 HTTP targets: ${count(t250)}`);
  });

  test('one resource (the route) per added route', () => {
    // Small stacks over every target (routes go round-robin, so 7 routes use each target once);
    // the exact total at 250 routes is checked below.
    const [seven, eight] = [synth(ALL.length), synth(ALL.length + 1)];
    const added = resourceIds(eight).filter((id) => !resourceIds(seven).includes(id));
    expect(added).toHaveLength(1);
    expect(count(eight) - count(seven)).toBe(1);
    expect(eight.toJSON().Resources[added[0]].Type).toBe('AWS::ApiGatewayV2::Route');
  });

  test('one integration per target and one permission per function, whatever the route count', () => {
    t250.resourceCountIs('AWS::ApiGatewayV2::Route', 250);
    t250.resourceCountIs('AWS::ApiGatewayV2::Integration', ALL.length);
    t250.resourceCountIs('AWS::Lambda::Permission', SCALE_FUNCTION_TARGETS.length);
  });

  test('a fixed cost per target: 8 per function, 1 per HTTP target, so the total is arithmetic', () => {
    // GIVEN the stack's fixed cost: two routes on the shared function alone (the first is public,
    // and an authorizer exists once a route uses it)
    const fixed = count(synth(2, ['api'])) - 2;

    // THEN every other target adds exactly its fixed cost (at the same route count) ...
    const extraFunctions = SCALE_FUNCTION_TARGETS.length - 1;
    expect(count(synth(ALL.length)) - count(synth(ALL.length, ['api']))).toBe(
      extraFunctions * PER_FUNCTION_TARGET + SCALE_HTTP_TARGETS.length * PER_HTTP_TARGET,
    );
    // ... and at 250 routes the total is exactly that, plus one resource per route
    expect(count(t250)).toBe(
      fixed + 250 + extraFunctions * PER_FUNCTION_TARGET + SCALE_HTTP_TARGETS.length * PER_HTTP_TARGET,
    );
  });
});
