/**
 * Rules for route targets, issuers and per-route throttling, shared by the configuration
 * loader and the construct. Each returns a problem (the caller prefixes the field) or undefined.
 */

/** Claims forwarded to HTTP and private backends unless a target names its own: header -> claim. */
export const DEFAULT_IDENTITY_HEADERS: Readonly<Record<string, string>> = {
  'x-wso2-sub': 'sub',
  // azp, not client_id: every WSO2 IS and Asgardeo access token carries azp (the client id); IS 5.11 and
  // Asgardeo tokens have no client_id claim (reference notes, token samples).
  'x-wso2-client-id': 'azp',
  'x-wso2-scope': 'scope',
  'x-wso2-issuer': 'iss',
};

/** The issuer given in the single-issuer shape (`issuerUrl` + `audiences`). */
export const DEFAULT_ISSUER_NAME = 'default';
/** An HTTP or private target's integration timeout unless it names one. */
export const DEFAULT_INTEGRATION_TIMEOUT_MS = 10_000;

/** API Gateway quota: JWT (and other) authorizers per API. */
export const MAX_AUTHORIZERS_PER_API = 10;
/** HTTP API integration timeout bounds, in milliseconds. */
export const MIN_INTEGRATION_TIMEOUT_MS = 50;
export const MAX_INTEGRATION_TIMEOUT_MS = 30_000;

/**
 * Headers API Gateway refuses in an HTTP API's parameter mapping ("Transform API requests and
 * responses for HTTP APIs", section "Reserved headers"). A trailing `*` is a prefix.
 */
export const RESERVED_MAPPING_HEADERS: readonly string[] = [
  'access-control-*',
  'apigw-*',
  'authorization',
  'connection',
  'content-encoding',
  'content-length',
  'content-location',
  'forwarded',
  'keep-alive',
  'origin',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailers',
  'transfer-encoding',
  'upgrade',
  'x-amz-*',
  'x-amzn-*',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'via',
];

/** Target and issuer names: they become logical ids, so only what maps one-to-one to PascalCase. */
export function nameProblem(name: string): string | undefined {
  if (!/^[a-z][a-z0-9]*(-[a-z][a-z0-9]*)*$/.test(name) || name.length > 32) {
    return (
      'must be a name of lower-case letters and digits in "-"-separated words starting with a letter, ' +
      `at most 32 characters (e.g. "orders", "legacy-crm"), got ${JSON.stringify(name)}`
    );
  }
  return undefined;
}

/**
 * The construct id, and the `Name` in the template, of an issuer's authorizer: `default` keeps
 * the single-issuer shape's `Wso2JwtAuthorizer`, others add their PascalCase name.
 */
export function authorizerNameFor(issuerName: string): string {
  return issuerName === DEFAULT_ISSUER_NAME ? 'Wso2JwtAuthorizer' : `Wso2JwtAuthorizer${pascalCase(issuerName)}`;
}

/** `legacy-crm` -> `LegacyCrm`: the part of a logical id that names a target or an issuer. */
export function pascalCase(name: string): string {
  return name
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

export function backendUrlProblem(value: unknown): string | undefined {
  const example = 'such as "https://backend.example.com"';
  if (typeof value !== 'string') return `must be an absolute http(s) URL ${example}, got ${JSON.stringify(value)}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `must be an absolute http(s) URL ${example}, got ${JSON.stringify(value)}`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return `must be an absolute http(s) URL ${example}, got ${JSON.stringify(value)}`;
  }
  if (url.pathname !== '/') {
    // The caller's path is forwarded with overwrite:path, which replaces any path of the URL.
    return `must be the backend's origin without a path (the caller's path is forwarded), got ${JSON.stringify(value)}`;
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    return `must not carry a query, fragment or credentials, got ${JSON.stringify(value)}`;
  }
  return undefined;
}

export function identityHeaderProblem(header: string): string | undefined {
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(header)) {
    return `must be an HTTP header name (RFC 9110 token), got ${JSON.stringify(header)}`;
  }
  const lower = header.toLowerCase();
  const reserved = RESERVED_MAPPING_HEADERS.find((entry) =>
    entry.endsWith('*') ? lower.startsWith(entry.slice(0, -1)) : lower === entry,
  );
  if (reserved !== undefined) {
    return `is a header API Gateway refuses to map (reserved: ${reserved}), got ${JSON.stringify(header)}`;
  }
  return undefined;
}

export function integrationTimeoutProblem(value: unknown): string | undefined {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < MIN_INTEGRATION_TIMEOUT_MS ||
    value > MAX_INTEGRATION_TIMEOUT_MS
  ) {
    return (
      `must be an integer from ${MIN_INTEGRATION_TIMEOUT_MS} to ${MAX_INTEGRATION_TIMEOUT_MS} milliseconds ` +
      `(API Gateway's limits for HTTP APIs), got ${JSON.stringify(value)}`
    );
  }
  return undefined;
}

/** A route's own limit against the stage's: a route cannot be given more than its stage. */
export function routeLimitProblem(
  field: 'rateLimit' | 'burstLimit',
  value: unknown,
  stageLimit: number | undefined,
): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    return `must be a positive integer, got ${JSON.stringify(value)}`;
  }
  if (stageLimit !== undefined && value > stageLimit) {
    return `must be at most the stage's throttling.${field} (${stageLimit}), got ${value}`;
  }
  return undefined;
}
