import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { type Caller, callerFrom } from './claims';
import { MissingCallerError } from './errors';
import { type ApiResult, json } from './responses';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
type RouteHandler = (event: ApiEvent) => ApiResult;

/** Handlers by API Gateway route key; the routes themselves are declared in lib/api-routes.ts. */
export const ROUTE_HANDLERS: Readonly<Record<string, RouteHandler>> = {
  'GET /health': () => json(200, { status: 'ok' }),
  'GET /hello': (event) => {
    const caller = requireCaller(event);
    return json(200, { message: `Hello, ${caller.subject ?? caller.clientId ?? 'caller'}!` });
  },
  'GET /me': (event) => json(200, requireCaller(event)),
  'GET /reports': (event) => {
    const caller = requireCaller(event);
    return json(200, {
      owner: caller.subject,
      reports: [
        { id: 'r-001', title: 'Monthly active users' },
        { id: 'r-002', title: 'Token issuance by client' },
      ],
    });
  },
};

/**
 * The handler for a route key, looked up among the table's own entries only: `constructor`,
 * `toString` or `__proto__` are not routes, whatever an object inherits.
 */
export function routeHandlerFor(routeKey: unknown): RouteHandler | undefined {
  return typeof routeKey === 'string' && Object.hasOwn(ROUTE_HANDLERS, routeKey) ? ROUTE_HANDLERS[routeKey] : undefined;
}

function requireCaller(event: ApiEvent): Caller {
  // API Gateway only omits the JWT context when the route has no authorizer; a protected
  // handler must never serve an anonymous caller.
  const jwt = event.requestContext?.authorizer?.jwt;
  if (!jwt || typeof jwt.claims !== 'object' || jwt.claims === null) throw new MissingCallerError();
  return callerFrom(jwt.claims, jwt.scopes);
}
