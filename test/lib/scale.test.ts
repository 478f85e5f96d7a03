import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Template } from 'aws-cdk-lib/assertions';
import { API_ROUTES } from '../../lib/api-routes';
import type { ApiRoute } from '../../lib/wso2-jwt-http-api';
import { synthEnvironment } from '../support/synth';

/** CloudFormation's limit on resources per stack. */
const MAX_RESOURCES = 500;
const FIRST = API_ROUTES[0];

/** The real first route, then `count - 1` generated routes (some with scopes, some public). */
function routes(count: number): ApiRoute[] {
  const generated = Array.from(
    { length: count - 1 },
    (_, i): ApiRoute => ({
      method: i % 2 === 0 ? HttpMethod.GET : HttpMethod.POST,
      path: `/items${i}/{id}`,
      ...(i % 5 === 0 && { scopes: [`items${i}:write`] }),
      ...(i % 50 === 1 && { public: true }),
    }),
  );
  return [FIRST, ...generated];
}

function synth(routeTable: ApiRoute[]): Template {
  // Bundling the function is not what this test is about: skip it to stay fast.
  return synthEnvironment({
    context: { env: 'prod', 'aws:cdk:bundling-stacks': [] },
    stackProps: { routes: routeTable },
  }).template;
}

const resourceIds = (template: Template) => Object.keys(template.toJSON().Resources as object);
const idsOf = (template: Template, type: string) => Object.keys(template.findResources(type)).sort();

describe('a stack with 250 routes on one function', () => {
  const table = routes(250);
  const t250 = synth(table);
  const t249 = synth(table.slice(0, 249));

  test("stays well under CloudFormation's 500-resource limit", () => {
    const count = resourceIds(t250).length;
    expect(count).toBeLessThan(MAX_RESOURCES);
    // Reported for the record (the number in the notes comes from here).
    console.log(`resources at 250 routes: ${count}`);
  });

  test('grows by exactly one resource (the route) per added route', () => {
    const added = resourceIds(t250).filter((id) => !resourceIds(t249).includes(id));
    expect(resourceIds(t250).length - resourceIds(t249).length).toBe(1);
    expect(added).toHaveLength(1);
    expect(t250.toJSON().Resources[added[0]].Type).toBe('AWS::ApiGatewayV2::Route');
  });

  test('has one integration and one Lambda permission, whatever the route count', () => {
    t250.resourceCountIs('AWS::ApiGatewayV2::Route', 250);
    t250.resourceCountIs('AWS::ApiGatewayV2::Integration', 1);
    t250.resourceCountIs('AWS::Lambda::Permission', 1);
  });

  test('keeps the ids of the integration, the permission and every route when routes are reordered and added', () => {
    // GIVEN the same table with all but the first route reversed, and one more route
    const reordered = [FIRST, ...table.slice(1).reverse(), { method: HttpMethod.DELETE, path: '/items/{id}' }];

    // WHEN
    const after = synth(reordered);

    // THEN
    for (const type of [
      'AWS::ApiGatewayV2::Integration',
      'AWS::Lambda::Permission',
      'AWS::ApiGatewayV2::Api',
      'AWS::ApiGatewayV2::Stage',
      'AWS::ApiGatewayV2::Authorizer',
    ]) {
      expect(idsOf(after, type)).toEqual(idsOf(t250, type));
    }
    expect(idsOf(after, 'AWS::ApiGatewayV2::Route')).toEqual(
      expect.arrayContaining(idsOf(t250, 'AWS::ApiGatewayV2::Route')),
    );
    expect(resourceIds(after).length).toBe(resourceIds(t250).length + 1);
  });

  test('the anchoring ids are the ones main deployed (GET /hello)', () => {
    expect(idsOf(t250, 'AWS::ApiGatewayV2::Integration')).toEqual(['ApiHttpApiGEThelloLambdaIntegration661A9B53']);
    expect(idsOf(t250, 'AWS::Lambda::Permission')).toEqual([expect.stringMatching(/^ApiHttpApiGEThelloApiPermission/)]);
  });
});
