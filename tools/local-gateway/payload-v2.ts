import type {
  APIGatewayEventRequestContextV2,
  APIGatewayProxyEventV2WithRequestContext,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface RequestFacts {
  readonly method: string;
  /** The path as received, with the stage prefix, not decoded. */
  readonly rawPath: string;
  readonly rawQueryString: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly requestId: string;
  readonly startedAt: Date;
}

export interface RouteFacts {
  readonly routeKey: string;
  readonly stageName: string;
  readonly apiId: string;
  readonly pathParameters: Record<string, string> | undefined;
  /** Set on JWT routes: claims as API Gateway delivers them (strings) and the matched scopes. */
  readonly jwt?: { readonly claims: Record<string, string>; readonly scopes: string[] | null };
}

/**
 * The event as API Gateway sends it, which @types/aws-lambda's JWT event type does not quite
 * say: a public route's event has no `authorizer`, and `scopes` is null when the route
 * requires none.
 */
export type EventV2 = APIGatewayProxyEventV2WithRequestContext<
  APIGatewayEventRequestContextV2 & {
    authorizer?: { jwt: { claims: Record<string, string>; scopes: string[] | null } };
  }
>;

/** API Gateway's request ids look like `Mc7UVioPPHcEKPA=`. */
export function newRequestId(): string {
  return randomBytes(10).toString('base64');
}

// Bodies of these types reach the Lambda as text; everything else base64, as API Gateway does.
const TEXT_TYPE = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded|[a-z0-9.+-]+\+(json|xml)))/i;

/**
 * The payload-2.0 event API Gateway builds: lower-cased headers (repeats joined by commas),
 * cookies moved out of the headers, query parameters (repeats joined by commas), the
 * authorizer's claims and scopes, the body as text or base64.
 */
export function buildEventV2(request: RequestFacts, route: RouteFacts): EventV2 {
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    if (name === 'cookie') {
      cookies = (Array.isArray(value) ? value.join('; ') : value).split(/;\s*/).filter((cookie) => cookie !== '');
      continue;
    }
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query = new URLSearchParams(request.rawQueryString);
  const queryStringParameters: Record<string, string> = {};
  for (const name of new Set(query.keys())) queryStringParameters[name] = query.getAll(name).join(',');

  const contentType = headers['content-type'] ?? '';
  const text = TEXT_TYPE.test(contentType) && isUtf8(request.body);
  const hasBody = request.body.length > 0;
  const time = request.startedAt;
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    ...(cookies && { cookies }),
    headers,
    ...(Object.keys(queryStringParameters).length > 0 && { queryStringParameters }),
    requestContext: {
      accountId: '123456789012',
      apiId: route.apiId,
      ...(route.jwt && { authorizer: { jwt: { claims: route.jwt.claims, scopes: route.jwt.scopes } } }),
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0],
      http: {
        method: request.method,
        path: request.rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: request.requestId,
      routeKey: route.routeKey,
      stage: route.stageName,
      time: clfTime(time),
      timeEpoch: time.getTime(),
    },
    ...(route.pathParameters && { pathParameters: route.pathParameters }),
    ...(hasBody && { body: text ? request.body.toString('utf8') : request.body.toString('base64') }),
    isBase64Encoded: hasBody && !text,
  };
}

export interface HttpResult {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
}

/**
 * Maps a payload-2.0 result back to HTTP: an object with `statusCode` is taken as given
 * (`cookies` become `set-cookie`, `isBase64Encoded` bodies decoded); anything else means 200
 * with the value as a JSON body (a string is the body itself).
 */
export function resultToHttp(result: unknown): HttpResult {
  if (
    typeof result === 'object' &&
    result !== null &&
    typeof (result as { statusCode?: unknown }).statusCode === 'number'
  ) {
    const structured = result as APIGatewayProxyStructuredResultV2 & { statusCode: number };
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(structured.headers ?? {})) headers[name.toLowerCase()] = String(value);
    if (Array.isArray(structured.cookies) && structured.cookies.length > 0)
      headers['set-cookie'] = structured.cookies.map(String);
    const bodyText = structured.body === undefined || structured.body === null ? '' : String(structured.body);
    const body = structured.isBase64Encoded ? Buffer.from(bodyText, 'base64') : Buffer.from(bodyText, 'utf8');
    return { status: structured.statusCode, headers, body };
  }
  const text = typeof result === 'string' ? result : JSON.stringify(result ?? null);
  return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(text, 'utf8') };
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** `29/Nov/2025:07:08:20 +0000`, the format of requestContext.time. */
function clfTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}`;
  return `${day}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}
