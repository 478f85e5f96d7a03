/**
 * The route table of the scale bench (item 4) and of its test: N routes spread round-robin over
 * five function targets and two HTTP targets, as a team's API would be. The extra functions
 * reuse the orders handler's code (bundled per function, as separate code would be).
 */
import { join } from 'node:path';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { DEFAULT_IDENTITY_HEADERS } from '../../lib/config';
import type { Wso2JwtApiStackProps } from '../../lib/wso2-jwt-api-stack';
import type { ApiRoute } from '../../lib/wso2-jwt-http-api';

const ORDERS_ENTRY = join(__dirname, '..', '..', 'lambda', 'orders', 'handler.ts');

/** Function targets: the shared function, orders, and three more on the orders code. */
export const SCALE_FUNCTION_TARGETS = ['api', 'orders', 'bench-a', 'bench-b', 'bench-c'] as const;
export const SCALE_HTTP_TARGETS = ['legacy', 'bench-http'] as const;
const TARGETS = [...SCALE_FUNCTION_TARGETS, ...SCALE_HTTP_TARGETS];

/**
 * Route i goes to target i mod 7. Every 10th function route is public, every 5th protected
 * route requires its own scope; the rest use the environment's default issuer and scopes.
 */
export function scaleRoutes(count: number, targets: readonly string[] = TARGETS): ApiRoute[] {
  return Array.from({ length: count }, (_, i): ApiRoute => {
    const target = targets[i % targets.length];
    const isFunction = (SCALE_FUNCTION_TARGETS as readonly string[]).includes(target);
    const route: ApiRoute = {
      method: i % 2 === 0 ? HttpMethod.GET : HttpMethod.POST,
      path: `/bench/r${i}/{id}`,
      ...(target !== 'api' && { target }),
    };
    if (isFunction && i % 10 === 0) return { ...route, public: true };
    return i % 5 === 0 ? { ...route, scopes: [`bench${i}:read`] } : route;
  });
}

/** Stack props on top of an environment's for an N-route table over the seven targets. */
export function scaleStackProps(count: number, targets: readonly string[] = TARGETS): Partial<Wso2JwtApiStackProps> {
  return {
    routes: scaleRoutes(count, targets),
    functionEntries: { 'bench-a': ORDERS_ENTRY, 'bench-b': ORDERS_ENTRY, 'bench-c': ORDERS_ENTRY },
    httpTargets: Object.fromEntries(
      SCALE_HTTP_TARGETS.map((name) => [
        name,
        { url: `https://${name}.example.com`, timeoutMs: 10_000, identityHeaders: DEFAULT_IDENTITY_HEADERS },
      ]),
    ),
    // The environment's route throttling names demo routes this table does not have.
    routeThrottling: {},
  };
}
