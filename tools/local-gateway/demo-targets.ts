import { contextReaderFor, loadEnvironmentConfig, namedIssuerOverrideKey } from '../../lib/config';
import { type RunningEchoBackend, startEchoBackend } from '../local-backend/server';
import type { ApiModel, RouteModel } from './cloud-assembly';

/** What `npm start` needs to know about the identity provider to print commands for every issuer. */
export interface DemoIssuer {
  /** Exactly as tokens' `iss` (and the authorizer's JwtConfiguration.Issuer). */
  readonly issuer: string;
  readonly clientId: string;
  readonly secret: string;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Starts the echo backend on every loopback address an HTTP proxy route of the model points at
 * (the demo's `http://127.0.0.1:9081`), so the proxied routes answer out of the box. A port that
 * is taken is left alone (a team may run its own backend there): the warning says so.
 */
export async function startDemoBackends(
  model: ApiModel,
  warn: (message: string) => void,
): Promise<{ readonly backends: readonly RunningEchoBackend[]; close(): Promise<void> }> {
  const ports = new Set<number>();
  for (const route of model.routes) {
    if (!route.httpProxy) continue;
    const url = new URL(route.httpProxy.uri.replace(/\{[^}]+\}/g, 'x'));
    if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) ports.add(Number(url.port || 80));
  }
  const backends: RunningEchoBackend[] = [];
  for (const port of ports) {
    try {
      backends.push(await startEchoBackend({ port }));
    } catch (error) {
      warn(
        `WARNING: the echo backend cannot start: ${(error as Error).message}; ` +
          'the proxied routes go to what runs there.',
      );
    }
  }
  return { backends, close: async () => void (await Promise.all(backends.map((backend) => backend.close()))) };
}

/** A path that the route key matches: `{id}` becomes `42`, `{proxy+}` becomes `items/42`. */
export function examplePath(routeKey: string): string {
  const path = routeKey.slice(routeKey.indexOf(' ') + 1);
  return path.replace(/\{[^}]+\+\}/g, 'items/42').replace(/\{[^}]+\}/g, '42');
}

/**
 * The curl lines `npm start` prints for the route targets: one HTTP proxy route, one route on a
 * function of its own (not the function behind `sharedRouteKey`), and one route of each further
 * issuer, each with the command that gets a token from that issuer.
 */
export function targetCurlLines(
  model: ApiModel,
  gatewayUrl: string,
  issuers: readonly DemoIssuer[],
  options: { readonly cacert: string; readonly sharedRouteKey?: string; readonly scope?: string },
): string[] {
  const scope = options.scope ?? 'api:access';
  const protectedRoutes = model.routes.filter((route) => route.authorizer && route.routeKey !== '$default');
  const sharedFunction = model.routes.find((route) => route.routeKey === options.sharedRouteKey)?.function?.logicalId;
  const lines: string[] = [];
  issuers.forEach((issuer, i) => {
    const routes = protectedRoutes.filter((route) => route.authorizer?.issuer === issuer.issuer);
    const chosen = new Set<RouteModel>();
    const proxied = routes.find((route) => route.httpProxy);
    const ownFunctions = routes.filter((route) => route.function && route.function.logicalId !== sharedFunction);
    // A route without path parameters answers the example request with its data, not a 404.
    const ownFunction = ownFunctions.find((route) => !route.routeKey.includes('{')) ?? ownFunctions[0];
    if (proxied) chosen.add(proxied);
    if (ownFunction) chosen.add(ownFunction);
    if (i > 0 && routes[0]) chosen.add(routes[0]);
    if (chosen.size === 0) return;
    const variable = i === 0 ? 'TOKEN' : `TOKEN_${i + 1}`;
    lines.push(
      `  # issuer ${issuer.issuer}`,
      `  ${variable}=$(curl -s ${options.cacert} -u ${issuer.clientId}:${issuer.secret} ${issuer.issuer} ` +
        `-d grant_type=client_credentials -d scope="${scope}" ` +
        `| node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')`,
    );
    for (const route of chosen) {
      const method = route.routeKey.split(' ')[0];
      const what = route.httpProxy ? `proxied to ${route.httpProxy.uri}` : `function ${route.function?.logicalId}`;
      const methodFlag = method === 'ANY' || method === 'GET' ? '' : `-X ${method} `;
      lines.push(
        `  curl -i ${methodFlag}${gatewayUrl}${examplePath(route.routeKey)} -H "Authorization: Bearer $${variable}"` +
          `   # ${route.routeKey}: ${what}`,
      );
    }
    if (proxied)
      lines.push(
        `  curl -i ${gatewayUrl}${examplePath(proxied.routeKey)} -H "Authorization: Bearer $${variable}" ` +
          '-H "x-wso2-sub: forged"   # the backend still sees the token\'s sub',
      );
  });
  return lines;
}

/**
 * `issuerUrl.<name>` context entries (as `-c issuerUrl.<name>=<url>`) for every named issuer that is
 * a tenant of the local identity provider, so the stack trusts this run's tenant issuers whatever
 * port the provider listens on.
 */
export function tenantIssuerContext(
  issuers: Readonly<Record<string, { readonly issuerUrl: string }>>,
  tenants: readonly { readonly domain: string; readonly issuer: string }[],
  defaultIssuer: string,
): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const [name, { issuerUrl }] of Object.entries(issuers)) {
    if (name === defaultIssuer) continue;
    const domain = /^https:\/\/(localhost|127\.0\.0\.1)(:\d+)?\/t\/([^/]+)\/oauth2\/token$/.exec(issuerUrl)?.[3];
    const tenant = tenants.find((candidate) => candidate.domain === domain);
    if (tenant) entries[namedIssuerOverrideKey(name)] = tenant.issuer;
  }
  return entries;
}

/** The synth context with the local tenants' issuers added; what the caller set (`-c`) wins. */
export function withLocalTenantIssuers(
  context: Readonly<Record<string, string>>,
  tenants: readonly { readonly domain: string; readonly issuer: string }[],
): Record<string, string> {
  const { config } = loadEnvironmentConfig(contextReaderFor(context));
  return { ...tenantIssuerContext(config.issuers, tenants, config.defaultIssuer), ...context };
}
