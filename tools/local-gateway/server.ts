import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authorize, claimsAsDelivered, IssuerKeySource, type KeyFetchOutcome } from '../../rules/jwt';
import { type ApiModel, loadApiModel, type RouteModel } from './cloud-assembly';
import { isPreflight, preflightHeaders, responseCorsHeaders } from './cors';
import { LocalFunction } from './lambda-runtime';
import { buildEventV2, newRequestId, resultToHttp } from './payload-v2';
import { answerClientError } from '../cli/client-error';
import { readBody } from '../cli/read-body';
import { RouteMatcher } from './route-matcher';

export const DEFAULT_GATEWAY_PORT = 8080;
// API Gateway's payload limit for HTTP APIs.
const MAX_BODY_BYTES = 10 * 1024 * 1024;

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
}

export interface RunningGateway {
  readonly port: number;
  /** `http://127.0.0.1:<port>` plus `/<stage>` when the stage is not `$default`. */
  readonly url: string;
  readonly model: ApiModel;
  /** Issuer checks made at start-up, by issuer. */
  readonly issuerChecks: ReadonlyMap<string, KeyFetchOutcome>;
  close(): Promise<void>;
}

export class GatewayListenError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'GatewayListenError';
  }
}

const json = (message: string) => JSON.stringify({ message });

/**
 * Serves a synthesized HTTP API locally: routes as API Gateway matches them, CORS preflight,
 * JWT routes judged by authorizer-rules against the issuer's real keys, and the bundled
 * Lambda asset invoked in-process with a payload-2.0 event.
 */
export async function startGateway(options: GatewayOptions = {}): Promise<RunningGateway> {
  const model = loadApiModel(options.cdkOutDir ?? 'cdk.out', options.stackName);
  const warn = options.warn ?? ((message: string) => process.stderr.write(`${message}\n`));
  const accessLog =
    options.accessLog ?? ((entry: AccessLogEntry) => process.stdout.write(`${JSON.stringify(entry)}\n`));
  const ca = options.caFile ? readFileSync(options.caFile, 'utf8') : undefined;

  const keySources = new Map<string, IssuerKeySource>();
  for (const authorizer of model.authorizers) {
    if (!keySources.has(authorizer.issuer)) {
      keySources.set(
        authorizer.issuer,
        new IssuerKeySource({ issuer: authorizer.issuer, ca, minRefetchIntervalMs: options.minRefetchIntervalMs }),
      );
    }
  }
  const issuerChecks = new Map<string, KeyFetchOutcome>();
  for (const [issuer, source] of keySources) {
    const outcome = await source.refresh();
    issuerChecks.set(issuer, outcome);
    if (!outcome.ok) {
      warn(
        `WARNING: the issuer ${issuer} cannot be used: ${outcome.error.message}. Every protected route will answer ` +
          `401 until it ` +
          `can${ca ? '' : ' (for a self-signed issuer such as a local WSO2 IS, pass --ca-file <its certificate>)'}.`,
      );
    } else if (outcome.discovery.documentIssuer !== issuer) {
      warn(
        `WARNING: the discovery document of ${issuer} names the issuer ` +
          `${JSON.stringify(outcome.discovery.documentIssuer)}; tokens must carry iss ${JSON.stringify(issuer)} ` +
          `exactly.`,
      );
    }
  }

  const functions = new Map<string, LocalFunction>();
  for (const route of model.routes) {
    if (!functions.has(route.function.logicalId))
      functions.set(route.function.logicalId, new LocalFunction(route.function));
  }
  const matcher = new RouteMatcher(model.routes);
  const stagePrefix = model.stageName === '$default' ? '' : `/${model.stageName}`;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const startedAt = new Date();
    const requestId = newRequestId();
    const method = (req.method ?? 'GET').toUpperCase();
    const target = req.url ?? '/';
    const question = target.indexOf('?');
    const rawPath = question < 0 ? target : target.slice(0, question);
    const rawQueryString = question < 0 ? '' : target.slice(question + 1);
    let routeKey = '-';
    let authorizerError: string | undefined;
    let errorMessage: string | undefined;
    const corsHeaders = model.cors ? responseCorsHeaders(model.cors, req.headers.origin) : {};

    const send = (status: number, headers: Record<string, string | string[]>, body: Buffer | string) => {
      const bytes = typeof body === 'string' ? Buffer.from(body) : body;
      res.writeHead(status, {
        ...headers,
        ...corsHeaders,
        'content-length': bytes.length,
        'apigw-requestid': requestId,
      });
      res.end(method === 'HEAD' ? undefined : bytes);
      accessLog({
        requestId,
        ip: req.socket.remoteAddress ?? '-',
        requestTime: startedAt.toISOString(),
        httpMethod: method,
        path: rawPath.slice(0, 512),
        routeKey,
        status,
        responseLatency: Math.round(performance.now() - started),
        ...(authorizerError && { authorizerError }),
        ...(errorMessage && { errorMessage }),
      });
    };

    if (model.cors && isPreflight(method, req.headers)) {
      routeKey = 'OPTIONS (CORS preflight)';
      // Preflight headers replace the response CORS headers.
      const headers = preflightHeaders(model.cors, req.headers);
      res.writeHead(204, { ...headers, 'apigw-requestid': requestId });
      res.end();
      accessLog({
        requestId,
        ip: req.socket.remoteAddress ?? '-',
        requestTime: startedAt.toISOString(),
        httpMethod: method,
        path: rawPath.slice(0, 512),
        routeKey,
        status: 204,
        responseLatency: Math.round(performance.now() - started),
      });
      return;
    }

    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === null) {
      res.destroy();
      return;
    }
    if (body === undefined) {
      errorMessage = 'Request Entity Too Large';
      res.setHeader('connection', 'close');
      return send(413, { 'content-type': 'application/json' }, json('Request Entity Too Large'));
    }

    const inStage =
      stagePrefix === ''
        ? rawPath
        : rawPath === stagePrefix || rawPath.startsWith(`${stagePrefix}/`)
          ? rawPath.slice(stagePrefix.length) || '/'
          : undefined;
    const matched = inStage === undefined ? undefined : matcher.match(method, inStage);
    if (!matched) {
      errorMessage = 'Not Found';
      return send(404, { 'content-type': 'application/json' }, json('Not Found'));
    }
    const route: RouteModel = matched.route;
    routeKey = route.routeKey;

    let jwt: { claims: Record<string, string>; scopes: string[] | null } | undefined;
    if (route.authorizer) {
      const headerName = route.authorizer.identitySource.replace(/^\$request\.header\./, '').toLowerCase();
      const keySource = keySources.get(route.authorizer.issuer);
      if (!keySource) throw new Error(`no key source for issuer ${route.authorizer.issuer}: every authorizer has one`);
      const verdict = await authorize(req.headers[headerName], route.scopes, {
        issuer: route.authorizer.issuer,
        audiences: route.authorizer.audiences,
        keySource,
        identitySource: route.authorizer.identitySource,
      });
      if (verdict.status !== 200) {
        authorizerError = verdict.error.message;
        return send(
          verdict.status,
          { 'content-type': 'application/json', 'www-authenticate': verdict.wwwAuthenticate },
          verdict.body,
        );
      }
      jwt = { claims: claimsAsDelivered(verdict.claims), scopes: verdict.scopes };
    }

    const event = buildEventV2(
      {
        method,
        rawPath,
        rawQueryString,
        headers: req.headers,
        body,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        requestId,
        startedAt,
      },
      {
        routeKey: route.routeKey,
        stageName: model.stageName,
        apiId: 'local',
        pathParameters: matched.pathParameters,
        ...(jwt && { jwt }),
      },
    );
    let result: unknown;
    try {
      const fn = functions.get(route.function.logicalId);
      if (!fn) throw new Error(`no local function ${route.function.logicalId}: every route's function has one`);
      result = await fn.invoke(event, requestId);
    } catch (error) {
      errorMessage = (error as Error).message;
      return send(500, { 'content-type': 'application/json' }, json('Internal Server Error'));
    }
    let http: ReturnType<typeof resultToHttp>;
    try {
      http = resultToHttp(result);
    } catch (error) {
      errorMessage = `the function's response cannot be mapped: ${(error as Error).message}`;
      return send(500, { 'content-type': 'application/json' }, json('Internal Server Error'));
    }
    send(http.status, http.headers, http.body);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug here must not open a route or kill the server: answer 500 and keep serving.
      process.stderr.write(
        `local-gateway: internal error on ${req.method} ${(req.url ?? '').slice(0, 200)}: ` +
          `${(error as Error)?.stack ?? String(error)}\n`,
      );
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(json('Internal Server Error'));
      } else res.destroy();
    });
  });
  server.on('clientError', answerClientError);

  const requestedPort = options.port ?? DEFAULT_GATEWAY_PORT;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new GatewayListenError(
              `port ${requestedPort} is already in use (${host}:${requestedPort}): stop what runs there or pick ` +
                `another port with --port`,
              error.code,
            )
          : new GatewayListenError(`cannot listen on ${host}:${requestedPort}: ${error.message}`, error.code),
      );
    });
    // A deep accept queue: bursts of connections (1,000 at once in the tests) must queue, not be refused.
    server.listen(requestedPort, host, 2048, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}${stagePrefix}`,
    model,
    issuerChecks,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
