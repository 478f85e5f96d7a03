import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import { CfnAuthorizer, type ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { type CfnRole, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { existsSync } from 'node:fs';
import { bundledFunctionProps, hasLambdaFunction } from './bundled-function';
import { type ApiAlarmThresholds, ApiAlarms } from './alarms';
import { API_ROUTES } from './api-routes';
import { CustomDomainDns } from './custom-domain';
import { ApiDashboard } from './dashboard';
import { IssuerCheck } from './issuer-check';
import { type LogRetention, retentionDays } from './log-retention';
import { issuerReachableFromAws } from '../rules/validation';
import { nameProblem, pascalCase, routeLimitProblem } from '../rules/route-targets';
import type { HttpTargetConfig, PrivateTargetConfig } from './config';
import { TargetFunction } from './target-function';
import {
  type ApiIssuer,
  type ApiRoute,
  type ApiTarget,
  DEFAULT_ISSUER,
  DEFAULT_TARGET_NAME,
  Wso2JwtHttpApi,
  Wso2JwtHttpApiError,
} from './wso2-jwt-http-api';

export interface Wso2JwtApiStackProps extends StackProps {
  /** The single-issuer shape: the WSO2 issuer named `default`, exactly as the tokens' `iss`. */
  readonly issuerUrl?: string;
  /** WSO2 client ids whose tokens `issuerUrl` issues. */
  readonly audiences?: readonly string[];
  /** Named issuers (with or instead of `issuerUrl`). @default - only `issuerUrl` */
  readonly issuers?: Readonly<Record<string, ApiIssuer>>;
  /** @default 'default' with `issuerUrl`, else the only issuer */
  readonly defaultIssuer?: string;
  /** HTTP backends that routes may name as `target`. @default - none */
  readonly httpTargets?: Readonly<Record<string, HttpTargetConfig>>;
  /** Private backends behind an existing VPC link that routes may name as `target`. @default - none */
  readonly privateTargets?: Readonly<Record<string, PrivateTargetConfig>>;
  /**
   * Function targets whose handler is not `lambda/<target>/handler.ts`: target name -> entry file
   * (bundled like the others). @default - every function target is `lambda/<target>/handler.ts`
   */
  readonly functionEntries?: Readonly<Record<string, string>>;
  /** Route key -> that route's own throttling (within `throttle`). @default - none */
  readonly routeThrottling?: Readonly<Record<string, ThrottleSettings>>;
  /** @default '$default' */
  readonly stageName?: string;
  /** @default - no CORS configuration */
  readonly corsAllowedOrigins?: readonly string[];
  /** @default - the account-level limits */
  readonly throttle?: ThrottleSettings;
  /** Retention of the function's log group, in days or `'infinite'`. */
  readonly logRetentionDays: LogRetention;
  /** @default - none */
  readonly defaultScopes?: readonly string[];
  /**
   * Routes name their target: `lambda/<target>/handler.ts` (a function of its own, created
   * here), or a key of `httpTargets`/`privateTargets`. Routes naming none reach `lambda/api`.
   * @default API_ROUTES
   */
  readonly routes?: readonly ApiRoute[];
  /**
   * Check every issuer from inside AWS during deploy (see IssuerCheck). Never a
   * loopback/private issuer, which AWS cannot reach.
   * @default true
   */
  readonly issuerCheck?: boolean;
  /** Retention of the API's access logs. @default logRetentionDays */
  readonly accessLogRetentionDays?: LogRetention;
  /** What deleting the stack does to its log groups. @default 'retain' */
  readonly logRemovalPolicy?: 'retain' | 'destroy';
  /** The function's application log level. @default 'INFO' */
  readonly lambdaLogLevel?: keyof typeof ApplicationLogLevel;
  /** @default Duration.seconds(10) */
  readonly lambdaTimeout?: Duration;
  /** @default 256 */
  readonly lambdaMemoryMb?: number;
  /** Alarm thresholds and the optional SNS topic they notify. */
  readonly alarms: Omit<ApiAlarmThresholds, 'period'> & {
    readonly periodMinutes: number;
    readonly notificationTopicArn?: string;
  };
  /** @default - the execute-api endpoint */
  readonly customDomain?: {
    readonly domainName: string;
    readonly certificateArn: string;
    readonly hostedZone?: { readonly id: string; readonly name: string };
  };
}

/** The deployable unit: the WSO2-protected HTTP API and the Lambda functions behind it. */
export class Wso2JwtApiStack extends Stack {
  public readonly api: Wso2JwtHttpApi;
  /** The shared function (`lambda/api`), target of routes that name none. */
  public readonly handler: NodejsFunction;
  /** Functions of their own (`lambda/<target>`), by target name. */
  public readonly targetFunctions: Readonly<Record<string, TargetFunction>>;
  public readonly alarms: ApiAlarms;
  public readonly dashboard: ApiDashboard;
  /** The default issuer's check; absent when switched off or the issuer is loopback/private. */
  public readonly issuerCheck?: IssuerCheck;
  /** Every checked issuer's check, by issuer name. */
  public readonly issuerChecks: Readonly<Record<string, IssuerCheck>>;

  constructor(scope: Construct, id: string, props: Wso2JwtApiStackProps) {
    super(scope, id, props);
    const routes = withRouteThrottling(props.routes ?? API_ROUTES, props.routeThrottling ?? {}, props.throttle);
    const targetKinds = resolveTargetKinds(routes, props);
    // Stack tags reach resources only through CloudFormation's propagation, which some types
    // (API Gateway v2 domain names among them) have missed: render them on every taggable
    // resource too. Routes, integrations, authorizers and permissions cannot be tagged.
    for (const [key, value] of Object.entries(props.tags ?? {})) Tags.of(this).add(key, value);
    const removalPolicy = props.logRemovalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;

    // Created explicitly so retention is ours from the first deploy, not left to the
    // implicit /aws/lambda group or to a feature flag.
    const logGroup = new LogGroup(this, 'ApiFunctionLogGroup', {
      retention: retentionDays(props.logRetentionDays),
      removalPolicy,
    });

    // The function may write to its own log group and do nothing else: no managed policy
    // (AWSLambdaBasicExecutionRole allows logs:* actions on every resource).
    const role = new Role(this, 'ApiFunctionRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'API function: writes its own log group only',
    });
    // This role replaced the one NodejsFunction made itself (ApiFunction/ServiceRole), whose
    // logical id every deployed stack holds. Pinning that id makes CloudFormation update the
    // role in place; without it, the new id would replace the role: a new role created, the
    // function moved to it and the old role deleted, in the same deploy as the policy change.
    // It must stay while any stack deployed before the change exists.
    (role.node.defaultChild as CfnRole).overrideLogicalId('ApiFunctionServiceRole52B9747B');
    logGroup.grantWrite(role);

    this.handler = new NodejsFunction(this, 'ApiFunction', {
      ...bundledFunctionProps('api'),
      memorySize: props.lambdaMemoryMb ?? 256,
      timeout: props.lambdaTimeout ?? Duration.seconds(10),
      role,
      applicationLogLevelV2: ApplicationLogLevel[props.lambdaLogLevel ?? 'INFO'],
      logGroup,
    });

    const topic = props.alarms.notificationTopicArn
      ? Topic.fromTopicArn(this, 'AlarmTopic', props.alarms.notificationTopicArn)
      : undefined;
    const targets: Record<string, ApiTarget> = {};
    const targetFunctions: Record<string, TargetFunction> = {};
    for (const [name, kind] of Object.entries(targetKinds)) {
      if (kind === 'function') {
        // Construct ids follow the target's name, never the route table's order.
        targetFunctions[name] = new TargetFunction(this, `${pascalCase(name)}Function`, {
          folder: name,
          entry: props.functionEntries?.[name],
          logRetention: retentionDays(props.logRetentionDays),
          logRemovalPolicy: removalPolicy,
          logLevel: props.lambdaLogLevel,
          timeout: props.lambdaTimeout,
          memoryMb: props.lambdaMemoryMb,
          alarms: {
            period: Duration.minutes(props.alarms.periodMinutes),
            errors: props.alarms.lambdaErrors,
            throttles: props.alarms.lambdaThrottles,
            topic,
          },
        });
        targets[name] = { kind: 'function', function: targetFunctions[name].function };
      } else if (kind === 'http') {
        const http = props.httpTargets?.[name];
        if (!http) continue;
        targets[name] = {
          kind: 'http',
          url: http.url,
          timeout: Duration.millis(http.timeoutMs),
          identityHeaders: http.identityHeaders,
        };
      } else {
        const target = props.privateTargets?.[name];
        if (!target) continue;
        targets[name] = {
          kind: 'private',
          vpcLinkId: target.vpcLinkId,
          backendArn: target.arn,
          timeout: Duration.millis(target.timeoutMs),
          identityHeaders: target.identityHeaders,
        };
      }
    }
    this.targetFunctions = targetFunctions;

    this.api = new Wso2JwtHttpApi(this, 'Api', {
      issuerUrl: props.issuerUrl,
      audiences: props.audiences,
      issuers: props.issuers,
      defaultIssuer: props.defaultIssuer,
      handler: this.handler,
      targets,
      routes,
      defaultScopes: props.defaultScopes,
      stageName: props.stageName,
      throttle: props.throttle,
      corsAllowedOrigins: props.corsAllowedOrigins,
      apiName: id,
      accessLogRetention: retentionDays(props.accessLogRetentionDays ?? props.logRetentionDays),
      accessLogRemovalPolicy: removalPolicy,
      customDomain: props.customDomain && {
        domainName: props.customDomain.domainName,
        certificate: Certificate.fromCertificateArn(this, 'CustomDomainCertificate', props.customDomain.certificateArn),
      },
    });
    if (props.customDomain && this.api.domainName) {
      const { domainName } = this.api;
      new CustomDomainDns(this, 'CustomDomainDns', {
        domainName,
        recordName: props.customDomain.domainName,
        hostedZone: props.customDomain.hostedZone,
      });
      // The stack's outputs are the stack's to declare (ids are the output names people read).
      new CfnOutput(this, 'CustomDomainTarget', {
        value: domainName.regionalDomainName,
        description: 'Regional API Gateway domain name to point the custom domain at (CNAME, or alias A record)',
      });
      new CfnOutput(this, 'CustomDomainTargetHostedZoneId', {
        value: domainName.regionalHostedZoneId,
        description: 'Route 53 hosted zone id of the regional target, for an alias record',
      });
    }

    this.alarms = new ApiAlarms(this, 'Alarms', {
      httpApi: this.api.httpApi,
      handler: this.handler,
      accessLogGroup: this.api.accessLogGroup,
      metricNamespace: id,
      thresholds: { ...props.alarms, period: Duration.minutes(props.alarms.periodMinutes) },
      notificationTopicArn: props.alarms.notificationTopicArn,
    });

    // One check per public issuer; `default` keeps the id of the single-issuer shape.
    const issuerChecks: Record<string, IssuerCheck> = {};
    const issuers = allIssuers(props);
    for (const [name, issuer] of Object.entries(issuers)) {
      if (!(props.issuerCheck ?? true) || !issuerReachableFromAws(issuer.issuerUrl)) continue;
      issuerChecks[name] = new IssuerCheck(
        this,
        name === DEFAULT_ISSUER ? 'IssuerCheck' : `IssuerCheck${pascalCase(name)}`,
        {
          issuerUrl: issuer.issuerUrl,
          audiences: issuer.audiences,
          logRetentionDays: props.logRetentionDays,
          logRemovalPolicy: removalPolicy,
        },
      );
    }
    this.issuerChecks = issuerChecks;
    // An authorizer waits for its issuer's check: a wrong or unreachable issuer fails the deploy
    // before any route trusts it, instead of going live beside a failing check until the rollback.
    const authorizers = this.api.httpApi.node
      .findAll()
      .filter((child): child is CfnAuthorizer => child instanceof CfnAuthorizer);
    for (const [name, check] of Object.entries(issuerChecks)) {
      for (const authorizer of authorizers) {
        const jwt = authorizer.jwtConfiguration as CfnAuthorizer.JWTConfigurationProperty | undefined;
        if (jwt?.issuer === issuers[name].issuerUrl) authorizer.node.addDependency(check.resource);
      }
    }
    const defaultIssuerName =
      props.defaultIssuer ?? (props.issuerUrl !== undefined ? DEFAULT_ISSUER : Object.keys(issuers)[0]);
    this.issuerCheck = issuerChecks[defaultIssuerName];
    const defaultIssuer = issuers[defaultIssuerName] ?? { issuerUrl: '', audiences: [] };

    const issuerList = Object.values(issuers)
      .map((issuer) => `\`${issuer.issuerUrl}\` (audiences \`${issuer.audiences.join(', ')}\`)`)
      .join('; ');
    this.dashboard = new ApiDashboard(this, 'Dashboard', {
      dashboardName: this.stackName,
      description: `## ${this.stackName}\nWSO2 issuers: ${issuerList}`,
      httpApi: this.api.httpApi,
      accessLogGroup: this.api.accessLogGroup,
      functions: [
        { label: 'API function', function: this.handler },
        ...Object.entries(this.targetFunctions).map(([name, target]) => ({
          label: `Function ${name}`,
          function: target.function,
        })),
        ...Object.entries(issuerChecks).map(([name, check]) => ({
          label: name === DEFAULT_ISSUER ? 'Issuer check (deploy time)' : `Issuer check ${name} (deploy time)`,
          function: check.function,
        })),
      ],
      alarms: [...this.alarms.alarms, ...Object.values(this.targetFunctions).flatMap((target) => target.alarms)],
      period: Duration.minutes(props.alarms.periodMinutes),
    });

    new CfnOutput(this, 'ApiUrl', {
      value: this.api.url,
      description: 'Base URL of the HTTP API (on the custom domain when there is one)',
    });
    new CfnOutput(this, 'Issuer', {
      value: defaultIssuer.issuerUrl,
      description: 'WSO2 issuer the default JWT authorizer trusts (exact iss)',
    });
    new CfnOutput(this, 'DashboardUrl', {
      value: this.dashboard.url,
      description: 'CloudWatch dashboard of this environment: requests, errors, latency, 401/403 by reason, functions',
    });
    new CfnOutput(this, 'Audiences', {
      value: defaultIssuer.audiences.join(','),
      description: 'WSO2 client ids accepted as aud (or client_id)',
    });
  }
}

function allIssuers(props: Wso2JwtApiStackProps): Record<string, ApiIssuer> {
  return {
    ...(props.issuerUrl !== undefined && {
      [DEFAULT_ISSUER]: { issuerUrl: props.issuerUrl, audiences: props.audiences ?? [] },
    }),
    ...props.issuers,
  };
}

/** Applies the environment's `routeThrottling` (keyed by route) over the table's own `throttle`. */
function withRouteThrottling(
  routes: readonly ApiRoute[],
  throttling: Readonly<Record<string, ThrottleSettings>>,
  stage: ThrottleSettings | undefined,
): ApiRoute[] {
  const keys = new Set(routes.map((route) => `${route.method} ${route.path}`));
  const unknown = Object.keys(throttling).find((key) => !keys.has(key));
  if (unknown !== undefined) {
    throw new Wso2JwtHttpApiError(
      `routeThrottling["${unknown}"]`,
      'names no route of the route table (lib/api-routes.ts)',
    );
  }
  for (const [key, throttle] of Object.entries(throttling)) {
    for (const field of ['rateLimit', 'burstLimit'] as const) {
      const problem = routeLimitProblem(field, throttle[field], stage?.[field]);
      if (problem) throw new Wso2JwtHttpApiError(`routeThrottling["${key}"].${field}`, problem);
    }
  }
  return routes.map((route) => {
    const throttle = throttling[`${route.method} ${route.path}`];
    return throttle ? { ...route, throttle } : route;
  });
}

type TargetKind = 'function' | 'http' | 'private';

/**
 * What each target a route names is: an HTTP or private backend of the environment, else a
 * function folder `lambda/<name>/handler.ts` that must exist. `api` is the shared function.
 */
function resolveTargetKinds(routes: readonly ApiRoute[], props: Wso2JwtApiStackProps): Record<string, TargetKind> {
  const http = props.httpTargets ?? {};
  const privateTargets = props.privateTargets ?? {};
  for (const [field, names] of [
    ['httpTargets', Object.keys(http)],
    ['privateTargets', Object.keys(privateTargets)],
  ] as const) {
    for (const name of names) {
      if (name === DEFAULT_TARGET_NAME || hasLambdaFunction(name)) {
        throw new Wso2JwtHttpApiError(
          `${field}.${name}`,
          `duplicates the target name "${name}" of the function in lambda/${name}/: rename one of them`,
        );
      }
    }
  }
  const kinds: Record<string, TargetKind> = {};
  routes.forEach((route, index) => {
    const name = route.target;
    if (name === undefined || name === DEFAULT_TARGET_NAME || Object.hasOwn(kinds, name)) return;
    if (Object.hasOwn(http, name)) kinds[name] = 'http';
    else if (Object.hasOwn(privateTargets, name)) kinds[name] = 'private';
    else {
      const entry = props.functionEntries?.[name];
      const exists = entry !== undefined ? existsSync(entry) : hasLambdaFunction(name);
      if (!exists) {
        throw new Wso2JwtHttpApiError(
          `routes[${index}].target`,
          `names no target: ${entry ?? `lambda/${name}/handler.ts`} does not exist ` +
            `and the environment has no httpTargets or privateTargets entry ${JSON.stringify(name)} ` +
            `(route "${route.method} ${route.path}")`,
        );
      }
      // The name becomes construct ids and the function's log group: the targets' one naming rule.
      const problem = nameProblem(name);
      if (problem)
        throw new Wso2JwtHttpApiError(`routes[${index}].target`, `${problem} (route "${route.method} ${route.path}")`);
      kinds[name] = 'function';
    }
  });
  return kinds;
}
