import { App, Duration, Stack } from 'aws-cdk-lib';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Template } from 'aws-cdk-lib/assertions';
import { Alarm, type CfnDashboard, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { ACCESS_LOG_FIELDS } from '../../lib/access-log-format';
import { ApiDashboard, AUTH_REJECTIONS_QUERY } from '../../lib/dashboard';
import { synthEnvironment, testAppOutdir } from '../support/synth';

interface Widget {
  readonly type: string;
  readonly properties: {
    readonly title?: string;
    readonly metrics?: unknown[][];
    readonly query?: string;
    readonly alarms?: string[];
  };
}

/**
 * The dashboard body as JSON: CloudFormation references inside it become `<Ref X>` /
 * `<GetAtt X.Arn>` strings, so tests can read widgets by title.
 */
function widgetsOf(template: Template): Widget[] {
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  const body = dashboards[0].Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] };
  const text = body['Fn::Join'][1]
    .map((part) => {
      if (typeof part === 'string') return part;
      const token = part as Record<string, unknown>;
      if ('Ref' in token) return `<Ref ${token.Ref}>`;
      const [id, attribute] = token['Fn::GetAtt'] as [string, string];
      return `<GetAtt ${id}.${attribute}>`;
    })
    .join('');
  return JSON.parse(text).widgets as Widget[];
}

const titled = (widgets: Widget[], title: string) => {
  const found = widgets.find((widget) => widget.properties.title === title);
  if (!found) throw new Error(`no widget titled ${JSON.stringify(title)}: ${widgets.map((w) => w.properties.title)}`);
  return found;
};

describe('the CloudWatch dashboard', () => {
  test.each(['dev', 'staging', 'prod'])('%s has one, its URL as the DashboardUrl output', (env) => {
    const { stack, template } = synthEnvironment({ context: { env } });
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: stack.stackName });
    const url = template.findOutputs('DashboardUrl').DashboardUrl.Value as { 'Fn::Join': [string, unknown[]] };
    const dashboardId = stack.getLogicalId(stack.dashboard.dashboard.node.defaultChild as CfnDashboard);
    const text = url['Fn::Join'][1]
      .map((part) => (typeof part === 'string' ? part : `<${JSON.stringify(part)}>`))
      .join('');
    const region = stack.region.startsWith('${Token') ? '<{"Ref":"AWS::Region"}>' : stack.region;
    expect(text).toBe(
      `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}` +
        `#dashboards/dashboard/<{"Ref":"${stack.resolve(dashboardId)}"}>`,
    );
  });

  describe('prod', () => {
    const { stack, template } = synthEnvironment({ context: { env: 'prod' } });
    const widgets = widgetsOf(template);
    const apiId = `<Ref ${stack.getLogicalId(stack.api.httpApi.node.defaultChild as never)}>`;

    test('API: requests, 4xx and 5xx, latency p50/p90/p99 for the API and the integration', () => {
      expect(titled(widgets, 'Requests').properties.metrics).toEqual([
        ['AWS/ApiGateway', 'Count', 'ApiId', apiId, { label: 'requests', stat: 'Sum' }],
      ]);
      expect(titled(widgets, '4xx and 5xx answers').properties.metrics?.map((metric) => metric[1])).toEqual([
        '4xx',
        '5xx',
      ]);
      const latency = titled(widgets, 'Latency (ms): API and integration').properties.metrics ?? [];
      expect(latency.map((metric) => [metric[1], (metric.at(-1) as { stat: string }).stat])).toEqual([
        ['Latency', 'p50'],
        ['Latency', 'p90'],
        ['Latency', 'p99'],
        ['IntegrationLatency', 'p50'],
        ['IntegrationLatency', 'p90'],
        ['IntegrationLatency', 'p99'],
      ]);
    });

    test('401/403 by authorizerError: a Logs Insights query over the access-log group, on its field names', () => {
      const widget = titled(widgets, '401/403 by authorizerError (access log)');
      expect(widget.type).toBe('log');
      const accessLogGroup = `<Ref ${stack.getLogicalId(stack.api.accessLogGroup.node.defaultChild as never)}>`;
      expect(widget.properties.query).toBe(`SOURCE '${accessLogGroup}' | ${AUTH_REJECTIONS_QUERY.join('\n| ')}`);
      // every field the query reads is one the access log writes
      for (const field of ['status', 'authorizerError', 'errorResponseType', 'routeKey']) {
        expect(Object.keys(ACCESS_LOG_FIELDS)).toContain(field);
      }
    });

    test("each function's invocations, errors, throttles and duration; every alarm's state", () => {
      const labels = [
        'API function',
        'Function orders',
        'Issuer check (deploy time)',
        'Issuer check partner (deploy time)',
      ];
      for (const label of labels) {
        const counts = titled(widgets, `${label}: invocations and errors`).properties.metrics ?? [];
        expect(counts.map((metric) => metric[1])).toEqual(['Invocations', 'Errors']);
        expect(titled(widgets, `${label}: throttles`).properties.metrics?.[0][1]).toBe('Throttles');
        const duration = titled(widgets, `${label}: duration (ms)`).properties.metrics ?? [];
        expect(duration.map((metric) => (metric.at(-1) as { stat: string }).stat)).toEqual([
          'p50',
          'p90',
          'p99',
          'Maximum',
        ]);
      }
      const alarms = titled(widgets, 'Alarms').properties.alarms ?? [];
      const everyAlarm = [
        ...stack.alarms.alarms,
        ...Object.values(stack.targetFunctions).flatMap((target) => target.alarms),
      ];
      expect(alarms).toEqual(
        everyAlarm.map((alarm) => `<GetAtt ${stack.getLogicalId(alarm.node.defaultChild as never)}.Arn>`),
      );
      // the API's four alarms, then the orders function's errors and throttles alarms
      expect(alarms).toHaveLength(6);
    });
  });

  test('takes any list of functions: a row each, titled by label, in the order given', () => {
    // GIVEN an API with three functions behind it (as with one function per route target)
    const stack = new Stack(new App({ outdir: testAppOutdir(), builtinCloudFormationValidation: false }), 'Bare');
    const functions = ['orders', 'reports', 'admin'].map((name) => ({
      label: `${name} function`,
      function: new LambdaFunction(stack, `${name}Function`, {
        runtime: Runtime.NODEJS_24_X,
        handler: 'index.handler',
        code: Code.fromInline('exports.handler = async () => ({})'),
      }),
    }));
    const alarm = new Alarm(stack, 'Alarm', {
      metric: new Metric({ namespace: 'X', metricName: 'Y' }),
      threshold: 1,
      evaluationPeriods: 1,
    });

    // WHEN
    new ApiDashboard(stack, 'Dashboard', {
      httpApi: new HttpApi(stack, 'Api'),
      accessLogGroup: new LogGroup(stack, 'AccessLogs'),
      functions,
      alarms: [alarm],
      period: Duration.minutes(1),
    });

    // THEN
    const widgets = widgetsOf(Template.fromStack(stack));
    expect(widgets.map((widget) => widget.properties.title).filter((title) => title?.endsWith('and errors'))).toEqual([
      'orders function: invocations and errors',
      'reports function: invocations and errors',
      'admin function: invocations and errors',
    ]);
    expect(titled(widgets, 'Requests').properties.metrics?.[0].at(-1)).toMatchObject({ period: 60 });
  });
});
