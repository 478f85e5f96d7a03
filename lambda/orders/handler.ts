import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/**
 * The orders function: the demo's route target with a function of its own (routes
 * `GET /orders`, `GET /orders/{id}` and `GET /partner/orders`, the last for the second issuer).
 * Logs name the request and the caller's subject, never the event, its headers or its token.
 */
export type OrdersEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type OrdersResult = APIGatewayProxyStructuredResultV2 & { statusCode: number; body: string };

export interface Order {
  readonly id: string;
  readonly item: string;
  readonly quantity: number;
}

/** Demo data: the same for every caller, so a test can assert it. */
export const ORDERS: readonly Order[] = [
  { id: 'o-1001', item: 'keyboard', quantity: 1 },
  { id: 'o-1002', item: 'monitor', quantity: 2 },
];

function json(statusCode: number, body: unknown): OrdersResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify(body),
  };
}

/** The caller as the authorizer delivered it: subject and issuer (claims arrive as strings). */
function callerOf(event: OrdersEvent): { sub?: string; iss?: string } {
  const claims = event.requestContext?.authorizer?.jwt?.claims ?? {};
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return { sub: text(claims.sub), iss: text(claims.iss) };
}

export const handler = async (event: OrdersEvent): Promise<OrdersResult> => {
  const caller = callerOf(event);
  let result: OrdersResult;
  // callerOf has read the event already: a nullish one has thrown there.
  switch (event.routeKey) {
    case 'GET /orders':
    case 'GET /partner/orders':
      result = json(200, { orders: ORDERS, caller });
      break;
    case 'GET /orders/{id}': {
      // An exact match on the demo data: any other id, whatever its shape, is not found.
      const id = event.pathParameters?.id;
      const order = ORDERS.find((candidate) => candidate.id === id);
      result = order ? json(200, { order, caller }) : json(404, { message: 'Not Found' });
      break;
    }
    default:
      result = json(404, { message: 'Not Found' });
  }
  console.debug('Request handled', {
    routeKey: event.routeKey,
    requestId: event.requestContext?.requestId,
    status: result.statusCode,
    subject: caller.sub,
  });
  return result;
};
