import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { type CfnRole, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { bundledFunctionProps } from './bundled-function';
import { type ApiAlarmThresholds, ApiAlarms } from './alarms';
import { API_ROUTES } from './api-routes';
import { CustomDomainDns } from './custom-domain';
import { IssuerCheck } from './issuer-check';
import { type LogRetention, retentionDays } from './log-retention';
import { issuerReachableFromAws } from '../rules/validation';
import { type ApiRoute, Wso2JwtHttpApi } from './wso2-jwt-http-api';

export interface Wso2JwtApiStackProps extends StackProps {
  /** The WSO2 issuer, exactly as the tokens' `iss`. */
  readonly issuerUrl: string;
  /** WSO2 client ids whose tokens are accepted. */
  readonly audiences: readonly string[];
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
  /** @default API_ROUTES */
  readonly routes?: readonly ApiRoute[];
  /**
   * Check the issuer from inside AWS during deploy (see IssuerCheck). Never for a
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

/** The deployable unit: the WSO2-protected HTTP API and the Lambda function behind it. */
export class Wso2JwtApiStack extends Stack {
  public readonly api: Wso2JwtHttpApi;
  public readonly handler: NodejsFunction;
  public readonly alarms: ApiAlarms;
  /** Absent when switched off or the issuer is loopback/private. */
  public readonly issuerCheck?: IssuerCheck;

  constructor(scope: Construct, id: string, props: Wso2JwtApiStackProps) {
    super(scope, id, props);
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

    this.api = new Wso2JwtHttpApi(this, 'Api', {
      issuerUrl: props.issuerUrl,
      audiences: props.audiences,
      handler: this.handler,
      routes: props.routes ?? API_ROUTES,
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

    if ((props.issuerCheck ?? true) && issuerReachableFromAws(props.issuerUrl)) {
      this.issuerCheck = new IssuerCheck(this, 'IssuerCheck', {
        issuerUrl: props.issuerUrl,
        audiences: props.audiences,
        logRetentionDays: props.logRetentionDays,
        logRemovalPolicy: removalPolicy,
      });
    }

    new CfnOutput(this, 'ApiUrl', {
      value: this.api.url,
      description: 'Base URL of the HTTP API (on the custom domain when there is one)',
    });
    new CfnOutput(this, 'Issuer', {
      value: props.issuerUrl,
      description: 'WSO2 issuer the JWT authorizer trusts (exact iss)',
    });
    new CfnOutput(this, 'Audiences', {
      value: props.audiences.join(','),
      description: 'WSO2 client ids accepted as aud (or client_id)',
    });
  }
}
