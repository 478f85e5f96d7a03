import { HttpError, NotFoundError } from './errors';
import { type ApiResult, json } from './responses';
import { type ApiEvent, ROUTE_HANDLERS } from './routes';

/** Entry point of the API function (payload format 2.0, JWT authorizer context). */
export const handler = async (event: ApiEvent): Promise<ApiResult> => {
  try {
    const route = ROUTE_HANDLERS[event.routeKey];
    if (!route) throw new NotFoundError();
    return route(event);
  } catch (error) {
    if (error instanceof HttpError) return json(error.statusCode, { message: error.publicMessage });
    // Only what helps an operator: never the event, its headers or its token.
    console.error('Unhandled error', {
      routeKey: event?.routeKey,
      requestId: event?.requestContext?.requestId,
      error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
    });
    return json(500, { message: 'Internal Server Error' });
  }
};
