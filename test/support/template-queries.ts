import type { Template } from 'aws-cdk-lib/assertions';

/** The logical ids of a template's resources of one type, sorted. */
export function logicalIds(template: Template, type: string): string[] {
  return Object.keys(template.findResources(type)).sort();
}

/** The properties of the one route with this key (`GET /hello`); fails the test unless there is exactly one. */
export function routeByKey(template: Template, routeKey: string): Record<string, unknown> {
  const found = Object.values(
    template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: routeKey } }),
  );
  expect(found).toHaveLength(1);
  return (found[0] as { Properties: Record<string, unknown> }).Properties;
}
