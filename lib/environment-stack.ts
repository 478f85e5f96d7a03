import { Annotations, type App } from 'aws-cdk-lib';
import {
  ConfigError,
  type EnvironmentConfig,
  loadEnvironmentConfig,
  NAG_CHECKS_KEY,
  nagChecksFrom,
  PROJECT_NAME,
  stackNameFor,
} from './config';
import { joinFieldAndProblem } from '../rules/validation';
import { Wso2JwtHttpApiError } from './wso2-jwt-http-api';
import { acknowledgeNagFindings, applyNagChecks } from './nag';
import { Wso2JwtApiStack, type Wso2JwtApiStackProps } from './wso2-jwt-api-stack';

export interface EnvironmentStackOptions {
  /**
   * Run cdk-nag's AwsSolutions pack when the app synthesizes: a finding that is not acknowledged
   * stops the synth. Off only where a template is read and never deployed (the doctor's route
   * list, npm start's synth, tests whose subject is not cdk-nag): loading and running the pack
   * costs about 0.6 s of CPU per synth.
   * @default the app's `-c nagChecks` (nagChecksFrom), true when absent
   */
  readonly nagChecks?: boolean;
}

/**
 * Adds the stack of the environment selected in the app's context (`-c env=`, default `dev`).
 * Configuration errors throw a ConfigError before any construct exists, so nothing is synthesized.
 */
export function addEnvironmentStack(
  app: App,
  overrides: Partial<Wso2JwtApiStackProps> = {},
  options: EnvironmentStackOptions = {},
): Wso2JwtApiStack {
  const context = (key: string) => app.node.tryGetContext(key);
  const { config, warnings } = loadEnvironmentConfig(context);
  // Read even when the option decides: a bad -c nagChecks is an error wherever it is passed.
  const nagChecksInContext = nagChecksFrom(context);
  const nagChecks = options.nagChecks ?? nagChecksInContext;
  let stack: Wso2JwtApiStack;
  try {
    stack = new Wso2JwtApiStack(app, stackNameFor(config.name), { ...stackPropsFrom(config), ...overrides });
  } catch (error) {
    // The route table meets the environment here (its issuers, backends, stage limits):
    // name the environment as every other configuration error does.
    if (!(error instanceof Wso2JwtHttpApiError)) throw error;
    throw new ConfigError(`Environment "${config.name}": ${joinFieldAndProblem(error.field, error.problem)}`);
  }
  if (nagChecks) applyNagChecks(app);
  else if (options.nagChecks === undefined) {
    // Said where `cdk synth` and `cdk deploy` print it: the switch is meant for npm start only.
    Annotations.of(stack).addWarningV2(
      'wso2-jwt-http-api:nag-checks',
      `cdk-nag's AwsSolutions pack is off (-c ${NAG_CHECKS_KEY}=false): meant for a local synth, never a deploy`,
    );
  }
  acknowledgeNagFindings(stack);
  for (const warning of warnings) {
    Annotations.of(stack).addWarningV2('wso2-jwt-http-api:issuer', warning);
  }
  return stack;
}

function stackPropsFrom(config: EnvironmentConfig): Wso2JwtApiStackProps {
  return {
    // Absent account and region make an environment-agnostic stack; never a guessed region.
    env: config.account || config.region ? { account: config.account, region: config.region } : undefined,
    description: `HTTP API protected by the WSO2 JWT authorizer (${config.name})`,
    tags: { project: PROJECT_NAME, environment: config.name },
    analyticsReporting: false,
    issuers: config.issuers,
    defaultIssuer: config.defaultIssuer,
    httpTargets: config.httpTargets,
    privateTargets: config.privateTargets,
    routeThrottling: config.routeThrottling,
    stageName: config.stageName,
    corsAllowedOrigins: config.corsAllowedOrigins,
    throttle: config.throttling,
    logRetentionDays: config.logRetentionDays,
    defaultScopes: config.defaultScopes,
    // Each issuer is checked when reachable from AWS; none when the environment switches it off.
    issuerCheck: config.checkedIssuers.length > 0,
    terminationProtection: config.production,
    logRemovalPolicy: config.logRemovalPolicy,
    accessLogRetentionDays: config.accessLogRetentionDays,
    lambdaLogLevel: config.lambdaLogLevel,
    alarms: config.alarms,
    customDomain: config.customDomain,
  };
}
