import type { FunctionModel } from './cloud-assembly';
import type { Answer, IntegrationRequest } from './answer';
import { jsonMessage } from './answer';
import { LocalFunction } from './lambda-runtime';
import { buildEventV2, resultToHttp } from './payload-v2';

/**
 * A Lambda proxy integration (payload 2.0): the event API Gateway builds, the function invoked,
 * its result mapped back to HTTP; a function error or an unmappable result is API Gateway's 500.
 */
export function lambdaProxyIntegration(fn: LocalFunction): (request: IntegrationRequest) => Promise<Answer> {
  return async (request) => {
    const event = buildEventV2(request.facts, {
      routeKey: request.route.routeKey,
      stageName: request.stageName,
      apiId: 'local',
      pathParameters: request.pathParameters,
      ...(request.jwt && { jwt: request.jwt }),
    });
    let result: unknown;
    try {
      result = await fn.invoke(event, request.facts.requestId);
    } catch (error) {
      return internalServerError((error as Error).message);
    }
    try {
      const http = resultToHttp(result);
      return { status: http.status, headers: http.headers, body: http.body };
    } catch (error) {
      return internalServerError(`the function's response cannot be mapped: ${(error as Error).message}`);
    }
  };
}

/** One warm runtime per function, shared by every route that targets it. */
export function localFunctionsFor(functions: Iterable<FunctionModel>): Map<string, LocalFunction> {
  const byId = new Map<string, LocalFunction>();
  for (const fn of functions) if (!byId.has(fn.logicalId)) byId.set(fn.logicalId, new LocalFunction(fn));
  return byId;
}

function internalServerError(errorMessage: string): Answer {
  return {
    status: 500,
    headers: { 'content-type': 'application/json' },
    body: jsonMessage('Internal Server Error'),
    errorMessage,
  };
}
