import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { thresholdAlarm } from './alarms';
import { bundledFunctionProps } from './bundled-function';

export interface TargetFunctionProps {
  /** The folder under `lambda/` that holds `handler.ts`; also the target's name. */
  readonly folder: string;
  /** @default `lambda/<folder>/handler.ts` */
  readonly entry?: string;
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  /** @default 'INFO' */
  readonly logLevel?: keyof typeof ApplicationLogLevel;
  /** @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /** @default 256 */
  readonly memoryMb?: number;
  readonly alarms: {
    readonly period: Duration;
    readonly errors: number;
    readonly throttles: number;
    /** @default - the alarms notify no one */
    readonly topic?: ITopic;
  };
}

/**
 * A route target's own function, set up as the API function is: bundled locally
 * (bundledFunctionProps), its own log group, a role that may write that log group and
 * nothing else, and its own error and throttle alarms.
 */
export class TargetFunction extends Construct {
  public readonly function: NodejsFunction;
  public readonly logGroup: LogGroup;
  public readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: TargetFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    // No managed policy: AWSLambdaBasicExecutionRole allows logs:* actions on every resource.
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Function ${props.folder}: writes its own log group only`,
    });
    this.logGroup.grantWrite(role);
    this.function = new NodejsFunction(this, 'Function', {
      ...bundledFunctionProps(props.folder, props.entry),
      memorySize: props.memoryMb ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      role,
      applicationLogLevelV2: ApplicationLogLevel[props.logLevel ?? 'INFO'],
      logGroup: this.logGroup,
    });

    const { period, topic } = props.alarms;
    this.alarms.push(
      thresholdAlarm(this, 'ErrorsAlarm', {
        metric: this.function.metricErrors({ statistic: 'Sum', period }),
        threshold: props.alarms.errors,
        description: `Function ${props.folder} failed (uncaught error or timeout). See its log group.`,
        topic,
      }),
      thresholdAlarm(this, 'ThrottlesAlarm', {
        metric: this.function.metricThrottles({ statistic: 'Sum', period }),
        threshold: props.alarms.throttles,
        description: `Function ${props.folder} was throttled: account or reserved concurrency reached.`,
        topic,
      }),
    );
  }
}
