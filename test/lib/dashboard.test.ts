import { App, Duration, Stack } from 'aws-cdk-lib';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Template } from 'aws-cdk-lib/assertions';
import { Alarm, type CfnDashboard, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { ACCESS_LOG_FIELDS } from '../../lib/access-log-format';
import { ApiDashboard, type ApiDashboardProps } from '../../lib/dashboard';
import { synthEnvironment, testAppOutdir } from '../support/synth';

interface Widget {
  readonly type: string;
  readonly width: number;
  readonly height: number;
  readonly properties: {
    readonly markdown?: string;
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
      expect(titled(widgets, '4xx and 5xx answers').properties.metrics).toEqual([
        ['AWS/ApiGateway', '4xx', 'ApiId', apiId, { label: '4xx', stat: 'Sum' }],
        ['AWS/ApiGateway', '5xx', 'ApiId', apiId, { label: '5xx', stat: 'Sum' }],
      ]);
      const latency = titled(widgets, 'Latency (ms): API and integration').properties.metrics ?? [];
      expect(latency.map((metric) => [metric[1], metric.at(-1)])).toEqual([
        ['Latency', { label: 'API p50', stat: 'p50' }],
        ['Latency', { label: 'API p90', stat: 'p90' }],
        ['Latency', { label: 'API p99', stat: 'p99' }],
        ['IntegrationLatency', { label: 'integration p50', stat: 'p50' }],
        ['IntegrationLatency', { label: 'integration p90', stat: 'p90' }],
        ['IntegrationLatency', { label: 'integration p99', stat: 'p99' }],
      ]);
    });

    test('401/403 by authorizerError: a Logs Insights query over the access-log group, on its field names', () => {
      const widget = titled(widgets, '401/403 by authorizerError (access log)');
      expect(widget.type).toBe('log');
      const accessLogGroup = `<Ref ${stack.getLogicalId(stack.api.accessLogGroup.node.defaultChild as never)}>`;
      expect(widget.properties.query).toBe(
        `SOURCE '${accessLogGroup}' | fields status, authorizerError, errorResponseType\n` +
          '| filter status = "401" or status = "403"\n' +
          '| stats count(*) as requests by status, authorizerError, errorResponseType\n' +
          '| sort requests desc\n' +
          '| limit 25',
      );
      // every field the query reads is one the access log writes
      for (const field of ['status', 'authorizerError', 'errorResponseType', 'routeKey']) {
        expect(Object.keys(ACCESS_LOG_FIELDS)).toContain(field);
      }
    });

    test('requests by route and status: the 50 busiest pairs, from the same access log', () => {
      const widget = titled(widgets, 'Requests by route and status (access log)');
      const accessLogGroup = `<Ref ${stack.getLogicalId(stack.api.accessLogGroup.node.defaultChild as never)}>`;
      expect(widget.properties.query).toBe(
        `SOURCE '${accessLogGroup}' | fields routeKey, status\n` +
          '| stats count(*) as requests by routeKey, status\n' +
          '| sort requests desc\n' +
          '| limit 50',
      );
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
        expect(counts.map((metric) => [metric[1], metric.at(-1)])).toEqual([
          ['Invocations', { label: 'invocations', stat: 'Sum' }],
          ['Errors', { label: 'errors', stat: 'Sum' }],
        ]);
        const throttles = titled(widgets, `${label}: throttles`).properties.metrics ?? [];
        expect(throttles.map((metric) => [metric[1], metric.at(-1)])).toEqual([
          ['Throttles', { label: 'throttles', stat: 'Sum' }],
        ]);
        const duration = titled(widgets, `${label}: duration (ms)`).properties.metrics ?? [];
        expect(duration.map((metric) => metric.at(-1))).toEqual([
          { label: 'p50', stat: 'p50' },
          { label: 'p90', stat: 'p90' },
          { label: 'p99', stat: 'p99' },
          { label: 'max', stat: 'Maximum' },
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
    // GIVEN / WHEN an API with three functions behind it (as with one function per route target)
    const widgets = bareDashboard({ functions: ['orders', 'reports', 'admin'], period: Duration.minutes(1) });

    // THEN
    expect(widgets.map((widget) => widget.properties.title).filter((title) => title?.endsWith('and errors'))).toEqual([
      'orders function: invocations and errors',
      'reports function: invocations and errors',
      'admin function: invocations and errors',
    ]);
    expect(titled(widgets, 'Requests').properties.metrics?.[0].at(-1)).toMatchObject({ period: 60 });
  });

  test('a description is a text row at the top; without one the graphs come first', () => {
    const described = bareDashboard({ description: 'dev: issuer https://is.example.com/oauth2/token' });
    expect(described[0]).toMatchObject({
      type: 'text',
      width: 24,
      height: 2,
      properties: { markdown: 'dev: issuer https://is.example.com/oauth2/token' },
    });
    expect(bareDashboard({}).map((widget) => widget.type)).not.toContain('text');
  });

  test('an alarm row only when there are alarms', () => {
    expect(titled(bareDashboard({ alarms: 1 }), 'Alarms').properties.alarms).toHaveLength(1);
    for (const alarms of [0, undefined]) {
      expect(bareDashboard({ alarms }).map((widget) => widget.properties.title)).not.toContain('Alarms');
    }
  });
});

/** ApiDashboard alone: the named functions (none by default) and that many alarms. */
function bareDashboard(
  options: Omit<Partial<ApiDashboardProps>, 'functions' | 'alarms'> & { functions?: string[]; alarms?: number },
): Widget[] {
  const stack = new Stack(new App({ outdir: testAppOutdir(), builtinCloudFormationValidation: false }), 'Bare');
  const functions = (options.functions ?? []).map((name) => ({
    label: `${name} function`,
    function: new LambdaFunction(stack, `${name}Function`, {
      runtime: Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: Code.fromInline('exports.handler = async () => ({})'),
    }),
  }));
  const alarms =
    options.alarms === undefined
      ? undefined
      : Array.from(
          { length: options.alarms },
          (_, index) =>
            new Alarm(stack, `Alarm${index}`, {
              metric: new Metric({ namespace: 'X', metricName: 'Y' }),
              threshold: 1,
              evaluationPeriods: 1,
            }),
        );
  new ApiDashboard(stack, 'Dashboard', {
    httpApi: new HttpApi(stack, 'Api'),
    accessLogGroup: new LogGroup(stack, 'AccessLogs'),
    ...options,
    functions,
    alarms,
  });
  return widgetsOf(Template.fromStack(stack));
}
