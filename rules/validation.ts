/**
 * Rules shared by the configuration loader and the construct. Each returns a problem
 * description (to be prefixed with the field's name by the caller) or undefined.
 * They are pure so the loader can name the environment and the construct can name the prop.
 */
import { MAX_AUDIENCES_PER_AUTHORIZER, MAX_SCOPES_PER_ROUTE } from './jwt/limits';
import { isLocalOrPrivateHost } from './special-addresses';

export { isLocalOrPrivateHost };

/** Problems about one item of a list start with its index: `audiences[1] must ...`. */
export function joinFieldAndProblem(field: string, problem: string): string {
  return problem.startsWith('[') ? `${field}${problem}` : `${field} ${problem}`;
}

/** CloudWatch Logs' allowed retention periods, in days. */
export const ALLOWED_LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export function issuerUrlProblem(value: string): string | undefined {
  if (value.trim() === '') return 'must not be empty';
  if (/\s/.test(value)) return `must not contain white space, got ${JSON.stringify(value)}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `is not a valid URL, got ${JSON.stringify(value)}`;
  }
  if (url.protocol !== 'https:') {
    return `must use https (API Gateway only fetches keys over HTTPS), got ${JSON.stringify(value)}`;
  }
  // OpenID issuers have neither; API Gateway would build a discovery URL that cannot work.
  if (value.includes('?'))
    return `must not have a query string (OpenID issuers have none), got ${JSON.stringify(value)}`;
  if (value.includes('#')) return `must not have a fragment (OpenID issuers have none), got ${JSON.stringify(value)}`;
  if (url.username !== '' || url.password !== '') return `must not carry credentials, got ${JSON.stringify(value)}`;
  return undefined;
}

/** Warnings for an issuer that is valid but will not work as intended. */
export function issuerUrlWarnings(value: string): string[] {
  const warnings: string[] = [];
  const url = new URL(value);
  if (isLocalOrPrivateHost(url.hostname)) {
    warnings.push(
      `issuer host "${url.hostname}" is loopback or private: API Gateway fetches the issuer's keys over the public ` +
        `internet and will answer 401 to every request`,
    );
  }
  if (value.endsWith('/')) {
    warnings.push(
      `issuer ${JSON.stringify(value)} ends with "/": WSO2 issuers do not, and API Gateway compares the token's iss ` +
        `exactly`,
    );
  }
  return warnings;
}

/**
 * Whether a check from inside AWS can reach this issuer at all: not for a loopback/private
 * host (the dev environment's local WSO2 IS), which would only fail every deploy.
 */
export function issuerReachableFromAws(issuerUrl: string): boolean {
  return !isLocalOrPrivateHost(new URL(issuerUrl).hostname);
}

export function audiencesProblem(audiences: readonly string[]): string | undefined {
  if (audiences.length === 0) return 'must list at least one audience (the WSO2 client id of the calling application)';
  if (audiences.length > MAX_AUDIENCES_PER_AUTHORIZER) {
    return `may list at most ${MAX_AUDIENCES_PER_AUTHORIZER} audiences (API Gateway quota), got ${audiences.length}`;
  }
  const seen = new Set<string>();
  for (const [index, audience] of audiences.entries()) {
    if (typeof audience !== 'string' || audience.trim() === '') {
      return `[${index}] must be a non-blank client id, got ${JSON.stringify(audience)}`;
    }
    if (seen.has(audience)) return `[${index}] duplicates audience ${JSON.stringify(audience)}`;
    seen.add(audience);
  }
  return undefined;
}

export function scopesProblem(scopes: readonly string[]): string | undefined {
  if (scopes.length > MAX_SCOPES_PER_ROUTE) {
    return `may list at most ${MAX_SCOPES_PER_ROUTE} scopes (API Gateway quota per route), got ${scopes.length}`;
  }
  const seen = new Set<string>();
  for (const [index, scope] of scopes.entries()) {
    if (typeof scope !== 'string' || scope === '' || /\s/.test(scope)) {
      return `[${index}] must be a non-empty scope without white space, got ${JSON.stringify(scope)}`;
    }
    if (seen.has(scope)) return `[${index}] duplicates scope ${JSON.stringify(scope)}`;
    seen.add(scope);
  }
  return undefined;
}

export function stageNameProblem(stageName: string): string | undefined {
  if (stageName === '$default') return undefined;
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(stageName)) {
    return `must be "$default" or 1-128 letters, digits, "-" or "_", got ${JSON.stringify(stageName)}`;
  }
  return undefined;
}

export function positiveIntegerProblem(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    return `must be a positive integer, got ${JSON.stringify(value)}`;
  }
  return undefined;
}

export function corsOriginProblem(origin: unknown): string | undefined {
  if (origin === '*') return undefined;
  if (typeof origin !== 'string')
    return `must be "*" or an origin such as "https://app.example.com", got ${JSON.stringify(origin)}`;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return `must be "*" or an origin such as "https://app.example.com", got ${JSON.stringify(origin)}`;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== origin) {
    return `must be an origin (scheme://host[:port], no path or trailing "/"), got ${JSON.stringify(origin)}`;
  }
  return undefined;
}

/**
 * Lambda's application log levels (the function's `LoggingConfig.ApplicationLogLevel`), from
 * the most to the least verbose: the local gateway silences what is below the function's.
 */
export const LAMBDA_LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export type LambdaLogLevel = (typeof LAMBDA_LOG_LEVELS)[number];

export function isLambdaLogLevel(value: unknown): value is LambdaLogLevel {
  return typeof value === 'string' && (LAMBDA_LOG_LEVELS as readonly string[]).includes(value);
}

const ARN_PARTITION = 'aws(-cn|-us-gov|-iso[a-z]?)?';
/** An AWS region name, e.g. `eu-west-1`, `us-gov-west-1`: the config's `region` and ARNs' region part. */
const REGION = '[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d{1,2}';

export function regionProblem(value: string): string | undefined {
  if (new RegExp(`^${REGION}$`).test(value)) return undefined;
  return `must be an AWS region such as "eu-west-1", got ${JSON.stringify(value)}`;
}

/** Returns the region of a well-formed ARN, or undefined. */
export function arnRegion(arn: string): string | undefined {
  return arn.split(':')[3];
}

export function snsTopicArnProblem(value: unknown): string | undefined {
  if (
    typeof value !== 'string' ||
    !new RegExp(`^arn:${ARN_PARTITION}:sns:${REGION}:\\d{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?$`).test(value)
  ) {
    return `must be an SNS topic ARN such as "arn:aws:sns:eu-west-1:123456789012:alerts", got ${JSON.stringify(value)}`;
  }
  return undefined;
}

export function certificateArnProblem(value: unknown): string | undefined {
  if (
    typeof value !== 'string' ||
    !new RegExp(`^arn:${ARN_PARTITION}:acm:${REGION}:\\d{12}:certificate/[0-9a-f-]{36}$`).test(value)
  ) {
    return (
      `must be an ACM certificate ARN such as "arn:aws:acm:eu-west-1:123456789012:certificate/<uuid>", got ` +
      `${JSON.stringify(value)}`
    );
  }
  return undefined;
}

/** A custom domain for the API: a lower-case, fully qualified host name, no wildcard. */
export function domainNameProblem(value: unknown): string | undefined {
  const label = '[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?';
  if (typeof value !== 'string' || value.length > 253 || !new RegExp(`^(${label}\\.)+${label}$`).test(value)) {
    return (
      `must be a lower-case, fully qualified host name such as "api.example.com" (no scheme, port, path or ` +
      `wildcard), got ${JSON.stringify(value)}`
    );
  }
  return undefined;
}

export function hostedZoneIdProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^Z[A-Z0-9]{1,31}$/.test(value)) {
    return `must be a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ", got ${JSON.stringify(value)}`;
  }
  return undefined;
}
