import { randomBytes } from 'node:crypto';
import { Agent as HttpAgent, type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { Integration, IntegrationRequest } from './answer';
import type { HttpProxyTargetModel } from './http-target';
import { applyRequestParameters, type MappingSource } from './parameter-mapping';

/** The caller's request as the gateway received it, for one HTTP proxy integration. */
export interface ProxiedRequest {
  readonly method: string;
  /** Without the stage prefix, not decoded. */
  readonly path: string;
  readonly rawQueryString: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly sourceIp: string;
  /** Path parameters of the matched route, decoded (as `$request.path.<name>` gives them). */
  readonly pathParameters: Readonly<Record<string, string>>;
  /** `$context` variables by name, e.g. `requestId`, `authorizer.claims.sub`. */
  readonly context: Readonly<Record<string, string>>;
}

export type ProxyOutcome =
  | {
      readonly ok: true;
      readonly status: number;
      readonly headers: Record<string, string | string[]>;
      readonly body: Buffer;
    }
  | {
      readonly ok: false;
      /** What API Gateway answers the caller. */
      readonly status: number;
      readonly body: string;
      /** `$context.integrationErrorMessage`: why, for the access log (never a header value). */
      readonly errorMessage: string;
    };

// Connection-level headers never travel past a proxy (RFC 9110 7.6.1); host and length are rewritten.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
]);
// API Gateway's largest integration response.
const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
const httpAgent = new HttpAgent({ keepAlive: true });

/**
 * The answers API Gateway gives an HTTP API caller when the integration fails. Sources and what
 * is verified are in docs/local-targets.md ("Fidelity notes").
 */
export const INTEGRATION_FAILED = { status: 500, body: JSON.stringify({ message: 'Internal Server Error' }) };
export const INTEGRATION_TIMED_OUT = { status: 503, body: JSON.stringify({ message: 'Service Unavailable' }) };

/** Where the request goes: the IntegrationUri with path variables filled in, then the mapped path and query. */
export function backendUrl(
  target: HttpProxyTargetModel,
  request: Pick<ProxiedRequest, 'rawQueryString' | 'pathParameters'>,
  mapped: { path?: string; query: Array<[string, string]> },
): URL {
  const filled = target.uri.replace(/\{([^}+]+)\+?\}/g, (whole, name: string) => {
    const value = request.pathParameters[name];
    if (value === undefined) return whole;
    // A greedy variable keeps its slashes; every segment is sent encoded, as it travels on the wire.
    return value
      .split('/')
      .map((segment) => encodeURIComponent(segment))
      .join('/');
  });
  const url = new URL(filled);
  if (mapped.path !== undefined) url.pathname = mapped.path.startsWith('/') ? mapped.path : `/${mapped.path}`;
  const search = new URLSearchParams(url.search);
  for (const [name, value] of mapped.query) search.append(name, value);
  url.search = search.toString();
  return url;
}

/**
 * Sends the caller's request to an HTTP backend as an HTTP_PROXY integration does: the caller's
 * method (or IntegrationMethod), headers and body, the route's request parameter mappings applied,
 * the integration timeout enforced; the backend's status, headers and body come back as they are.
 */
export async function forwardToHttpBackend(
  target: HttpProxyTargetModel,
  request: ProxiedRequest,
  options: { readonly ca?: string } = {},
): Promise<ProxyOutcome> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const source: MappingSource = {
    headers,
    query: new URLSearchParams(request.rawQueryString),
    path: request.path,
    pathParameters: request.pathParameters,
    context: request.context,
  };
  const callerQuery = [...new URLSearchParams(request.rawQueryString).entries()];
  const mapped = applyRequestParameters(target.requestParameters, source, { headers, query: callerQuery });
  const url = backendUrl(target, request, mapped);
  const outgoing: Record<string, string> = {
    ...mapped.headers,
    'x-forwarded-for': headers['x-forwarded-for']
      ? `${headers['x-forwarded-for']}, ${request.sourceIp}`
      : request.sourceIp,
    'x-forwarded-proto': 'http',
    'x-amzn-trace-id': `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`,
  };
  if (request.body.length > 0) outgoing['content-length'] = String(request.body.length);
  const method = target.method === 'ANY' ? request.method : target.method;

  return new Promise<ProxyOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: ProxyOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const fail = (errorMessage: string) => finish({ ok: false, ...INTEGRATION_FAILED, errorMessage });
    const https = url.protocol === 'https:';
    const send = https ? httpsRequest : httpRequest;
    const req = send(url, {
      method,
      headers: outgoing,
      // An extra CA (--ca-file) is trusted besides the public ones, never instead of them.
      agent: https ? new HttpsAgent({ ca: options.ca && [...rootCertificates, options.ca] }) : httpAgent,
    });
    const timer = setTimeout(() => {
      finish({
        ok: false,
        ...INTEGRATION_TIMED_OUT,
        errorMessage: `the integration ${target.logicalId} did not answer within ${target.timeoutMs} ms`,
      });
      req.destroy();
    }, target.timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) =>
      fail(`the integration ${target.logicalId} failed: ${error.code ?? error.message} (${url.origin})`),
    );
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) {
          fail(`the integration ${target.logicalId} answered more than ${MAX_RESPONSE_BYTES} bytes`);
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', () => fail(`the integration ${target.logicalId} broke off its response`));
      res.on('end', () => {
        const responseHeaders: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined && !HOP_BY_HOP.has(name)) responseHeaders[name] = value;
        }
        finish({ ok: true, status: res.statusCode ?? 502, headers: responseHeaders, body: Buffer.concat(chunks) });
      });
    });
    req.end(request.body.length > 0 ? request.body : undefined);
  });
}

/** `$context` variables a mapping may read, from the matched and authorized request. */
export function contextVariables(request: IntegrationRequest): Record<string, string> {
  const { facts } = request;
  const host = typeof facts.headers.host === 'string' ? facts.headers.host : 'localhost';
  const context: Record<string, string> = {
    requestId: facts.requestId,
    apiId: 'local',
    stage: request.stageName,
    routeKey: request.route.routeKey,
    httpMethod: facts.method,
    path: facts.rawPath,
    protocol: 'HTTP/1.1',
    requestTimeEpoch: String(facts.startedAt.getTime()),
    domainName: host,
    domainPrefix: host.split('.')[0],
    'identity.sourceIp': facts.sourceIp,
    'identity.userAgent': typeof facts.headers['user-agent'] === 'string' ? facts.headers['user-agent'] : '',
  };
  for (const [name, value] of Object.entries(request.jwt?.claims ?? {})) context[`authorizer.claims.${name}`] = value;
  return context;
}

/** The route's HTTP proxy integration as the gateway's steps call it; failures become API Gateway's answers. */
export function httpProxyIntegration(
  target: HttpProxyTargetModel,
  options: { readonly ca?: string; readonly warn?: (message: string) => void } = {},
): Integration {
  const { notServedLocally } = target;
  if (notServedLocally) {
    options.warn?.(`WARNING: ${notServedLocally}: its routes answer 500 locally.`);
    return async () => ({
      status: INTEGRATION_FAILED.status,
      headers: { 'content-type': 'application/json' },
      body: INTEGRATION_FAILED.body,
      errorMessage: notServedLocally,
    });
  }
  return async (request) => {
    const { facts } = request;
    const stagePrefix = request.stageName === '$default' ? '' : `/${request.stageName}`;
    const outcome = await forwardToHttpBackend(
      target,
      {
        method: facts.method,
        path: facts.rawPath.slice(stagePrefix.length) || '/',
        rawQueryString: facts.rawQueryString,
        headers: facts.headers,
        body: facts.body,
        sourceIp: facts.sourceIp,
        pathParameters: request.pathParameters ?? {},
        context: contextVariables(request),
      },
      options,
    );
    if (!outcome.ok)
      return {
        status: outcome.status,
        headers: { 'content-type': 'application/json' },
        body: outcome.body,
        errorMessage: outcome.errorMessage,
      };
    return { status: outcome.status, headers: outcome.headers, body: outcome.body };
  };
}
