/**
 * The three ways an environment names its WSO2 issuer, and the URL each one builds.
 * WSO2 IS: https://<host>[:<port>][/t/<tenant>]/oauth2/token (the super tenant has no /t/ part);
 * Asgardeo: https://api.asgardeo.io/t/<org>/oauth2/token.
 */
export interface Wso2IssuerSettings {
  /** Host name from `[server] hostname` in WSO2's deployment.toml, e.g. `is.example.com`. */
  readonly host: string;
  /** @default 443 (no port in the issuer) */
  readonly port?: number;
  /** Tenant domain; `carbon.super` (the super tenant) adds no `/t/` part. @default super tenant */
  readonly tenant?: string;
}

export interface AsgardeoIssuerSettings {
  /** The Asgardeo organization (root organization name), e.g. `acme`. */
  readonly org: string;
}

export const ASGARDEO_HOST = 'api.asgardeo.io';
const SUPER_TENANT = 'carbon.super';
const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const TENANT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Returns the issuer URL, or a problem naming the sub-field (`host`, `port`, `tenant`). */
export function wso2IssuerUrl(settings: Record<string, unknown>): { url: string } | { field: string; problem: string } {
  const { host, port, tenant } = settings;
  const unknown = Object.keys(settings).filter((key) => !['host', 'port', 'tenant'].includes(key));
  if (unknown.length > 0) return { field: unknown[0], problem: 'is not a known field (expected host, port, tenant)' };
  if (typeof host !== 'string' || !HOST_NAME.test(host)) {
    return {
      field: 'host',
      problem: `must be a host name such as "is.example.com" (no scheme, port or path), got ${JSON.stringify(host)}`,
    };
  }
  if (port !== undefined && (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535)) {
    return { field: 'port', problem: `must be an integer from 1 to 65535, got ${JSON.stringify(port)}` };
  }
  if (tenant !== undefined && (typeof tenant !== 'string' || !TENANT.test(tenant))) {
    return { field: 'tenant', problem: `must be a tenant domain such as "acme.com", got ${JSON.stringify(tenant)}` };
  }
  const portPart = port === undefined || port === 443 ? '' : `:${port}`;
  const tenantPart = tenant === undefined || tenant === SUPER_TENANT ? '' : `/t/${tenant}`;
  return { url: `https://${host.toLowerCase()}${portPart}${tenantPart}/oauth2/token` };
}

export function asgardeoIssuerUrl(
  settings: Record<string, unknown>,
): { url: string } | { field: string; problem: string } {
  const unknown = Object.keys(settings).filter((key) => key !== 'org');
  if (unknown.length > 0) return { field: unknown[0], problem: 'is not a known field (expected org)' };
  const { org } = settings;
  if (typeof org !== 'string' || !TENANT.test(org)) {
    return {
      field: 'org',
      problem: `must be an Asgardeo organization name such as "acme", got ${JSON.stringify(org)}`,
    };
  }
  return { url: `https://${ASGARDEO_HOST}/t/${org}/oauth2/token` };
}
