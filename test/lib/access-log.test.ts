import { ACCESS_LOG_FIELDS, MAX_ACCESS_LOG_FORMAT_BYTES, accessLogFormatString } from '../../lib/access-log-format';
import { isHttpApiAccessLogVariable } from '../fixtures/http-api-access-log-variables';
import { templateFor } from '../support/templates';

const FORMAT = accessLogFormatString();
const VARIABLES = FORMAT.match(/\$context\.[A-Za-z0-9_.:-]+/g) ?? [];

describe('the access-log format', () => {
  test('uses only documented HTTP API variables (none REST-only such as $context.resourcePath)', () => {
    // GIVEN the variables the format uses: exactly the fields' values, in order
    expect(VARIABLES).toEqual(Object.values(ACCESS_LOG_FIELDS));

    // THEN every one is an HTTP API access-log variable
    expect(VARIABLES.filter((variable) => !isHttpApiAccessLogVariable(variable))).toEqual([]);
    expect(FORMAT).not.toContain('$context.resourcePath');
  });

  test('carries what explains a 401, a 403 or a 5xx, and who called', () => {
    expect(VARIABLES).toEqual(
      expect.arrayContaining([
        '$context.requestId',
        '$context.identity.sourceIp',
        '$context.requestTime',
        '$context.httpMethod',
        '$context.routeKey',
        '$context.path',
        '$context.status',
        '$context.protocol',
        '$context.responseLength',
        '$context.responseLatency',
        '$context.integrationErrorMessage',
        '$context.authorizer.error',
        '$context.error.message',
        '$context.error.responseType',
        '$context.authorizer.claims.sub',
        '$context.authorizer.claims.azp',
      ]),
    );
  });

  test('is one line of JSON whose values are all quoted variables, under the 3 KB limit', () => {
    expect(FORMAT).not.toContain('\n');
    const parsed = JSON.parse(FORMAT) as Record<string, unknown>;
    expect(parsed).toEqual(ACCESS_LOG_FIELDS);
    for (const value of Object.values(parsed)) expect(value).toMatch(/^\$context\.[A-Za-z0-9_.]+$/);
    expect(Buffer.byteLength(FORMAT, 'utf8')).toBeLessThan(MAX_ACCESS_LOG_FORMAT_BYTES);
  });

  test('never logs a header (the token travels in Authorization)', () => {
    expect(FORMAT).not.toMatch(/header|authorization/i);
  });
});

// Retention and removal of the access-log group are asserted with every other log group's
// (test/lib/operations.test.ts).
describe.each(['dev', 'prod'] as const)('the %s stage', (env) => {
  const template = templateFor(env);

  test('writes JSON access logs to its own log group', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': ['ApiAccessLogs50B185DB', 'Arn'] }, Format: FORMAT },
    });
  });

  test('counts 401 and 403 answers from the access log', () => {
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { Ref: 'ApiAccessLogs50B185DB' },
      FilterPattern: '{ ($.status = "401") || ($.status = "403") }',
      MetricTransformations: [
        { MetricNamespace: `Wso2JwtHttpApi-${env}`, MetricName: 'AuthRejections', MetricValue: '1' },
      ],
    });
  });
});
