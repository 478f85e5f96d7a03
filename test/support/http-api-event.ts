import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';

type Event = APIGatewayProxyEventV2WithJWTAuthorizer;

export interface HttpApiEventOptions {
  /** What the JWT authorizer delivers; absent for a public route. */
  readonly jwt?: { claims: Record<string, unknown>; scopes: string[] | null | undefined };
  readonly headers?: Event['headers'];
  readonly pathParameters?: Event['pathParameters'];
  readonly rawQueryString?: string;
  readonly queryStringParameters?: Event['queryStringParameters'];
  readonly cookies?: string[];
  readonly sourceIp?: string;
  readonly requestId?: string;
}

/**
 * A payload-2.0 event as API Gateway sends it to a Lambda proxy integration for `routeKey`
 * (`"GET /me"`), the route's path as the raw path; the options set what a test is about.
 */
export function httpApiEvent(routeKey: string, options: HttpApiEventOptions = {}): Event {
  const [method, path] = routeKey.split(' ');
  const { jwt } = options;
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: options.rawQueryString ?? '',
    ...(options.cookies && { cookies: options.cookies }),
    headers: options.headers ?? {},
    ...(options.queryStringParameters && { queryStringParameters: options.queryStringParameters }),
    isBase64Encoded: false,
    ...(options.pathParameters && { pathParameters: options.pathParameters }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: options.sourceIp ?? '127.0.0.1', userAgent: 'jest' },
      requestId: options.requestId ?? 'req-1',
      routeKey,
      stage: '$default',
      time: '29/Nov/2026:06:00:00 +0000',
      timeEpoch: 1795932000000,
      ...(jwt && { authorizer: { principalId: '', integrationLatency: 0, jwt } }),
    },
  } as Event;
}
