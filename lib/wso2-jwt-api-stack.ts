import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { join } from 'node:path';
import { API_ROUTES } from './api-routes';
import { IssuerCheck } from './issuer-check';
import { issuerReachableFromAws } from './validation';
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
  readonly logRetentionDays: number | 'infinite';
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
}

/** The deployable unit: the WSO2-protected HTTP API and the Lambda function behind it. */
export class Wso2JwtApiStack extends Stack {
  public readonly api: Wso2JwtHttpApi;
  public readonly handler: NodejsFunction;
  /** Absent when switched off or the issuer is loopback/private. */
  public readonly issuerCheck?: IssuerCheck;

  constructor(scope: Construct, id: string, props: Wso2JwtApiStackProps) {
    super(scope, id, props);

    // Created explicitly so retention is ours from the first deploy, not left to the
    // implicit /aws/lambda group or to a feature flag.
    const logGroup = new LogGroup(this, 'ApiFunctionLogGroup', {
      retention: props.logRetentionDays === 'infinite' ? RetentionDays.INFINITE : (props.logRetentionDays as RetentionDays),
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.handler = new NodejsFunction(this, 'ApiFunction', {
      entry: join(__dirname, '..', 'lambda', 'api', 'handler.ts'),
      handler: 'handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 256,
      loggingFormat: LoggingFormat.JSON,
      logGroup,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        minify: true,
        sourceMap: true,
        target: 'node24',
        format: OutputFormat.CJS,
        // Nothing is left to the runtime: the bundle has no dependencies to resolve.
        externalModules: [],
        forceDockerBundling: false,
        logLevel: LogLevel.WARNING,
      },
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
    });

    if ((props.issuerCheck ?? true) && issuerReachableFromAws(props.issuerUrl)) {
      this.issuerCheck = new IssuerCheck(this, 'IssuerCheck', {
        issuerUrl: props.issuerUrl,
        audiences: props.audiences,
        logRetentionDays: props.logRetentionDays,
      });
    }

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the HTTP API stage' });
    new CfnOutput(this, 'Issuer', { value: props.issuerUrl, description: 'WSO2 issuer the JWT authorizer trusts (exact iss)' });
    new CfnOutput(this, 'Audiences', {
      value: props.audiences.join(','),
      description: 'WSO2 client ids accepted as aud (or client_id)',
    });
  }
}
