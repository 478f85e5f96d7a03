import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerClientError } from '../cli/client-error';
import { readBody } from '../cli/read-body';

/** The dev environment's `legacy` HTTP target (cdk.json) points here. */
export const DEFAULT_BACKEND_PORT = 9081;
/** The identity headers the demo's HTTP proxy route maps from the token's claims. */
export const DEFAULT_IDENTITY_HEADER_PREFIX = 'x-wso2-';
const MAX_BODY_BYTES = 1024 * 1024;

export interface EchoBackendOptions {
  /** @default 9081; 0 picks a free port */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** Headers whose name starts with this are echoed. @default 'x-wso2-' */
  readonly identityHeaderPrefix?: string;
}

export interface RunningEchoBackend {
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

/** What the echo backend answers: what reached it, minus anything secret. */
export interface EchoResponse {
  readonly method: string;
  /** The path as received, not decoded. */
  readonly path: string;
  /** Query parameters as received (repeats kept in order). */
  readonly query: Record<string, string[]>;
  /** Only the identity headers (lower-case names); never Authorization or any other header. */
  readonly identity: Record<string, string>;
  readonly bodyBytes: number;
}

/** The echo response for one request: pure, so the rule "never echo a credential" is testable alone. */
export function echoOf(
  method: string,
  target: string,
  headers: IncomingMessage['headers'],
  bodyBytes: number,
  identityHeaderPrefix = DEFAULT_IDENTITY_HEADER_PREFIX,
): EchoResponse {
  const url = new URL(target, 'http://backend.invalid');
  const query: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = [...(query[name] ?? []), value];
  }
  const identity: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || !name.startsWith(identityHeaderPrefix)) continue;
    identity[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return { method, path: url.pathname, query, identity, bodyBytes };
}

/**
 * A small HTTP backend for the demo's HTTP proxy route and the tests: answers every request with
 * JSON saying which method, path, query and identity headers reached it.
 */
export async function startEchoBackend(options: EchoBackendOptions = {}): Promise<RunningEchoBackend> {
  const prefix = (options.identityHeaderPrefix ?? DEFAULT_IDENTITY_HEADER_PREFIX).toLowerCase();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    readBody(req, MAX_BODY_BYTES).then((body) => {
      if (body === null) {
        res.destroy();
        return;
      }
      const echo = echoOf(req.method ?? 'GET', req.url ?? '/', req.headers, body?.length ?? MAX_BODY_BYTES, prefix);
      const text = JSON.stringify(echo);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
  });
  server.on('clientError', answerClientError);
  const requestedPort = options.port ?? DEFAULT_BACKEND_PORT;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `port ${requestedPort} is already in use (${host}:${requestedPort}): pick another port`
            : `cannot listen on ${host}:${requestedPort}: ${error.message}`,
        ),
      ),
    );
    server.listen(requestedPort, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
