import { Duration, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IAlarm,
  type IMetric,
  LogQueryVisualizationType,
  LogQueryWidget,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** One function shown on the dashboard. */
export interface DashboardFunction {
  /** How its widgets are titled, e.g. `API function` or the route target's name. */
  readonly label: string;
  readonly function: IFunction;
}

export interface ApiDashboardProps {
  readonly httpApi: IHttpApi;
  /** The stage's JSON access log (fields of `ACCESS_LOG_FIELDS`: status, authorizerError, routeKey...). */
  readonly accessLogGroup: ILogGroup;
  /** Every function behind the API (and any other worth watching), each with its own row. */
  readonly functions: readonly DashboardFunction[];
  /** Shown with their current state. @default - no alarm widget */
  readonly alarms?: readonly IAlarm[];
  /** @default - named by CloudFormation */
  readonly dashboardName?: string;
  /** Shown at the top, e.g. the environment and its issuer. @default - none */
  readonly description?: string;
  /** Aggregation period of every graph. @default Duration.minutes(5) */
  readonly period?: Duration;
}

const WIDTH = 24;
const THIRD = WIDTH / 3;
const HALF = WIDTH / 2;
const HEIGHT = 6;
const LATENCY_STATISTICS = ['p50', 'p90', 'p99'] as const;

/**
 * The Logs Insights query behind "401/403 by reason": API Gateway's JWT authorizer writes its
 * reason to `authorizerError` ("-" when it had none, e.g. a 403 for a missing scope, whose
 * `errorResponseType` then says ACCESS_DENIED). `status` is a quoted string in the format.
 */
export const AUTH_REJECTIONS_QUERY = [
  'fields status, authorizerError, errorResponseType',
  'filter status = "401" or status = "403"',
  'stats count(*) as requests by status, authorizerError, errorResponseType',
  'sort requests desc',
  'limit 25',
];

/** Requests and error answers per route and status, from the same access log. */
export const ROUTES_QUERY = [
  'fields routeKey, status',
  'stats count(*) as requests by routeKey, status',
  'sort requests desc',
  'limit 50',
];

/**
 * One CloudWatch dashboard per environment: the API's requests, 4xx and 5xx, latency (p50,
 * p90, p99, API and integration), 401/403 by the authorizer's reason and requests per route
 * from the access log, each function's invocations, errors, throttles and duration, and the
 * alarms' states. Built from aws-cdk-lib's own widgets (no construct library: see
 * docs/deploy.md). Rows are ordered by the question asked after a WSO2 change: "are callers
 * refused, and why?" first.
 */
export class ApiDashboard extends Construct {
  public readonly dashboard: Dashboard;
  /** The dashboard in the CloudWatch console (commercial partition), for a stack output. */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: ApiDashboardProps) {
    super(scope, id);
    const period = props.period ?? Duration.minutes(5);
    const api = props.httpApi;
    const sum = { statistic: 'Sum', period } as const;

    this.dashboard = new Dashboard(this, 'Dashboard', {
      ...(props.dashboardName && { dashboardName: props.dashboardName }),
      defaultInterval: Duration.hours(3),
    });

    const region = Stack.of(this).region;
    this.url =
      `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}` +
      `#dashboards/dashboard/${this.dashboard.dashboardName}`;

    if (props.description) {
      this.dashboard.addWidgets(new TextWidget({ markdown: props.description, width: WIDTH, height: 2 }));
    }
    this.dashboard.addWidgets(
      graph('Requests', [api.metricCount({ ...sum, label: 'requests' })]),
      graph('4xx and 5xx answers', [
        api.metricClientError({ ...sum, label: '4xx' }),
        api.metricServerError({ ...sum, label: '5xx' }),
      ]),
      graph('Latency (ms): API and integration', [
        ...LATENCY_STATISTICS.map((statistic) => api.metricLatency({ statistic, period, label: `API ${statistic}` })),
        ...LATENCY_STATISTICS.map((statistic) =>
          api.metricIntegrationLatency({ statistic, period, label: `integration ${statistic}` }),
        ),
      ]),
    );
    this.dashboard.addWidgets(
      new LogQueryWidget({
        title: '401/403 by authorizerError (access log)',
        logGroupNames: [props.accessLogGroup.logGroupName],
        queryLines: AUTH_REJECTIONS_QUERY,
        view: LogQueryVisualizationType.TABLE,
        width: HALF,
        height: HEIGHT,
      }),
      new LogQueryWidget({
        title: 'Requests by route and status (access log)',
        logGroupNames: [props.accessLogGroup.logGroupName],
        queryLines: ROUTES_QUERY,
        view: LogQueryVisualizationType.TABLE,
        width: HALF,
        height: HEIGHT,
      }),
    );
    for (const { label, function: fn } of props.functions) {
      this.dashboard.addWidgets(
        graph(`${label}: invocations and errors`, [
          fn.metricInvocations({ ...sum, label: 'invocations' }),
          fn.metricErrors({ ...sum, label: 'errors' }),
        ]),
        graph(`${label}: throttles`, [fn.metricThrottles({ ...sum, label: 'throttles' })]),
        graph(`${label}: duration (ms)`, [
          ...LATENCY_STATISTICS.map((statistic) => fn.metricDuration({ statistic, period, label: statistic })),
          fn.metricDuration({ statistic: 'Maximum', period, label: 'max' }),
        ]),
      );
    }
    if (props.alarms && props.alarms.length > 0) {
      this.dashboard.addWidgets(
        new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: WIDTH, height: 3 }),
      );
    }
  }
}

function graph(title: string, metrics: IMetric[]): GraphWidget {
  return new GraphWidget({ title, left: metrics, width: THIRD, height: HEIGHT });
}
