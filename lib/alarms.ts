import type { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, type IMetric, type Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface ApiAlarmThresholds {
  /** Length of one evaluation period. */
  readonly period: Duration;
  readonly api5xxErrors: number;
  readonly lambdaErrors: number;
  readonly lambdaThrottles: number;
  /** 401 and 403 answers together, counted from the access log. */
  readonly authRejections: number;
}

export interface ApiAlarmsProps {
  readonly httpApi: IHttpApi;
  readonly handler: IFunction;
  /** The stage's JSON access log (its `status` field is read). */
  readonly accessLogGroup: ILogGroup;
  /** Namespace of the metric counted from the access log, e.g. the stack name. */
  readonly metricNamespace: string;
  readonly thresholds: ApiAlarmThresholds;
  /** @default - alarms notify no one */
  readonly notificationTopicArn?: string;
}

/** What one alarm watches and says; `topic` hears both when it fires and when it recovers. */
export interface ThresholdAlarmProps {
  readonly metric: IMetric;
  readonly threshold: number;
  readonly description: string;
  /** @default - the alarm notifies no one */
  readonly topic?: ITopic;
}

/**
 * Every alarm of this project: it fires on `>= threshold` in one period and treats missing
 * data as fine (no requests is no problem).
 */
export function thresholdAlarm(scope: Construct, id: string, props: ThresholdAlarmProps): Alarm {
  const alarm = new Alarm(scope, id, {
    metric: props.metric,
    threshold: props.threshold,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
    alarmDescription: props.description,
  });
  if (props.topic) {
    alarm.addAlarmAction(new SnsAction(props.topic));
    alarm.addOkAction(new SnsAction(props.topic));
  }
  return alarm;
}

/**
 * The API's alarms: 5xx answers, function errors and throttles, and an unusual number of
 * 401/403 answers (a wrong issuer or audience after a WSO2 change shows up here first).
 * Every alarm fires on `>= threshold` in one period and treats missing data as fine.
 */
export class ApiAlarms extends Construct {
  public readonly alarms: Alarm[] = [];
  /** 401 + 403 answers per period, from a metric filter on the access log. */
  public readonly authRejections: Metric;

  constructor(scope: Construct, id: string, props: ApiAlarmsProps) {
    super(scope, id);
    const { period } = props.thresholds;

    const filter = new MetricFilter(this, 'AuthRejectionsFilter', {
      logGroup: props.accessLogGroup,
      // `status` is a quoted string in the access-log format.
      filterPattern: FilterPattern.any(
        FilterPattern.stringValue('$.status', '=', '401'),
        FilterPattern.stringValue('$.status', '=', '403'),
      ),
      metricNamespace: props.metricNamespace,
      metricName: 'AuthRejections',
      metricValue: '1',
    });
    this.authRejections = filter.metric({ statistic: 'Sum', period });

    const topic = props.notificationTopicArn
      ? Topic.fromTopicArn(this, 'NotificationTopic', props.notificationTopicArn)
      : undefined;
    const add = (id: string, metric: IMetric, threshold: number, description: string) =>
      this.alarms.push(thresholdAlarm(this, id, { metric, threshold, description, topic }));

    add(
      'Api5xxAlarm',
      props.httpApi.metricServerError({ statistic: 'Sum', period }),
      props.thresholds.api5xxErrors,
      'The HTTP API answered 5xx: the function failed, timed out or could not be invoked. Look for integrationError ' +
        'in the access log.',
    );
    add(
      'LambdaErrorsAlarm',
      props.handler.metricErrors({ statistic: 'Sum', period }),
      props.thresholds.lambdaErrors,
      'The API function failed (uncaught error or timeout). See its log group.',
    );
    add(
      'LambdaThrottlesAlarm',
      props.handler.metricThrottles({ statistic: 'Sum', period }),
      props.thresholds.lambdaThrottles,
      'The API function was throttled: account or reserved concurrency reached.',
    );
    add(
      'AuthRejectionsAlarm',
      this.authRejections,
      props.thresholds.authRejections,
      'Unusually many 401/403 answers: check authorizerError in the access log (issuer, audience, expired or opaque ' +
        'tokens, missing scopes).',
    );
  }
}
