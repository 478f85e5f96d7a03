/**
 * The smoke checks, independent of where the API runs: a deployed stage (URL from the
 * stack's outputs), any URL given with --url, or a local gateway.
 */
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ApiRoute } from '../../lib/wso2-jwt-http-api';

export interface SmokeOptions {
  /** Base URL of the API, e.g. `https://abc.execute-api.eu-west-1.amazonaws.com/`. */
  readonly baseUrl: string;
  /** A JWT access token; without it only the anonymous checks run. */
  readonly token?: string;
  readonly routes: readonly ApiRoute[];
  /** The environment's default scopes (required on protected routes that declare none). */
  readonly defaultScopes: readonly string[];
  /** @default 10000 */
  readonly timeoutMs?: number;
  /**
   * The environment's issuers and backends: with them, every route target (function or
   * backend) and every issuer gets its own checks.
   * @default - only the checks above
   */
  readonly targets?: TargetContext;
}

export interface TargetContext {
  /** Issuer name -> exact issuer URL. */
  readonly issuers: Readonly<Record<string, string>>;
  readonly defaultIssuer: string;
  /** Targets that are HTTP or private backends; any other target is a function. */
  readonly backendTargets: readonly string[];
}

export interface CheckResult {
  readonly name: string;
  readonly outcome: 'pass' | 'fail' | 'skip';
  readonly detail: string;
}

export class SmokeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SmokeError';
  }
}

export async function runSmokeChecks(options: SmokeOptions): Promise<CheckResult[]> {
  const base = normalizeBaseUrl(options.baseUrl);
  const tokenScopes = options.token === undefined ? undefined : scopesOf(options.token);
  const callable = options.routes.filter((route) => route.method === HttpMethod.GET && !route.path.includes('{'));
  const publicRoute =
    callable.find((route) => route.public && route.path === '/health') ?? callable.find((route) => route.public);
  const protectedRoutes = callable
    .filter((route) => !route.public)
    .map((route) => ({ route, required: [...(route.scopes ?? options.defaultScopes)] }));
  const results: CheckResult[] = [];
  const get = (path: string, token?: string) => request(base, path, token, options.timeoutMs ?? 10_000);

  if (!publicRoute) throw new SmokeError('the route table has no public GET route to check (expected GET /health)');
  results.push(expectStatus(`GET ${publicRoute.path} without a token`, await get(publicRoute.path), 200));

  const [firstProtected] = protectedRoutes;
  if (!firstProtected)
    throw new SmokeError('the route table has no protected GET route without path parameters to check');
  results.push(
    expectStatus(`GET ${firstProtected.route.path} without a token`, await get(firstProtected.route.path), 401),
  );

  const targetRoutes = options.targets ? representativeRoutes(options.routes, firstProtected.route) : [];
  for (const { route, target } of targetRoutes) {
    const path = callablePath(route.path);
    results.push(
      expectStatus(`${callableMethod(route)} ${path} (target ${target}) without a token`, await get(path), 401),
    );
  }

  if (options.token === undefined || tokenScopes === undefined) {
    results.push({
      name: 'with a token',
      outcome: 'skip',
      detail: 'no --token given: the 200 and 403 checks need one',
    });
    return results;
  }
  const holds = (required: string[]) => required.length === 0 || required.some((scope) => tokenScopes.includes(scope));
  const allowed = protectedRoutes.find(({ required }) => holds(required));
  const forbidden = protectedRoutes.find(({ required }) => !holds(required));
  const scopeText = tokenScopes.length > 0 ? tokenScopes.join(' ') : '(none)';

  if (allowed) {
    results.push(
      expectStatus(
        `GET ${allowed.route.path} with the token (scopes: ${scopeText})`,
        await get(allowed.route.path, options.token),
        200,
      ),
    );
  } else {
    results.push({
      name: 'with the token, a route it has scopes for',
      outcome: 'fail',
      detail:
        `the token's scopes (${scopeText}) match no protected route: request one of ` +
        `${[...new Set(protectedRoutes.flatMap(({ required }) => required))].join(', ')}`,
    });
  }
  if (forbidden) {
    results.push(
      expectStatus(
        `GET ${forbidden.route.path} with the token (requires one of: ${forbidden.required.join(' ')})`,
        await get(forbidden.route.path, options.token),
        403,
      ),
    );
  } else {
    results.push({
      name: 'with the token, a route it has no scope for',
      outcome: 'skip',
      detail: `the token's scopes (${scopeText}) open every protected route`,
    });
  }
  if (options.targets) {
    results.push(
      ...(await targetChecks(options.targets, options.routes, targetRoutes, options.token, options.defaultScopes, get)),
    );
  }
  return results;
}

type Get = (path: string, token?: string) => Promise<Answer>;

/** Every route's target once: its first protected GET/ANY route, one without path parameters if any. */
function representativeRoutes(routes: readonly ApiRoute[], covered: ApiRoute): { route: ApiRoute; target: string }[] {
  const candidates = routes.filter(
    (route) => !route.public && (route.method === HttpMethod.GET || route.method === HttpMethod.ANY),
  );
  const targets = [...new Set(candidates.map((route) => route.target ?? 'api'))];
  return targets
    .map((target) => {
      const own = candidates.filter((route) => (route.target ?? 'api') === target);
      return { route: own.find((route) => !route.path.includes('{')) ?? own[0], target };
    })
    .filter(({ route }) => route !== covered);
}

/**
 * With the token: each target answers it (a function 200, a backend anything but 401, 403 or
 * 5xx), and every route of another issuer than the token's answers 401.
 */
async function targetChecks(
  context: TargetContext,
  routes: readonly ApiRoute[],
  targetRoutes: { route: ApiRoute; target: string }[],
  token: string,
  defaultScopes: readonly string[],
  get: Get,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const tokenIssuer = issuerOf(token);
  const issuerOfRoute = (route: ApiRoute) => context.issuers[route.issuer ?? context.defaultIssuer];
  const tokenScopes = scopesOf(token);
  for (const { route, target } of targetRoutes) {
    if (issuerOfRoute(route) !== tokenIssuer) continue;
    const required = route.scopes ?? defaultScopes;
    if (required.length > 0 && !required.some((scope) => tokenScopes.includes(scope))) continue;
    const path = callablePath(route.path);
    const name = `${callableMethod(route)} ${path} (target ${target}) with the token`;
    const answer = await get(path, token);
    if (context.backendTargets.includes(target) || path !== route.path) {
      results.push(expectReached(name, answer, context.backendTargets.includes(target) ? 'backend' : 'function'));
    } else {
      results.push(expectStatus(name, answer, 200));
    }
  }
  const otherIssuers = Object.keys(context.issuers).filter((name) => context.issuers[name] !== tokenIssuer);
  for (const issuer of otherIssuers) {
    const route = routes.find(
      (candidate) =>
        !candidate.public &&
        (candidate.issuer ?? context.defaultIssuer) === issuer &&
        (candidate.method === HttpMethod.GET || candidate.method === HttpMethod.ANY),
    );
    if (!route) continue;
    const path = callablePath(route.path);
    results.push(
      expectStatus(
        `${callableMethod(route)} ${path} (issuer ${issuer}) with a token of another issuer`,
        await get(path, token),
        401,
      ),
    );
  }
  return results;
}

/** `{id}` and `{proxy+}` filled with a harmless value. */
function callablePath(path: string): string {
  return path.replace(/\{[A-Za-z0-9_]+\+?\}/g, 'smoke');
}

function callableMethod(route: ApiRoute): string {
  return route.method === HttpMethod.ANY ? HttpMethod.GET : route.method;
}

/** The token's `iss`, unverified (the API verifies it). */
function issuerOf(token: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { iss?: unknown };
    return typeof payload.iss === 'string' ? payload.iss : undefined;
  } catch {
    return undefined;
  }
}

/** Past the authorizer and answered by the target itself: not 401/403, not an integration failure. */
function expectReached(name: string, answer: Answer, kind: 'function' | 'backend'): CheckResult {
  if (answer.status !== 401 && answer.status !== 403 && answer.status < 500) {
    return { name, outcome: 'pass', detail: `${answer.status} from the ${kind}` };
  }
  return {
    name,
    outcome: 'fail',
    detail: `got ${answer.status}, expected the ${kind}'s answer (not 401, 403 or 5xx): ${answer.body}`,
  };
}

/** The token's scopes as API Gateway reads them: `scope` (space-delimited or a list) or `scp`. */
export function scopesOf(token: string): string[] {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part))) {
    throw new SmokeError(
      '--token is not a JWT (three base64url parts): WSO2 issues opaque tokens unless the application is set to JWT',
    );
  }
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new SmokeError('--token has a payload that is not JSON');
  }
  const claim = payload.scope ?? payload.scp;
  if (Array.isArray(claim)) return claim.filter((scope): scope is string => typeof scope === 'string');
  return typeof claim === 'string' ? claim.split(/\s+/).filter((scope) => scope !== '') : [];
}

function normalizeBaseUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SmokeError(`the API URL is not a URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new SmokeError(`the API URL must be http(s), got ${JSON.stringify(value)}`);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly wwwAuthenticate: string | null;
}

async function request(base: URL, path: string, token: string | undefined, timeoutMs: number): Promise<Answer> {
  const url = new URL(path.replace(/^\//, ''), base);
  try {
    const response = await fetch(url, {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    return {
      status: response.status,
      body: (await response.text()).slice(0, 200),
      wwwAuthenticate: response.headers.get('www-authenticate'),
    };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new SmokeError(`cannot reach ${url.href}: ${reason}`);
  }
}

function expectStatus(name: string, answer: Answer, expected: number): CheckResult {
  if (answer.status === expected) return { name, outcome: 'pass', detail: `${answer.status}` };
  const hint = answer.wwwAuthenticate ? ` (www-authenticate: ${answer.wwwAuthenticate})` : '';
  return { name, outcome: 'fail', detail: `got ${answer.status}, expected ${expected}${hint}: ${answer.body}` };
}
