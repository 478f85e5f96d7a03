import { App, Duration, Stack } from 'aws-cdk-lib';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { ApiAlarms } from '../../lib/alarms';
import { thresholdAlarmProperties } from '../support/alarms';
import { testAppOutdir } from '../support/synth';

/** ApiAlarms alone, with a period and thresholds no environment uses, so no default can pass for them. */
function alarmsTemplate(): Template {
  const stack = new Stack(new App({ outdir: testAppOutdir(), builtinCloudFormationValidation: false }), 'Bare');
  new ApiAlarms(stack, 'Alarms', {
    httpApi: new HttpApi(stack, 'Api'),
    handler: new LambdaFunction(stack, 'Handler', {
      runtime: Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: Code.fromInline('exports.handler = async () => ({})'),
    }),
    accessLogGroup: new LogGroup(stack, 'AccessLogs'),
    metricNamespace: 'Wso2JwtHttpApi-test',
    thresholds: {
      period: Duration.minutes(2),
      api5xxErrors: 3,
      lambdaErrors: 4,
      lambdaThrottles: 5,
      authRejections: 6,
    },
  });
  return Template.fromStack(stack);
}

describe('ApiAlarms', () => {
  // In beforeAll, not at collection: a Stryker run that selects none of these tests skips the synth.
  let template: Template;
  beforeAll(() => {
    template = alarmsTemplate();
  });

  // What an on-call engineer reads in the notification: where to look next.
  test.each([
    [
      'AWS/ApiGateway',
      '5xx',
      3,
      'The HTTP API answered 5xx: the function failed, timed out or could not be invoked. Look for integrationError ' +
        'in the access log.',
    ],
    ['AWS/Lambda', 'Errors', 4, 'The API function failed (uncaught error or timeout). See its log group.'],
    ['AWS/Lambda', 'Throttles', 5, 'The API function was throttled: account or reserved concurrency reached.'],
    [
      'Wso2JwtHttpApi-test',
      'AuthRejections',
      6,
      'Unusually many 401/403 answers: check authorizerError in the access log (issuer, audience, expired or opaque ' +
        'tokens, missing scopes).',
    ],
  ])(
    '%s %s: the sum over the configured period, >= %d in one period, with its advice',
    (namespace, metric, threshold, advice) => {
      template.hasResourceProperties(
        'AWS::CloudWatch::Alarm',
        thresholdAlarmProperties({ namespace, metric, periodSeconds: 120, threshold, advice }),
      );
    },
  );

  test('four alarms and one metric filter counting 401 and 403 answers of the access log', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ ($.status = "401") || ($.status = "403") }',
      MetricTransformations: [
        { MetricNamespace: 'Wso2JwtHttpApi-test', MetricName: 'AuthRejections', MetricValue: '1' },
      ],
    });
  });
});
