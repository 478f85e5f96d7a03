import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Template } from 'aws-cdk-lib/assertions';
import { API_ROUTES } from '../../lib/api-routes';
import type { ApiRoute } from '../../lib/wso2-jwt-http-api';
import { synthEnvironment } from '../support/synth';
import { templateFor } from '../support/templates';

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
  return synthEnvironment({
    context: { env: 'prod' },
    stackProps: { routes: routeTable },
  }).template;
}

const resourceIds = (template: Template) => Object.keys(template.toJSON().Resources as object);

describe('a stack with 250 routes on one function', () => {
  const table = routes(250);
  const t250 = synth(table);
  const t249 = synth(table.slice(0, 249));

  test("stays well under CloudFormation's 500-resource limit: prod's resources plus one per extra route", () => {
    const prodResources = resourceIds(templateFor('prod')).length;
    expect(resourceIds(t250).length).toBe(prodResources - API_ROUTES.length + 250);
    expect(resourceIds(t250).length).toBeLessThan(MAX_RESOURCES);
  });

  // One resource per route means one integration and one permission whatever the count (their
  // count and anchored ids are asserted in test/lib/wso2-jwt-http-api.test.ts and stack.test.ts).
  test('grows by exactly one resource (the route) per added route', () => {
    t250.resourceCountIs('AWS::ApiGatewayV2::Route', 250);
    const added = resourceIds(t250).filter((id) => !resourceIds(t249).includes(id));
    expect(resourceIds(t250).length - resourceIds(t249).length).toBe(1);
    expect(added).toHaveLength(1);
    expect(t250.toJSON().Resources[added[0]].Type).toBe('AWS::ApiGatewayV2::Route');
  });
});
