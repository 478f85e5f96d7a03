import { ConfigError } from './errors';
import { type Fail, isRecord, objectWithKnownFields } from './fields';
import { asgardeoIssuerUrl, wso2IssuerUrl } from './issuer';
import { OPERATIONS_FIELDS, type OperationsConfig, resolveOperations } from './operations-config';
import {
  DEFAULT_ISSUER_NAME,
  resolveHttpTargets,
  resolveIssuers,
  resolvePrivateTargets,
  resolveRouteThrottling,
  ROUTING_FIELDS,
  type RoutingConfig,
} from './routing-config';
import {
  ALLOWED_LOG_RETENTION_DAYS,
  audiencesProblem,
  corsOriginProblem,
  issuerUrlProblem,
  issuerReachableFromAws,
  issuerUrlWarnings,
  joinFieldAndProblem,
  positiveIntegerProblem,
  regionProblem,
  scopesProblem,
  stageNameProblem,
} from '../../rules/validation';

/** The project's name: stacks are `<PROJECT_NAME>-<env>` and every resource is tagged with it. */
export const PROJECT_NAME = 'Wso2JwtHttpApi';

/** The environment's stack name, as `cdk deploy` and its outputs know it. */
export function stackNameFor(environment: string): string {
  return `${PROJECT_NAME}-${environment}`;
}

/** The cdk.json context key that holds every environment. */
export const ENVIRONMENTS_CONTEXT_KEY = 'wso2-jwt-http-api:environments';
export const DEFAULT_ENVIRONMENT = 'dev';

/** Context keys that override the selected environment at synth time (`-c key=value`). */
export const OVERRIDE_KEYS = { env: 'env', issuerUrl: 'issuerUrl', audiences: 'audiences' } as const;
/** `-c issuerUrl.<name>=<url>` overrides the named issuer's URL (as `-c issuerUrl=` does the default's). */
export const namedIssuerOverrideKey = (name: string): string => `${OVERRIDE_KEYS.issuerUrl}.${name}`;

/**
 * `-c nagChecks=false` leaves cdk-nag's pack out of the app's synth. npm start passes it: its
 * synth is served locally and never deployed, and the pack is about 40 % of its CPU. `cdk synth`
 * and `cdk deploy` (CI's too) keep the default.
 */
export const NAG_CHECKS_KEY = 'nagChecks';

/**
 * Whether the app runs cdk-nag: `-c nagChecks` as `true` or `false` (a boolean in cdk.json, a
 * string from `-c`), true when absent.
 * @throws ConfigError naming the key and the bad value.
 */
export function nagChecksFrom(context: ContextReader): boolean {
  const value = context(NAG_CHECKS_KEY);
  if (value === undefined || value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new ConfigError(`-c ${NAG_CHECKS_KEY} must be true or false, got ${JSON.stringify(value)}`);
}

export type LogRetention = number | 'infinite';

export interface ThrottlingConfig {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** One environment, validated, with every default applied. */
export interface EnvironmentConfig extends OperationsConfig, RoutingConfig {
  readonly name: string;
  /** Absent: an environment-agnostic stack. */
  readonly account?: string;
  /** Absent: an environment-agnostic stack. Never defaulted. */
  readonly region?: string;
  /** The default issuer's URL (`issuers[defaultIssuer]`). */
  readonly issuerUrl: string;
  /** The default issuer's audiences. */
  readonly audiences: readonly string[];
  readonly stageName: string;
  readonly corsAllowedOrigins: readonly string[];
  /** Absent: the account-level limits apply. */
  readonly throttling?: ThrottlingConfig;
  readonly logRetentionDays: LogRetention;
  readonly defaultScopes: readonly string[];
  /**
   * Run the deploy-time issuer check (a custom resource that fetches discovery and JWKS from
   * inside AWS). True unless switched off, or the issuer is loopback/private (unreachable
   * from AWS, so the check could only fail).
   */
  readonly issuerCheck: boolean;
  /** The issuers the deploy-time check covers: every public one, unless issuerCheck is false. */
  readonly checkedIssuers: readonly string[];
}

export interface LoadedEnvironment {
  readonly config: EnvironmentConfig;
  /** Valid but suspicious settings: synth goes on and shows them. */
  readonly warnings: readonly string[];
}

/** Reads one context value, as `app.node.tryGetContext` does. */
export type ContextReader = (key: string) => unknown;

const DEFAULT_STAGE_NAME = '$default';
const DEFAULT_LOG_RETENTION_DAYS = 30;
const KNOWN_FIELDS = [
  'account',
  'region',
  'issuerUrl',
  'wso2',
  'asgardeo',
  'audiences',
  'stageName',
  'corsAllowedOrigins',
  'throttling',
  'logRetentionDays',
  'defaultScopes',
  'issuerCheck',
  ...ROUTING_FIELDS,
  ...OPERATIONS_FIELDS,
];

/**
 * Selects the environment named by `-c env=` (default `dev`) from the cdk.json context,
 * applies the `-c issuerUrl=` / `-c audiences=` overrides and validates it.
 * @throws ConfigError naming the environment, the field and the bad value.
 */
export function loadEnvironmentConfig(context: ContextReader): LoadedEnvironment {
  const environments = context(ENVIRONMENTS_CONTEXT_KEY);
  if (!isRecord(environments) || Object.keys(environments).length === 0) {
    throw new ConfigError(
      `cdk.json context "${ENVIRONMENTS_CONTEXT_KEY}" must be an object holding at least one environment`,
    );
  }
  const requested = context(OVERRIDE_KEYS.env) ?? DEFAULT_ENVIRONMENT;
  const known = Object.keys(environments);
  if (typeof requested !== 'string' || !Object.hasOwn(environments, requested)) {
    throw new ConfigError(
      `Unknown environment ${JSON.stringify(requested)} (-c env): known environments are ${known.join(', ')}`,
    );
  }
  const raw = environments[requested];
  // Annotated with Fail so that TypeScript narrows after each fail(...) call.
  const fail: Fail = (field, problem) => {
    throw new ConfigError(`Environment "${requested}": ${joinFieldAndProblem(field, problem)}`);
  };
  if (!isRecord(raw)) fail('(the environment itself)', `must be an object, got ${JSON.stringify(raw)}`);
  const env = raw;

  const unknownField = Object.keys(env).find((key) => !KNOWN_FIELDS.includes(key));
  if (unknownField !== undefined) fail(unknownField, `is not a known field (known: ${KNOWN_FIELDS.join(', ')})`);

  const account = optionalString(env.account, 'account', fail);
  if (account !== undefined && !/^\d{12}$/.test(account))
    fail('account', `must be a 12-digit AWS account id, got ${JSON.stringify(account)}`);
  const region = optionalString(env.region, 'region', fail);
  const badRegion = region === undefined ? undefined : regionProblem(region);
  if (badRegion) fail('region', badRegion);

  // The single-issuer shape (top-level issuerUrl/wso2/asgardeo + audiences) is the issuer
  // named "default"; `issuers` may add more, or replace it altogether.
  const hasTopLevel =
    env.issuers === undefined || (['issuerUrl', 'wso2', 'asgardeo'] as const).some((key) => env[key] !== undefined);
  const topLevel = hasTopLevel
    ? {
        issuerUrl: resolveIssuerUrl(env, context(OVERRIDE_KEYS.issuerUrl), fail),
        audiences: resolveAudiences(env.audiences, context(OVERRIDE_KEYS.audiences), fail),
      }
    : undefined;
  if (!hasTopLevel && env.audiences !== undefined) {
    fail('audiences', 'belongs to a top-level issuer: with only named issuers, give audiences in each of them');
  }
  const { issuers, defaultIssuer } = resolveIssuers(
    env,
    topLevel,
    (name) => context(namedIssuerOverrideKey(name)),
    fail,
  );
  const { issuerUrl, audiences } = issuers[defaultIssuer];
  const httpTargets = resolveHttpTargets(env.httpTargets, fail);
  const privateTargets = resolvePrivateTargets(env.privateTargets, fail);
  if (env.production === true) {
    for (const [name, target] of Object.entries(httpTargets)) {
      if (new URL(target.url).protocol !== 'http:') continue;
      fail(
        `httpTargets.${name}.url`,
        "must use https in a production environment (the caller's token and identity headers would cross the " +
          `network in clear text), got ${JSON.stringify(target.url)}`,
      );
    }
  }
  const duplicate = Object.keys(httpTargets).find((name) => Object.hasOwn(privateTargets, name));
  if (duplicate !== undefined) {
    fail(`privateTargets.${duplicate}`, `duplicates the target name "${duplicate}" of httpTargets.${duplicate}`);
  }
  const routeThrottling = resolveRouteThrottling(env.routeThrottling, fail);

  const stageName = optionalString(env.stageName, 'stageName', fail) ?? DEFAULT_STAGE_NAME;
  const stageProblem = stageNameProblem(stageName);
  if (stageProblem) fail('stageName', stageProblem);

  const corsAllowedOrigins = optionalStringArray(env.corsAllowedOrigins, 'corsAllowedOrigins', fail) ?? [];
  corsAllowedOrigins.forEach((origin, index) => {
    const problem = corsOriginProblem(origin);
    if (problem) fail(`corsAllowedOrigins[${index}]`, problem);
  });

  const throttling = resolveThrottling(env.throttling, fail);
  const logRetentionDays = resolveLogRetention(env.logRetentionDays, fail);

  const defaultScopes = optionalStringArray(env.defaultScopes, 'defaultScopes', fail) ?? [];
  const scopeProblem = scopesProblem(defaultScopes);
  if (scopeProblem) fail('defaultScopes', scopeProblem);

  if (env.issuerCheck !== undefined && typeof env.issuerCheck !== 'boolean') {
    fail('issuerCheck', `must be true or false, got ${JSON.stringify(env.issuerCheck)}`);
  }
  const reachable = issuerReachableFromAws(issuerUrl);
  const issuerCheck = (env.issuerCheck ?? true) === true && reachable;
  const checkedIssuers =
    env.issuerCheck === false
      ? []
      : Object.keys(issuers).filter((name) => issuerReachableFromAws(issuers[name].issuerUrl));
  const operations = resolveOperations(env, { region, logRetentionDays, corsAllowedOrigins }, fail);

  const config: EnvironmentConfig = {
    name: requested,
    ...(account !== undefined && { account }),
    ...(region !== undefined && { region }),
    issuerUrl,
    audiences,
    stageName,
    corsAllowedOrigins,
    ...(throttling !== undefined && { throttling }),
    logRetentionDays,
    defaultScopes,
    issuerCheck,
    checkedIssuers,
    issuers,
    defaultIssuer,
    httpTargets,
    privateTargets,
    routeThrottling,
    ...operations,
  };
  const warnings = Object.entries(issuers).flatMap(([name, issuer]) =>
    issuerUrlWarnings(issuer.issuerUrl).map((warning) =>
      name === DEFAULT_ISSUER_NAME && topLevel
        ? `Environment "${requested}": ${warning}`
        : `Environment "${requested}": issuers.${name}: ${warning}`,
    ),
  );
  if (env.issuerCheck === true && !reachable) {
    warnings.push(
      `Environment "${requested}": issuerCheck is off: a check from inside AWS cannot reach a loopback or private ` +
        `issuer`,
    );
  }
  return { config, warnings };
}

function resolveIssuerUrl(env: Record<string, unknown>, override: unknown, fail: Fail): string {
  let url: string;
  let field: string;
  if (override !== undefined) {
    // An override replaces however the environment names its issuer.
    field = 'issuerUrl (from -c issuerUrl)';
    if (typeof override !== 'string') fail(field, `must be a URL string, got ${JSON.stringify(override)}`);
    url = override;
  } else {
    const given = (['issuerUrl', 'wso2', 'asgardeo'] as const).filter((key) => env[key] !== undefined);
    if (given.length === 0)
      fail('issuerUrl', 'is missing: give exactly one of issuerUrl, wso2 {host, port?, tenant?} or asgardeo {org}');
    if (given.length > 1)
      fail(given.join(' and '), 'both name the issuer: give exactly one of issuerUrl, wso2 or asgardeo');
    field = given[0];
    const value = env[field];
    if (field === 'issuerUrl') {
      if (typeof value !== 'string') fail(field, `must be a URL string, got ${JSON.stringify(value)}`);
      url = value;
    } else {
      if (!isRecord(value)) fail(field, `must be an object, got ${JSON.stringify(value)}`);
      const built = field === 'wso2' ? wso2IssuerUrl(value) : asgardeoIssuerUrl(value);
      if ('problem' in built) fail(`${field}.${built.field}`, built.problem);
      url = built.url;
    }
  }
  const problem = issuerUrlProblem(url);
  if (problem) fail(field, problem);
  return url;
}

function resolveAudiences(value: unknown, override: unknown, fail: Fail): string[] {
  let audiences: string[];
  let field = 'audiences';
  if (override !== undefined) {
    field = 'audiences (from -c audiences)';
    if (typeof override !== 'string' && !Array.isArray(override))
      fail(field, `must be a comma-separated list, got ${JSON.stringify(override)}`);
    audiences = typeof override === 'string' ? override.split(',').map((audience) => audience.trim()) : override;
  } else {
    if (value === undefined) fail(field, 'is missing: list the WSO2 client ids whose tokens the API accepts');
    audiences = optionalStringArray(value, field, fail) ?? [];
  }
  const problem = audiencesProblem(audiences);
  if (problem) fail(field, problem);
  return audiences;
}

function resolveThrottling(value: unknown, fail: Fail): ThrottlingConfig | undefined {
  if (value === undefined) return undefined;
  const { rateLimit, burstLimit } = objectWithKnownFields(
    value,
    'throttling',
    ['rateLimit', 'burstLimit'],
    fail,
    '{rateLimit, burstLimit}',
  );
  const rateProblem = positiveIntegerProblem(rateLimit);
  if (rateProblem !== undefined || typeof rateLimit !== 'number')
    fail('throttling.rateLimit', rateProblem ?? 'must be a number');
  const burstProblem = positiveIntegerProblem(burstLimit);
  if (burstProblem !== undefined || typeof burstLimit !== 'number')
    fail('throttling.burstLimit', burstProblem ?? 'must be a number');
  return { rateLimit, burstLimit };
}

function resolveLogRetention(value: unknown, fail: Fail): LogRetention {
  if (value === undefined) return DEFAULT_LOG_RETENTION_DAYS;
  if (value === 'infinite') return value;
  if (typeof value !== 'number' || !ALLOWED_LOG_RETENTION_DAYS.includes(value)) {
    fail(
      'logRetentionDays',
      `must be one of CloudWatch's retention periods (${ALLOWED_LOG_RETENTION_DAYS.join(', ')}) or "infinite", got ` +
        `${JSON.stringify(value)}`,
    );
  }
  return value;
}

function optionalString(value: unknown, field: string, fail: Fail): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') fail(field, `must be a string, got ${JSON.stringify(value)}`);
  return value;
}

function optionalStringArray(value: unknown, field: string, fail: Fail): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) fail(field, `must be a list of strings, got ${JSON.stringify(value)}`);
  const strings: string[] = [];
  for (const [index, item] of value.entries()) {
    if (typeof item !== 'string') fail(`${field}[${index}]`, `must be a string, got ${JSON.stringify(item)}`);
    strings.push(item);
  }
  return strings;
}
