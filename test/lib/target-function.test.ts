import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { TargetFunction, type TargetFunctionProps } from '../../lib/target-function';
import { thresholdAlarmProperties } from '../support/alarms';
import { testAppOutdir } from '../support/synth';

/** One TargetFunction for lambda/orders, alone in a stack: the given props over the required ones. */
function targetFunction(props: Partial<TargetFunctionProps> = {}, withTopic = false) {
  const app = new App({
    outdir: testAppOutdir(),
    context: { 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: false,
  });
  const stack = new Stack(app, 'Bare');
  const topic = withTopic ? new Topic(stack, 'Topic') : undefined;
  const target = new TargetFunction(stack, 'OrdersFunction', {
    folder: 'orders',
    logRetention: RetentionDays.TWO_WEEKS,
    logRemovalPolicy: RemovalPolicy.DESTROY,
    alarms: { period: Duration.minutes(2), errors: 3, throttles: 4, topic },
    ...props,
  });
  return { target, template: Template.fromStack(stack) };
}

const targetTemplate = (props: Partial<TargetFunctionProps> = {}, withTopic = false): Template =>
  targetFunction(props, withTopic).template;

describe('TargetFunction', () => {
  describe('with only the required props', () => {
    // In beforeAll, not at collection: a Stryker run that selects none of these tests skips the synth.
    let template: Template;
    beforeAll(() => {
      template = targetTemplate();
    });

    test('256 MB, 10 s, INFO logs, source maps, in a log group of its own kept as configured', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps' } },
        MemorySize: 256,
        Timeout: 10,
        LoggingConfig: Match.objectLike({ ApplicationLogLevel: 'INFO' }),
      });
      template.hasResource('AWS::Logs::LogGroup', {
        Properties: { RetentionInDays: 14 },
        DeletionPolicy: 'Delete',
      });
    });

    test('a role only Lambda may assume, named after its folder', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }],
        },
        Description: 'Function orders: writes its own log group only',
      });
    });

    test.each([
      ['Errors', 3, 'Function orders failed (uncaught error or timeout). See its log group.'],
      ['Throttles', 4, 'Function orders was throttled: account or reserved concurrency reached.'],
    ])('%s: the sum over the period, >= %d, with its advice and no one notified', (metric, threshold, advice) => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        ...thresholdAlarmProperties({ namespace: 'AWS/Lambda', metric, periodSeconds: 120, threshold, advice }),
        AlarmActions: Match.absent(),
        OKActions: Match.absent(),
      });
    });
  });

  test('exposes its two alarms, errors then throttles (the dashboard shows their state)', () => {
    const { target, template } = targetFunction();
    const ids = target.alarms.map((alarm) => alarm.node.id);
    expect(ids).toEqual(['ErrorsAlarm', 'ThrottlesAlarm']);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
  });

  test('memory, timeout and log level when given', () => {
    targetTemplate({ memoryMb: 1024, timeout: Duration.seconds(25), logLevel: 'WARN' }).hasResourceProperties(
      'AWS::Lambda::Function',
      { MemorySize: 1024, Timeout: 25, LoggingConfig: Match.objectLike({ ApplicationLogLevel: 'WARN' }) },
    );
  });

  test('with a topic, both alarms notify it when they fire and when they recover', () => {
    const alarms = Object.values(targetTemplate({}, true).findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(2);
    for (const alarm of alarms) {
      expect(alarm.Properties).toMatchObject({ AlarmActions: [{ Ref: expect.stringMatching(/^Topic/) }] });
      expect(alarm.Properties).toMatchObject({ OKActions: [{ Ref: expect.stringMatching(/^Topic/) }] });
    }
  });
});
