import { HttpError, NotFoundError } from './errors';
import { type ApiResult, json } from './responses';
import { type ApiEvent, routeHandlerFor } from './routes';

/**
 * Entry point of the API function (payload format 2.0, JWT authorizer context).
 * Logs go through console.* as JSON (the function's LoggingConfig), filtered by the
 * environment's application log level. They name the request and the caller's subject,
 * never the event, its headers or its token.
 */
export const handler = async (event: ApiEvent): Promise<ApiResult> => {
  const context = {
    routeKey: event?.routeKey,
    requestId: event?.requestContext?.requestId,
  };
  let result: ApiResult;
  try {
    const route = routeHandlerFor(event?.routeKey);
    if (!route) throw new NotFoundError();
    result = route(event);
  } catch (error) {
    if (error instanceof HttpError) {
      result = json(error.statusCode, { message: error.publicMessage });
    } else {
      console.error('Unhandled error', {
        ...context,
        error:
          error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
      });
      return json(500, { message: 'Internal Server Error' });
    }
  }
  const claims = event?.requestContext?.authorizer?.jwt?.claims;
  console.debug('Request handled', {
    ...context,
    status: result.statusCode,
    subject: typeof claims?.sub === 'string' ? claims.sub : undefined,
    scopes: event?.requestContext?.authorizer?.jwt?.scopes ?? undefined,
  });
  return result;
};
