/**
 * The package's entry point (`main`/`types` in package.json): re-exports only, grouped by
 * module, so the published surface is this list and a new export is one line. See docs/library.md.
 */

// The construct, its props and its route table.
export {
  type ApiIssuer,
  type ApiRoute,
  type ApiTarget,
  DEFAULT_IDENTITY_HEADERS,
  DEFAULT_ISSUER,
  DEFAULT_TARGET_NAME,
  type FunctionTarget,
  type HttpTarget,
  type IdentityForwarding,
  type PrivateTarget,
  Wso2JwtHttpApi,
  Wso2JwtHttpApiError,
  type Wso2JwtHttpApiProps,
} from './wso2-jwt-http-api';

// Issuer URLs from WSO2 IS host/port/tenant or an Asgardeo organization.
export { issuerUrlForAsgardeo, issuerUrlForWso2 } from './issuer-urls';
export {
  ASGARDEO_HOST,
  type AsgardeoIssuerSettings,
  asgardeoIssuerUrl,
  type Wso2IssuerSettings,
  wso2IssuerUrl,
} from './config/issuer';

// The deploy-time issuer check (its Lambda code ships pre-bundled).
export { ISSUER_CHECK_RESOURCE_TYPE, IssuerCheck, type IssuerCheckProps } from './issuer-check';

// The reference stack: the API, the demo function, alarms and the issuer check.
export { type ApiAlarmThresholds, ApiAlarms, type ApiAlarmsProps } from './alarms';
export { API_ROUTES } from './api-routes';
export { Wso2JwtApiStack, type Wso2JwtApiStackProps } from './wso2-jwt-api-stack';
