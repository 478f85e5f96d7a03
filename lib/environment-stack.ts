import { Annotations, type App } from 'aws-cdk-lib';
import { type EnvironmentConfig, loadEnvironmentConfig, PROJECT_NAME } from './config';
import { acknowledgeNagFindings, applyNagChecks } from './nag';
import { Wso2JwtApiStack, type Wso2JwtApiStackProps } from './wso2-jwt-api-stack';

export function stackNameFor(environment: string): string {
  return `${PROJECT_NAME}-${environment}`;
}

/**
 * Adds the stack of the environment selected in the app's context (`-c env=`, default `dev`).
 * Configuration errors throw a ConfigError before any construct exists, so nothing is synthesized.
 */
export function addEnvironmentStack(app: App, overrides: Partial<Wso2JwtApiStackProps> = {}): Wso2JwtApiStack {
  const { config, warnings } = loadEnvironmentConfig((key) => app.node.tryGetContext(key));
  const stack = new Wso2JwtApiStack(app, stackNameFor(config.name), { ...stackPropsFrom(config), ...overrides });
  applyNagChecks(app);
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
    issuerUrl: config.issuerUrl,
    audiences: config.audiences,
    stageName: config.stageName,
    corsAllowedOrigins: config.corsAllowedOrigins,
    throttle: config.throttling,
    logRetentionDays: config.logRetentionDays,
    defaultScopes: config.defaultScopes,
    issuerCheck: config.issuerCheck,
    terminationProtection: config.production,
    logRemovalPolicy: config.logRemovalPolicy,
    accessLogRetentionDays: config.accessLogRetentionDays,
    lambdaLogLevel: config.lambdaLogLevel,
    alarms: config.alarms,
    customDomain: config.customDomain,
  };
}
