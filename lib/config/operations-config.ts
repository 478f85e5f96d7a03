/**
 * The operational settings of an environment: production safety, logs, alarms, Lambda
 * log level and the optional custom domain. Validated like the rest of the configuration:
 * every problem names the field and the bad value (the caller adds the environment).
 */
import {
  ALLOWED_LOG_RETENTION_DAYS,
  isLambdaLogLevel,
  LAMBDA_LOG_LEVELS,
  type LambdaLogLevel,
  arnRegion,
  certificateArnProblem,
  domainNameProblem,
  hostedZoneIdProblem,
  positiveIntegerProblem,
  snsTopicArnProblem,
} from '../../rules/validation';
import { type Fail, objectWithKnownFields } from './fields';

export type { LambdaLogLevel };
export type LogRemovalPolicy = 'retain' | 'destroy';

export interface AlarmsConfig {
  /** Absent: the alarms change state without notifying anyone. */
  readonly notificationTopicArn?: string;
  /** Length of one evaluation period, in minutes. */
  readonly periodMinutes: number;
  /** Alarm when the API answers at least this many 5xx in one period. */
  readonly api5xxErrors: number;
  /** Alarm when the function fails at least this many times in one period. */
  readonly lambdaErrors: number;
  /** Alarm when the function is throttled at least this many times in one period. */
  readonly lambdaThrottles: number;
  /** Alarm when at least this many requests get 401 or 403 in one period. */
  readonly authRejections: number;
}

export interface CustomDomainConfig {
  readonly domainName: string;
  /** An ACM certificate for `domainName`, in the API's region. */
  readonly certificateArn: string;
  /** When given, an alias record for `domainName` is created in this public hosted zone. */
  readonly hostedZone?: { readonly id: string; readonly name: string };
}

export interface OperationsConfig {
  /** Production: termination protection, log groups retained, no wildcard CORS origin. */
  readonly production: boolean;
  /** What happens to the log groups when the stack (or the log group) is deleted. */
  readonly logRemovalPolicy: LogRemovalPolicy;
  /** Retention of the API's access logs. */
  readonly accessLogRetentionDays: number | 'infinite';
  /** The function's application log level. */
  readonly lambdaLogLevel: LambdaLogLevel;
  readonly alarms: AlarmsConfig;
  /** Absent: the API answers on its execute-api endpoint. */
  readonly customDomain?: CustomDomainConfig;
}

export const OPERATIONS_FIELDS = [
  'production',
  'logRemovalPolicy',
  'accessLogRetentionDays',
  'lambdaLogLevel',
  'alarms',
  'customDomain',
];

export const DEFAULT_ALARMS: Omit<AlarmsConfig, 'notificationTopicArn'> = {
  periodMinutes: 5,
  api5xxErrors: 1,
  lambdaErrors: 1,
  lambdaThrottles: 1,
  authRejections: 100,
};
const ALARM_THRESHOLD_FIELDS = ['api5xxErrors', 'lambdaErrors', 'lambdaThrottles', 'authRejections'] as const;

export interface OperationsContext {
  readonly region?: string;
  readonly logRetentionDays: number | 'infinite';
  readonly corsAllowedOrigins: readonly string[];
}

export function resolveOperations(
  env: Record<string, unknown>,
  context: OperationsContext,
  fail: Fail,
): OperationsConfig {
  const production = env.production ?? false;
  if (typeof production !== 'boolean') fail('production', `must be true or false, got ${JSON.stringify(production)}`);

  const wildcard = context.corsAllowedOrigins.indexOf('*');
  if (production && wildcard >= 0) {
    fail(
      `corsAllowedOrigins[${wildcard}]`,
      'must not be "*" in a production environment (any web page could call the API with its visitors\' tokens), ' +
        'got "*"',
    );
  }

  const logRemovalPolicy = env.logRemovalPolicy ?? (production ? 'retain' : 'destroy');
  if (logRemovalPolicy !== 'retain' && logRemovalPolicy !== 'destroy') {
    fail('logRemovalPolicy', `must be "retain" or "destroy", got ${JSON.stringify(logRemovalPolicy)}`);
  }
  if (production && logRemovalPolicy === 'destroy') {
    fail(
      'logRemovalPolicy',
      'must be "retain" in a production environment (deleting the stack must not delete its logs), got "destroy"',
    );
  }

  const accessLogRetentionDays = env.accessLogRetentionDays ?? context.logRetentionDays;
  if (accessLogRetentionDays !== 'infinite' && !ALLOWED_LOG_RETENTION_DAYS.includes(accessLogRetentionDays as number)) {
    fail(
      'accessLogRetentionDays',
      `must be one of CloudWatch's retention periods (${ALLOWED_LOG_RETENTION_DAYS.join(', ')}) or "infinite", got ` +
        `${JSON.stringify(accessLogRetentionDays)}`,
    );
  }

  const lambdaLogLevel = env.lambdaLogLevel ?? 'INFO';
  if (!isLambdaLogLevel(lambdaLogLevel)) {
    fail('lambdaLogLevel', `must be one of ${LAMBDA_LOG_LEVELS.join(', ')}, got ${JSON.stringify(lambdaLogLevel)}`);
  }

  const alarms = resolveAlarms(env.alarms, context.region, fail);
  const customDomain = resolveCustomDomain(env.customDomain, context.region, fail);

  return {
    production,
    logRemovalPolicy,
    accessLogRetentionDays: accessLogRetentionDays as number | 'infinite',
    lambdaLogLevel,
    alarms,
    ...(customDomain !== undefined && { customDomain }),
  };
}

function resolveAlarms(value: unknown, region: string | undefined, fail: Fail): AlarmsConfig {
  if (value === undefined) return { ...DEFAULT_ALARMS };
  const raw = objectWithKnownFields(
    value,
    'alarms',
    ['notificationTopicArn', 'periodMinutes', ...ALARM_THRESHOLD_FIELDS],
    fail,
  );

  const counts = { ...DEFAULT_ALARMS };
  for (const key of ['periodMinutes', ...ALARM_THRESHOLD_FIELDS] as const) {
    const given = raw[key];
    if (given === undefined) continue;
    // The rules' problem functions refuse every value of the wrong JSON type themselves.
    const problem = positiveIntegerProblem(given);
    if (problem !== undefined) fail(`alarms.${key}`, problem);
    counts[key] = given as number;
  }
  if (counts.periodMinutes > 1440) {
    fail('alarms.periodMinutes', `must be at most 1440 (one day), got ${counts.periodMinutes}`);
  }
  const topic = raw.notificationTopicArn;
  if (topic === undefined) return counts;
  const problem = snsTopicArnProblem(topic);
  if (problem !== undefined) fail('alarms.notificationTopicArn', problem);
  if (region !== undefined && arnRegion(topic as string) !== region) {
    fail(
      'alarms.notificationTopicArn',
      `must be in the environment's region ${region} (CloudWatch alarms only notify topics in their own region), ` +
        `got ${JSON.stringify(topic)}`,
    );
  }
  return { ...counts, notificationTopicArn: topic as string };
}

function resolveCustomDomain(value: unknown, region: string | undefined, fail: Fail): CustomDomainConfig | undefined {
  if (value === undefined) return undefined;
  const { domainName, certificateArn, hostedZone } = objectWithKnownFields(
    value,
    'customDomain',
    ['domainName', 'certificateArn', 'hostedZone'],
    fail,
    '{domainName, certificateArn, hostedZone?}',
  );

  const domainProblem = domainNameProblem(domainName);
  if (domainProblem !== undefined) fail('customDomain.domainName', domainProblem);
  const certificateProblem = certificateArnProblem(certificateArn);
  if (certificateProblem !== undefined) fail('customDomain.certificateArn', certificateProblem);
  if (region !== undefined && arnRegion(certificateArn as string) !== region) {
    fail(
      'customDomain.certificateArn',
      `must be in the environment's region ${region} (a regional custom domain uses a certificate from its own ` +
        `region), got ${JSON.stringify(certificateArn)}`,
    );
  }

  if (hostedZone === undefined) return { domainName: domainName as string, certificateArn: certificateArn as string };
  const { id, name } = objectWithKnownFields(hostedZone, 'customDomain.hostedZone', ['id', 'name'], fail, '{id, name}');
  const idProblem = hostedZoneIdProblem(id);
  if (idProblem !== undefined) fail('customDomain.hostedZone.id', idProblem);
  const zoneName = typeof name === 'string' ? name.replace(/\.$/, '') : name;
  const nameProblem = domainNameProblem(zoneName);
  if (nameProblem !== undefined) fail('customDomain.hostedZone.name', nameProblem);
  const domain = domainName as string;
  if (domain !== zoneName && !domain.endsWith(`.${zoneName as string}`)) {
    fail(
      'customDomain.hostedZone.name',
      `must be ${JSON.stringify(domain)} or one of its parent domains, got ${JSON.stringify(name)}`,
    );
  }
  return {
    domainName: domain,
    certificateArn: certificateArn as string,
    hostedZone: { id: id as string, name: zoneName as string },
  };
}
