/**
 * The routing settings of an environment that differ per environment: named issuers (one of
 * them the default), HTTP backends and private backends behind a VPC link, and per-route
 * throttling. Routes themselves live in code (lib/api-routes.ts) and name these by key.
 * Every problem names the field and the bad value (the caller adds the environment).
 */
import {
  backendUrlProblem,
  DEFAULT_IDENTITY_HEADERS,
  DEFAULT_INTEGRATION_TIMEOUT_MS,
  DEFAULT_ISSUER_NAME,
  identityHeaderProblem,
  integrationTimeoutProblem,
  MAX_AUTHORIZERS_PER_API,
  nameProblem,
} from '../../rules/route-targets';
import { audiencesProblem, issuerUrlProblem, positiveIntegerProblem } from '../../rules/validation';
import { type Fail, isRecord, objectWithKnownFields } from './fields';
import { asgardeoIssuerUrl, wso2IssuerUrl } from './issuer';

export interface IssuerConfig {
  /** The exact `iss` of its tokens. */
  readonly issuerUrl: string;
  readonly audiences: readonly string[];
}

export { DEFAULT_IDENTITY_HEADERS, DEFAULT_INTEGRATION_TIMEOUT_MS, DEFAULT_ISSUER_NAME };

export interface HttpTargetConfig {
  /** Absolute http(s) URL of the backend; the caller's path is forwarded onto it. */
  readonly url: string;
  /** Integration timeout, 50..30000 ms. */
  readonly timeoutMs: number;
  /** Request header -> `$context.authorizer.claims.<claim>`, always overwriting the caller's value. */
  readonly identityHeaders: Readonly<Record<string, string>>;
}

export interface PrivateTargetConfig {
  /** An existing VPC link (`AWS::ApiGatewayV2::VpcLink` id). */
  readonly vpcLinkId: string;
  /** An ALB/NLB listener ARN or a Cloud Map service ARN. */
  readonly kind: 'alb' | 'nlb' | 'cloudMap';
  readonly arn: string;
  readonly timeoutMs: number;
  readonly identityHeaders: Readonly<Record<string, string>>;
}

export interface RoutingConfig {
  /** Every issuer of the environment by name, the default included. */
  readonly issuers: Readonly<Record<string, IssuerConfig>>;
  readonly defaultIssuer: string;
  readonly httpTargets: Readonly<Record<string, HttpTargetConfig>>;
  readonly privateTargets: Readonly<Record<string, PrivateTargetConfig>>;
  /** Route key (`GET /reports`) -> its own throttling, within the stage's. */
  readonly routeThrottling: Readonly<Record<string, { readonly rateLimit: number; readonly burstLimit: number }>>;
}

export const ROUTING_FIELDS = ['issuers', 'defaultIssuer', 'httpTargets', 'privateTargets', 'routeThrottling'];

/**
 * Named issuers: the top-level one (if any) is `default`; `issuers` adds more. An override
 * `-c issuerUrl.<name>=<url>` replaces a named issuer's URL, as `-c issuerUrl=` does the default's.
 */
export function resolveIssuers(
  env: Record<string, unknown>,
  topLevel: IssuerConfig | undefined,
  overrideFor: (name: string) => unknown,
  fail: Fail,
): { issuers: Record<string, IssuerConfig>; defaultIssuer: string } {
  const issuers: Record<string, IssuerConfig> = {};
  if (topLevel) issuers[DEFAULT_ISSUER_NAME] = topLevel;
  if (env.issuers !== undefined) {
    if (!isRecord(env.issuers))
      fail('issuers', `must be an object of named issuers, got ${JSON.stringify(env.issuers)}`);
    for (const [name, value] of Object.entries(env.issuers as Record<string, unknown>)) {
      const field = `issuers.${name}`;
      const problem = nameProblem(name);
      if (problem) fail(field, problem);
      if (Object.hasOwn(issuers, name)) {
        fail(field, `duplicates the issuer named "${name}" (the top-level issuerUrl/wso2/asgardeo is "default")`);
      }
      issuers[name] = resolveNamedIssuer(value, field, overrideFor(name), fail);
    }
  }
  const names = Object.keys(issuers);
  if (names.length === 0) {
    fail('issuerUrl', 'is missing: give exactly one of issuerUrl, wso2 {host, port?, tenant?} or asgardeo {org}');
  }
  if (names.length > MAX_AUTHORIZERS_PER_API) {
    fail('issuers', `may declare at most ${MAX_AUTHORIZERS_PER_API} issuers (API Gateway quota), got ${names.length}`);
  }
  const requested = env.defaultIssuer;
  let defaultIssuer: string;
  if (requested === undefined) {
    if (!topLevel && names.length > 1) {
      fail('defaultIssuer', `is missing: name the issuer of routes that name none (one of ${names.join(', ')})`);
    }
    defaultIssuer = topLevel ? DEFAULT_ISSUER_NAME : names[0];
  } else {
    if (typeof requested !== 'string' || !names.includes(requested)) {
      fail('defaultIssuer', `must name one of the issuers (${names.join(', ')}), got ${JSON.stringify(requested)}`);
    }
    defaultIssuer = requested as string;
  }
  return { issuers, defaultIssuer };
}

function resolveNamedIssuer(value: unknown, field: string, override: unknown, fail: Fail): IssuerConfig {
  const raw = objectWithKnownFields(
    value,
    field,
    ['issuerUrl', 'wso2', 'asgardeo', 'audiences'],
    fail,
    '{issuerUrl | wso2 | asgardeo, audiences}',
  );
  let url: string;
  let urlField: string;
  if (override !== undefined) {
    urlField = `${field}.issuerUrl (from -c issuerUrl.${field.slice('issuers.'.length)})`;
    if (typeof override !== 'string') fail(urlField, `must be a URL string, got ${JSON.stringify(override)}`);
    url = override as string;
  } else {
    const given = (['issuerUrl', 'wso2', 'asgardeo'] as const).filter((key) => raw[key] !== undefined);
    if (given.length !== 1) {
      fail(field, `must give exactly one of issuerUrl, wso2 or asgardeo, got ${given.join(' and ') || 'none'}`);
    }
    const key = given[0];
    urlField = `${field}.${key}`;
    const source = raw[key];
    if (key === 'issuerUrl') {
      if (typeof source !== 'string') fail(urlField, `must be a URL string, got ${JSON.stringify(source)}`);
      url = source as string;
    } else {
      if (!isRecord(source)) fail(urlField, `must be an object, got ${JSON.stringify(source)}`);
      const built =
        key === 'wso2'
          ? wso2IssuerUrl(source as Record<string, unknown>)
          : asgardeoIssuerUrl(source as Record<string, unknown>);
      if ('problem' in built) fail(`${urlField}.${built.field}`, built.problem);
      url = (built as { url: string }).url;
    }
  }
  const urlProblem = issuerUrlProblem(url);
  if (urlProblem) fail(urlField, urlProblem);
  const audiences = raw.audiences;
  if (!Array.isArray(audiences)) {
    fail(`${field}.audiences`, `must be a list of client ids, got ${JSON.stringify(audiences)}`);
  }
  const audienceProblem = audiencesProblem(audiences as string[]);
  if (audienceProblem) fail(`${field}.audiences`, audienceProblem);
  return { issuerUrl: url, audiences: audiences as string[] };
}

export function resolveHttpTargets(value: unknown, fail: Fail): Record<string, HttpTargetConfig> {
  const targets: Record<string, HttpTargetConfig> = {};
  if (value === undefined) return targets;
  if (!isRecord(value)) fail('httpTargets', `must be an object of named HTTP backends, got ${JSON.stringify(value)}`);
  for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
    const field = `httpTargets.${name}`;
    const problem = nameProblem(name);
    if (problem) fail(field, problem);
    const { url, timeoutMs, identityHeaders } = objectWithKnownFields(
      raw,
      field,
      ['url', 'timeoutMs', 'identityHeaders'],
      fail,
      '{url, timeoutMs?, identityHeaders?}',
    );
    const urlProblem = backendUrlProblem(url);
    if (urlProblem) fail(`${field}.url`, urlProblem);
    targets[name] = {
      url: url as string,
      timeoutMs: resolveTimeout(timeoutMs, `${field}.timeoutMs`, fail),
      identityHeaders: resolveIdentityHeaders(identityHeaders, `${field}.identityHeaders`, fail),
    };
  }
  return targets;
}

const PRIVATE_KINDS = { albListenerArn: 'alb', nlbListenerArn: 'nlb', cloudMapServiceArn: 'cloudMap' } as const;
const ARN_PATTERNS: Record<keyof typeof PRIVATE_KINDS, RegExp> = {
  albListenerArn: /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:listener\/app\/[^\s]+$/,
  nlbListenerArn: /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:listener\/net\/[^\s]+$/,
  cloudMapServiceArn: /^arn:aws[a-z-]*:servicediscovery:[a-z0-9-]+:\d{12}:service\/srv-[a-z0-9]+$/,
};

export function resolvePrivateTargets(value: unknown, fail: Fail): Record<string, PrivateTargetConfig> {
  const targets: Record<string, PrivateTargetConfig> = {};
  if (value === undefined) return targets;
  if (!isRecord(value))
    fail('privateTargets', `must be an object of named private backends, got ${JSON.stringify(value)}`);
  for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
    const field = `privateTargets.${name}`;
    const problem = nameProblem(name);
    if (problem) fail(field, problem);
    const keys = Object.keys(PRIVATE_KINDS) as (keyof typeof PRIVATE_KINDS)[];
    const record = objectWithKnownFields(
      raw,
      field,
      ['vpcLinkId', ...keys, 'timeoutMs', 'identityHeaders'],
      fail,
      '{vpcLinkId, albListenerArn | nlbListenerArn | cloudMapServiceArn, timeoutMs?, identityHeaders?}',
    );
    if (typeof record.vpcLinkId !== 'string' || !/^[a-z0-9]{1,20}$/.test(record.vpcLinkId)) {
      fail(`${field}.vpcLinkId`, `must be a VPC link id such as "abc123", got ${JSON.stringify(record.vpcLinkId)}`);
    }
    const given = keys.filter((key) => record[key] !== undefined);
    if (given.length !== 1) {
      fail(field, `must give exactly one of ${keys.join(', ')}, got ${given.join(' and ') || 'none'}`);
    }
    const key = given[0];
    const arn = record[key];
    if (typeof arn !== 'string' || !ARN_PATTERNS[key].test(arn)) {
      fail(`${field}.${key}`, `must be an ARN of that kind, got ${JSON.stringify(arn)}`);
    }
    targets[name] = {
      vpcLinkId: record.vpcLinkId as string,
      kind: PRIVATE_KINDS[key],
      arn: arn as string,
      timeoutMs: resolveTimeout(record.timeoutMs, `${field}.timeoutMs`, fail),
      identityHeaders: resolveIdentityHeaders(record.identityHeaders, `${field}.identityHeaders`, fail),
    };
  }
  return targets;
}

export function resolveRouteThrottling(
  value: unknown,
  fail: Fail,
): Record<string, { rateLimit: number; burstLimit: number }> {
  const settings: Record<string, { rateLimit: number; burstLimit: number }> = {};
  if (value === undefined) return settings;
  if (!isRecord(value)) {
    fail('routeThrottling', `must be an object keyed by route ("GET /reports"), got ${JSON.stringify(value)}`);
  }
  for (const [routeKey, raw] of Object.entries(value as Record<string, unknown>)) {
    const field = `routeThrottling["${routeKey}"]`;
    const { rateLimit, burstLimit } = objectWithKnownFields(
      raw,
      field,
      ['rateLimit', 'burstLimit'],
      fail,
      '{rateLimit, burstLimit}',
    );
    for (const [key, limit] of [
      ['rateLimit', rateLimit],
      ['burstLimit', burstLimit],
    ] as const) {
      const problem = positiveIntegerProblem(limit);
      if (problem) fail(`${field}.${key}`, problem);
    }
    settings[routeKey] = { rateLimit: rateLimit as number, burstLimit: burstLimit as number };
  }
  return settings;
}

function resolveTimeout(value: unknown, field: string, fail: Fail): number {
  if (value === undefined) return DEFAULT_INTEGRATION_TIMEOUT_MS;
  const problem = integrationTimeoutProblem(value);
  if (problem) fail(field, problem);
  return value as number;
}

function resolveIdentityHeaders(value: unknown, field: string, fail: Fail): Record<string, string> {
  if (value === undefined) return { ...DEFAULT_IDENTITY_HEADERS };
  if (!isRecord(value) || Object.keys(value).length === 0) {
    fail(field, `must be an object of header name -> claim name, got ${JSON.stringify(value)}`);
  }
  const headers: Record<string, string> = {};
  for (const [header, claim] of Object.entries(value as Record<string, unknown>)) {
    const problem = identityHeaderProblem(header);
    if (problem) fail(`${field}["${header}"]`, problem);
    if (typeof claim !== 'string' || !/^[A-Za-z0-9_.]+$/.test(claim)) {
      fail(
        `${field}["${header}"]`,
        'must name a claim (letters, digits, "_" and "." only, as $context.authorizer.claims allows), ' +
          `got ${JSON.stringify(claim)}`,
      );
    }
    if (Object.hasOwn(headers, header.toLowerCase())) {
      fail(`${field}["${header}"]`, 'duplicates a header (header names are case-insensitive)');
    }
    headers[header.toLowerCase()] = claim as string;
  }
  return headers;
}
