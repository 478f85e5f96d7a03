/**
 * An alarm as lib/alarms.ts's thresholdAlarm writes it: one period, `>=` the threshold, missing
 * data as fine. The properties to give `hasResourceProperties`.
 */
export function thresholdAlarmProperties(alarm: {
  readonly namespace: string;
  readonly metric: string;
  readonly periodSeconds: number;
  readonly threshold: number;
  readonly advice: string;
}): Record<string, unknown> {
  return {
    Namespace: alarm.namespace,
    MetricName: alarm.metric,
    Statistic: 'Sum',
    Period: alarm.periodSeconds,
    Threshold: alarm.threshold,
    EvaluationPeriods: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    TreatMissingData: 'notBreaching',
    AlarmDescription: alarm.advice,
  };
}
