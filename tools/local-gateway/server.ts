import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authorize, claimsAsDelivered, IssuerKeySource, type KeyFetchOutcome } from '../../rules/jwt';
import { ToolError } from '../cli/cli';
import { answerClientError } from '../cli/client-error';
import { type Answer, type Integration, type IntegrationRequest, jsonAnswer, jsonMessage } from './answer';
import { type ApiModel, type FunctionModel, loadApiModel, type RouteModel } from './cloud-assembly';
import { isPreflight, preflightHeaders, responseCorsHeaders } from './cors';
import { httpProxyIntegration } from './http-proxy';
import {
  type FunctionInvoker,
  type FunctionRuntimeKind,
  functionInvoker,
  lambdaProxyIntegration,
} from './lambda-integration';
import { newRequestId, type RequestFacts } from './payload-v2';
import {
  BodyBudget,
  declaredLength,
  MAX_CONNECTIONS,
  MAX_PAYLOAD_BYTES,
  MAX_REQUEST_LINE_AND_HEADER_VALUES_BYTES,
  requestLineAndHeaderValuesBytes,
} from './quotas';
import { readBodyWithin } from './request-body';
import { RouteMatcher } from './route-matcher';

export const DEFAULT_GATEWAY_PORT = 8080;

/** One access-log line per request, like the stage's access log: never a token or header value. */
export interface AccessLogEntry {
  readonly requestId: string;
  readonly ip: string;
  readonly requestTime: string;
  readonly httpMethod: string;
  readonly path: string;
  readonly routeKey: string;
  readonly status: number;
  readonly responseLatency: number;
  /** `$context.authorizer.error`: why the authorizer rejected, when it did. */
  readonly authorizerError?: string;
  /** `$context.error.message` for gateway errors (not found, function error). */
  readonly errorMessage?: string;
}

export type AccessLogSink = (entry: AccessLogEntry) => void;

export interface GatewayOptions {
  /** @default 'cdk.out' */
  readonly cdkOutDir?: string;
  /** @default the only stack in the assembly */
  readonly stackName?: string;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default 8080; 0 picks a free port */
  readonly port?: number;
  /** PEM file of an extra CA to trust when fetching the issuer's keys (a local WSO2 IS's own certificate). */
  readonly caFile?: string;
  /** @default one JSON line per request on stdout */
  readonly accessLog?: AccessLogSink;
  /** Start-up warnings (unreachable issuer...). @default standard error */
  readonly warn?: (message: string) => void;
  /** Passed to the issuer key sources. @default 10000 */
  readonly minRefetchIntervalMs?: number;
  /**
   * `isolated`: each function in processes of its own, like Lambda's execution environments.
   * `in-process`: in the gateway's process (no isolation; for benchmarks only). @default 'isolated'
   */
  readonly functionRuntime?: FunctionRuntimeKind;
  /** Execution environments at most per function. @default 4 */
  readonly runtimesPerFunction?: number;
  /** AWS_REGION of the functions. @default 'us-east-1' */
  readonly region?: string;
  /** Where the functions' log lines go (one per console call). @default standard output */
  readonly functionLog?: (line: string) => void;
}

export interface RunningGateway {
  readonly port: number;
  /** `http://127.0.0.1:<port>` plus `/<stage>` when the stage is not `$default`. */
  readonly url: string;
  readonly model: ApiModel;
  /** Issuer checks made at start-up, by issuer. */
  readonly issuerChecks: ReadonlyMap<string, KeyFetchOutcome>;
  /** The model served now (it changes with `serve`). */
  current(): ApiModel;
  /**
   * Serves another model from the next request on, atomically: requests under way finish with
   * the old one. Functions whose code changed get fresh runtimes. Resolves with the issuer
   * checks of issuers not served before.
   */
  serve(model: ApiModel): Promise<void>;
  /** Serves new code for one function (a rebundled asset folder) from the next invocation on. */
  replaceFunctionCode(logicalId: string, assetDir: string): void;
  close(): Promise<void>;
}

export class GatewayListenError extends ToolError {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'GatewayListenError';
  }
}

/** Everything a request needs from the served API; built once at start-up. */
interface ServedApi {
  readonly model: ApiModel;
  readonly matcher: RouteMatcher<RouteModel>;
  readonly stagePrefix: string;
  readonly keySources: ReadonlyMap<string, IssuerKeySource>;
  /** By route logical id. */
  readonly integrations: ReadonlyMap<string, Integration>;
  /** Shared by every model served: what all requests buffer together. */
  readonly bodyBudget: BodyBudget;
}

/** One request as the steps see it: what was received, and what the access log needs. */
interface Exchange {
  readonly req: IncomingMessage;
  readonly started: number;
  readonly startedAt: Date;
  readonly requestId: string;
  readonly method: string;
  readonly rawPath: string;
  readonly rawQueryString: string;
}

/** A step's outcome: the answer with the route it was judged under (`-` before a route matched). */
type Outcome = { readonly answer: Answer; readonly routeKey: string } | { readonly preflight: Answer } | 'gone';

/**
 * Serves a synthesized HTTP API locally: routes as API Gateway matches them, CORS preflight,
 * JWT routes judged by authorizer-rules against the issuer's real keys, and each route's
 * integration (the bundled Lambda asset with a payload-2.0 event).
 */
export async function startGateway(options: GatewayOptions = {}): Promise<RunningGateway> {
  const model = loadApiModel(options.cdkOutDir ?? 'cdk.out', options.stackName);
  const warn = options.warn ?? ((message: string) => process.stderr.write(`${message}\n`));
  const accessLog =
    options.accessLog ?? ((entry: AccessLogEntry) => process.stdout.write(`${JSON.stringify(entry)}\n`));
  const ca = options.caFile ? readFileSync(options.caFile, 'utf8') : undefined;

  const functionLog = options.functionLog ?? ((line: string) => process.stdout.write(`${line}\n`));
  const invokers = new Map<string, FunctionInvoker>();
  const newInvoker = (fn: FunctionModel) =>
    functionInvoker(fn, options.functionRuntime ?? 'isolated', {
      region: options.region ?? 'us-east-1',
      maxRuntimes: options.runtimesPerFunction,
      log: functionLog,
    });

  const keySources = new Map<string, IssuerKeySource>();
  const issuerChecks = await addKeySources(keySources, model, {
    ca,
    warn,
    minRefetchIntervalMs: options.minRefetchIntervalMs,
  });
  const bodyBudget = new BodyBudget();
  const http = { ca, warn };
  const served = { api: serveApi(model, keySources, syncInvokers(invokers, model, newInvoker), bodyBudget, http) };
  const server = createGatewayServer(() => served.api, accessLog, functionLog);
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, host, options.port ?? DEFAULT_GATEWAY_PORT);
  return {
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}${served.api.stagePrefix}`,
    model,
    issuerChecks,
    current: () => served.api.model,
    serve: async (next) => {
      await addKeySources(keySources, next, { ca, warn, minRefetchIntervalMs: options.minRefetchIntervalMs });
      served.api = serveApi(next, keySources, syncInvokers(invokers, next, newInvoker), bodyBudget, http);
    },
    replaceFunctionCode: (logicalId, assetDir) => {
      const invoker = invokers.get(logicalId);
      if (!invoker) throw new Error(`function ${logicalId} is not served`);
      invoker.replace({ ...invoker.model, assetDir });
    },
    close: async () => {
      await closeServer(server);
      for (const invoker of invokers.values()) invoker.close();
    },
  };
}

/**
 * One invoker per function of the model: kept when its function is unchanged, given the new
 * code when it changed, closed when the function is gone.
 */
function syncInvokers(
  invokers: Map<string, FunctionInvoker>,
  model: ApiModel,
  newInvoker: (fn: FunctionModel) => FunctionInvoker,
): ReadonlyMap<string, FunctionInvoker> {
  const wanted = new Map(
    model.routes.flatMap((route) => (route.function ? [[route.function.logicalId, route.function] as const] : [])),
  );
  for (const [logicalId, invoker] of invokers) {
    if (!wanted.has(logicalId)) {
      invoker.close();
      invokers.delete(logicalId);
    }
  }
  for (const [logicalId, fn] of wanted) {
    const invoker = invokers.get(logicalId);
    if (!invoker) invokers.set(logicalId, newInvoker(fn));
    else if (JSON.stringify(invoker.model) !== JSON.stringify(fn)) invoker.replace(fn);
  }
  return invokers;
}

/**
 * One key source per issuer, shared by the authorizers that name it. Each new issuer's keys are
 * fetched once now: a warning at start-up beats 401s without a reason later.
 */
async function addKeySources(
  keySources: Map<string, IssuerKeySource>,
  model: ApiModel,
  options: { ca: string | undefined; warn: (message: string) => void; minRefetchIntervalMs: number | undefined },
): Promise<Map<string, KeyFetchOutcome>> {
  const issuerChecks = new Map<string, KeyFetchOutcome>();
  for (const { issuer } of model.authorizers) {
    if (keySources.has(issuer)) continue;
    const source = new IssuerKeySource({ issuer, ca: options.ca, minRefetchIntervalMs: options.minRefetchIntervalMs });
    keySources.set(issuer, source);
    const outcome = await source.refresh();
    issuerChecks.set(issuer, outcome);
    warnAboutIssuer(issuer, outcome, options.ca !== undefined, options.warn);
  }
  return issuerChecks;
}

function warnAboutIssuer(issuer: string, outcome: KeyFetchOutcome, hasCa: boolean, warn: (message: string) => void) {
  if (!outcome.ok) {
    const hint = hasCa ? '' : ' (for a self-signed issuer such as a local WSO2 IS, pass --ca-file <its certificate>)';
    warn(
      `WARNING: the issuer ${issuer} cannot be used: ${outcome.error.message}. ` +
        `Every protected route will answer 401 until it can${hint}.`,
    );
  } else if (outcome.discovery.documentIssuer !== issuer) {
    warn(
      `WARNING: the discovery document of ${issuer} names the issuer ` +
        `${JSON.stringify(outcome.discovery.documentIssuer)}; tokens must carry iss ${JSON.stringify(issuer)} exactly.`,
    );
  }
}

/** The route matcher and each route's integration. */
function serveApi(
  model: ApiModel,
  keySources: ReadonlyMap<string, IssuerKeySource>,
  functions: ReadonlyMap<string, FunctionInvoker>,
  bodyBudget: BodyBudget,
  http: { readonly ca?: string; readonly warn: (message: string) => void },
): ServedApi {
  const integrations = new Map<string, Integration>();
  for (const route of model.routes) {
    if (route.httpProxy) integrations.set(route.logicalId, httpProxyIntegration(route.httpProxy, http));
    const fn = route.function && functions.get(route.function.logicalId);
    if (fn) integrations.set(route.logicalId, lambdaProxyIntegration(fn));
  }
  return {
    model,
    matcher: new RouteMatcher(model.routes),
    stagePrefix: model.stageName === '$default' ? '' : `/${model.stageName}`,
    bodyBudget,
    keySources,
    integrations,
  };
}

function createGatewayServer(
  currentApi: () => ServedApi,
  accessLog: AccessLogSink,
  functionLog: (line: string) => void,
): Server {
  const server = createServer((req, res) => {
    handleRequest(currentApi(), accessLog, functionLog, req, res).catch((error: unknown) => {
      // A bug here must not open a route or kill the server: answer 500 and keep serving.
      process.stderr.write(
        `local-gateway: internal error on ${req.method} ${(req.url ?? '').slice(0, 200)}: ` +
          `${(error as Error)?.stack ?? String(error)}\n`,
      );
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(jsonMessage('Internal Server Error'));
      } else res.destroy();
    });
  });
  server.on('clientError', answerClientError);
  server.maxConnections = MAX_CONNECTIONS;
  return server;
}

async function handleRequest(
  api: ServedApi,
  accessLog: AccessLogSink,
  functionLog: (line: string) => void,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const exchange = describeRequest(req);
  const outcome = await answerRequest(api, exchange);
  if (outcome === 'gone') {
    res.destroy();
    return;
  }
  const corsHeaders = api.model.cors ? responseCorsHeaders(api.model.cors, req.headers.origin) : {};
  if ('preflight' in outcome) {
    // Preflight headers replace the response CORS headers.
    res.writeHead(outcome.preflight.status, { ...outcome.preflight.headers, 'apigw-requestid': exchange.requestId });
    res.end();
    accessLog(accessLogEntry(exchange, 'OPTIONS (CORS preflight)', outcome.preflight));
    return;
  }
  const { answer, routeKey } = outcome;
  // An unread body is not read on: the connection closes after the answer.
  if (answer.closeConnection) res.setHeader('connection', 'close');
  const bytes = typeof answer.body === 'string' ? Buffer.from(answer.body) : answer.body;
  res.writeHead(answer.status, {
    ...answer.headers,
    ...corsHeaders,
    'content-length': bytes.length,
    'apigw-requestid': exchange.requestId,
  });
  res.end(exchange.method === 'HEAD' ? undefined : bytes);
  accessLog(accessLogEntry(exchange, routeKey, answer));
  // As in CloudWatch, the function's lines follow the request they belong to.
  for (const line of answer.functionLogs ?? []) functionLog(line);
}

function describeRequest(req: IncomingMessage): Exchange {
  const target = req.url ?? '/';
  const question = target.indexOf('?');
  return {
    req,
    started: performance.now(),
    startedAt: new Date(),
    requestId: newRequestId(),
    method: (req.method ?? 'GET').toUpperCase(),
    rawPath: question < 0 ? target : target.slice(0, question),
    rawQueryString: question < 0 ? '' : target.slice(question + 1),
  };
}

/**
 * The steps of one request: preflight, quotas, route, authorizer, body, integration. The body is
 * read last, so a 404 or a 401 never waits for (or buffers) a large upload.
 */
async function answerRequest(api: ServedApi, exchange: Exchange): Promise<Outcome> {
  const { req, method } = exchange;
  if (api.model.cors && isPreflight(method, req.headers)) {
    return { preflight: { status: 204, headers: preflightHeaders(api.model.cors, req.headers), body: '' } };
  }
  if (requestLineAndHeaderValuesBytes(req) > MAX_REQUEST_LINE_AND_HEADER_VALUES_BYTES) {
    return { routeKey: '-', answer: headersTooLarge() };
  }

  const matched = matchRoute(api, method, exchange.rawPath);
  if (!matched) return { routeKey: '-', answer: jsonAnswer(404, 'Not Found', { errorMessage: 'Not Found' }) };
  const { route, pathParameters } = matched;

  const authorized = await authorizeRoute(api, route, req);
  if ('rejection' in authorized) return { routeKey: route.routeKey, answer: authorized.rejection };

  const read = await readRequestBody(api.bodyBudget, req);
  if (read === 'gone') return 'gone';
  if ('refusal' in read) return { routeKey: route.routeKey, answer: read.refusal };
  try {
    const request: IntegrationRequest = {
      facts: requestFacts(exchange, read.body),
      route,
      stageName: api.model.stageName,
      pathParameters,
      ...(authorized.jwt && { jwt: authorized.jwt }),
    };
    const integration = api.integrations.get(route.logicalId);
    if (!integration) throw new Error(`route ${route.routeKey} has no integration`);
    return { routeKey: route.routeKey, answer: await integration(request) };
  } finally {
    api.bodyBudget.release(read.reserved);
  }
}

function headersTooLarge(): Answer {
  return jsonAnswer(431, 'Request Header Fields Too Large', {
    errorMessage: `the request line and header values exceed ${MAX_REQUEST_LINE_AND_HEADER_VALUES_BYTES} bytes`,
  });
}

const PAYLOAD_TOO_LARGE = () =>
  jsonAnswer(413, 'Request Entity Too Large', { errorMessage: 'Request Entity Too Large', closeConnection: true });

/**
 * The body within the payload quota and the gateway's memory budget: a declared length over the
 * quota is refused before a byte is read; a chunked body as soon as it passes it. The request's
 * share of the budget is held until `reserved` is released.
 */
async function readRequestBody(
  budget: BodyBudget,
  req: IncomingMessage,
): Promise<{ body: Buffer; reserved: number } | { refusal: Answer } | 'gone'> {
  const declared = declaredLength(req);
  if (declared !== undefined && declared > MAX_PAYLOAD_BYTES) return { refusal: PAYLOAD_TOO_LARGE() };
  const reserved = declared ?? MAX_PAYLOAD_BYTES;
  await budget.acquire(reserved);
  const body = await readBodyWithin(req, MAX_PAYLOAD_BYTES);
  if (body instanceof Buffer) return { body, reserved };
  budget.release(reserved);
  return body === 'gone' ? 'gone' : { refusal: PAYLOAD_TOO_LARGE() };
}

/** The route for a path received with the stage prefix (none for `$default`). */
function matchRoute(api: ServedApi, method: string, rawPath: string) {
  const { stagePrefix } = api;
  const inStage =
    stagePrefix === ''
      ? rawPath
      : rawPath === stagePrefix || rawPath.startsWith(`${stagePrefix}/`)
        ? rawPath.slice(stagePrefix.length) || '/'
        : undefined;
  return inStage === undefined ? undefined : api.matcher.match(method, inStage);
}

type Authorized =
  | { readonly jwt?: { claims: Record<string, string>; scopes: string[] | null } }
  | { readonly rejection: Answer };

/** A route without an authorizer passes; a JWT route passes with the claims API Gateway delivers. */
async function authorizeRoute(api: ServedApi, route: RouteModel, req: IncomingMessage): Promise<Authorized> {
  if (!route.authorizer) return {};
  const headerName = route.authorizer.identitySource.replace(/^\$request\.header\./, '').toLowerCase();
  const keySource = api.keySources.get(route.authorizer.issuer);
  if (!keySource) throw new Error(`no key source for issuer ${route.authorizer.issuer}: every authorizer has one`);
  const verdict = await authorize(req.headers[headerName], route.scopes, {
    issuer: route.authorizer.issuer,
    audiences: route.authorizer.audiences,
    keySource,
    identitySource: route.authorizer.identitySource,
  });
  if (verdict.status !== 200) {
    return {
      rejection: {
        status: verdict.status,
        headers: { 'content-type': 'application/json', 'www-authenticate': verdict.wwwAuthenticate },
        body: verdict.body,
        authorizerError: verdict.error.message,
      },
    };
  }
  return { jwt: { claims: claimsAsDelivered(verdict.claims), scopes: verdict.scopes } };
}

function requestFacts(exchange: Exchange, body: Buffer): RequestFacts {
  return {
    method: exchange.method,
    rawPath: exchange.rawPath,
    rawQueryString: exchange.rawQueryString,
    headers: exchange.req.headers,
    body,
    sourceIp: exchange.req.socket.remoteAddress ?? '127.0.0.1',
    requestId: exchange.requestId,
    startedAt: exchange.startedAt,
  };
}

function accessLogEntry(exchange: Exchange, routeKey: string, answer: Answer): AccessLogEntry {
  return {
    requestId: exchange.requestId,
    ip: exchange.req.socket.remoteAddress ?? '-',
    requestTime: exchange.startedAt.toISOString(),
    httpMethod: exchange.method,
    path: exchange.rawPath.slice(0, 512),
    routeKey,
    status: answer.status,
    responseLatency: Math.round(performance.now() - exchange.started),
    ...(answer.authorizerError && { authorizerError: answer.authorizerError }),
    ...(answer.errorMessage && { errorMessage: answer.errorMessage }),
  };
}

function listen(server: Server, host: string, requestedPort: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new GatewayListenError(
              `port ${requestedPort} is already in use (${host}:${requestedPort}): ` +
                'stop what runs there or pick another port with --port',
              error.code,
            )
          : new GatewayListenError(`cannot listen on ${host}:${requestedPort}: ${error.message}`, error.code),
      );
    });
    // A deep accept queue: bursts of connections (1,000 at once in the tests) must queue, not be refused.
    server.listen(requestedPort, host, 2048, () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
