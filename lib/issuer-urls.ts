import { joinFieldAndProblem } from '../rules/validation';
import {
  type AsgardeoIssuerSettings,
  asgardeoIssuerUrl,
  type Wso2IssuerSettings,
  wso2IssuerUrl,
} from './config/issuer';

/**
 * The issuer URL of a WSO2 Identity Server, for `Wso2JwtHttpApiProps.issuerUrl`:
 * `https://<host>[:<port>][/t/<tenant>]/oauth2/token`. Throws on a bad field, naming it and its value.
 * @example issuerUrlForWso2({ host: 'is.example.com', tenant: 'acme.com' })
 */
export function issuerUrlForWso2(settings: Wso2IssuerSettings): string {
  return urlOrThrow('issuerUrlForWso2', wso2IssuerUrl({ ...settings }));
}

/**
 * The issuer URL of an Asgardeo organization: `https://api.asgardeo.io/t/<org>/oauth2/token`.
 * Throws on a bad organization name, naming it.
 * @example issuerUrlForAsgardeo({ org: 'acme' })
 */
export function issuerUrlForAsgardeo(settings: AsgardeoIssuerSettings): string {
  return urlOrThrow('issuerUrlForAsgardeo', asgardeoIssuerUrl({ ...settings }));
}

function urlOrThrow(helper: string, result: { url: string } | { field: string; problem: string }): string {
  if ('url' in result) return result.url;
  throw new Error(`${helper}: ${joinFieldAndProblem(result.field, result.problem)}`);
}
