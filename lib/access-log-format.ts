import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';

/**
 * The stage's access-log record: one JSON object per request, built only from HTTP API
 * `$context` variables. aws-cdk-lib's default format and `jsonWithStandardFields()` use
 * `$context.resourcePath`, which only REST APIs have.
 *
 * The fields are chosen to answer "why did this request get 401/403/5xx?":
 * - `authorizerError`: the JWT authorizer's reason (e.g. an expired token, a bad `iss`);
 * - `errorMessage` / `errorResponseType`: API Gateway's own answer (`UNAUTHORIZED`,
 *   `ACCESS_DENIED`, `THROTTLED`, `INTEGRATION_FAILURE`, ...);
 * - `integrationError`, `integrationStatus`: what went wrong between API Gateway and Lambda;
 * - `sub` / `clientId`: who called, when the token was valid (empty otherwise).
 * Every value is quoted, so a record stays valid JSON whatever API Gateway substitutes
 * (it writes "-" for a variable that has no value, e.g. the claims of a rejected request).
 * The token itself is never logged: no header variable is part of the format.
 */
export const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  requestTime: '$context.requestTime',
  requestTimeEpoch: '$context.requestTimeEpoch',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  path: '$context.path',
  stage: '$context.stage',
  domainName: '$context.domainName',
  protocol: '$context.protocol',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integration.status',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  errorMessage: '$context.error.message',
  errorResponseType: '$context.error.responseType',
  sub: '$context.authorizer.claims.sub',
  // azp: the client id in every WSO2 IS and Asgardeo access token (client_id is missing from some).
  clientId: '$context.authorizer.claims.azp',
};

/** API Gateway's limit on the length of an access-log format. */
export const MAX_ACCESS_LOG_FORMAT_BYTES = 3 * 1024;

/** The format as API Gateway receives it: one line of JSON with quoted `$context` variables. */
export function accessLogFormatString(fields: Readonly<Record<string, string>> = ACCESS_LOG_FIELDS): string {
  return JSON.stringify(fields);
}

export function httpApiAccessLogFormat(): AccessLogFormat {
  return AccessLogFormat.custom(accessLogFormatString());
}
