import type { CorsModel } from './cloud-assembly';

/** Is this an OPTIONS preflight that API Gateway answers itself (the API has a CORS configuration)? */
export function isPreflight(method: string, headers: Record<string, string | string[] | undefined>): boolean {
  return (
    method === 'OPTIONS' &&
    typeof headers.origin === 'string' &&
    typeof headers['access-control-request-method'] === 'string'
  );
}

function originAllowed(cors: CorsModel, origin: string | undefined): string | undefined {
  if (!origin) return undefined;
  if (cors.allowOrigins.includes('*')) return cors.allowCredentials ? origin : '*';
  return cors.allowOrigins.includes(origin) ? origin : undefined;
}

/**
 * API Gateway answers a preflight with 204 whatever the routes are; the CORS headers are only
 * there when the origin (and the requested method) are allowed, so a browser refuses the rest.
 */
export function preflightHeaders(
  cors: CorsModel,
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const origin = originAllowed(cors, headers.origin as string | undefined);
  const method = String(headers['access-control-request-method'] ?? '').toUpperCase();
  const methodAllowed = cors.allowMethods.includes('*') || cors.allowMethods.includes(method);
  if (!origin || !methodAllowed) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': cors.allowMethods.join(','),
    ...(cors.allowHeaders.length > 0 && { 'access-control-allow-headers': cors.allowHeaders.join(',') }),
    ...(cors.maxAge !== undefined && { 'access-control-max-age': String(cors.maxAge) }),
    ...(cors.allowCredentials && { 'access-control-allow-credentials': 'true' }),
  };
}

/** Headers added to every actual (non-preflight) response for an allowed origin. */
export function responseCorsHeaders(cors: CorsModel, origin: string | undefined): Record<string, string> {
  const allowed = originAllowed(cors, origin);
  if (!allowed) return {};
  return {
    'access-control-allow-origin': allowed,
    ...(cors.exposeHeaders.length > 0 && { 'access-control-expose-headers': cors.exposeHeaders.join(',') }),
    ...(cors.allowCredentials && { 'access-control-allow-credentials': 'true' }),
  };
}
