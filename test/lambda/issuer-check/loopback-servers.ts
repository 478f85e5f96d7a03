/**
 * Loopback stand-ins for what the deploy-time check talks to: an HTTPS issuer whose answers a
 * test scripts (self-signed certificate made in memory), CloudFormation's DescribeStacks
 * endpoint (AWS query protocol, XML), and the pre-signed response URL. Each counts its requests
 * so a test can prove that nothing was called.
 */
import { listenOnLoopback } from '../../support/loopback';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { generate } from 'selfsigned';

export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

export interface LoopbackIssuer {
  /** `https://127.0.0.1:<port>` */
  readonly origin: string;
  readonly certPem: string;
  /** Paths requested, in order. */
  readonly requests: string[];
  /** Answers by path; a function is called per request (its call count is the request count). */
  routes: Record<string, Answer | (() => Answer)>;
  close(): Promise<void>;
}

export async function startLoopbackIssuer(): Promise<LoopbackIssuer> {
  const tls = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  const requests: string[] = [];
  const state: { routes: LoopbackIssuer['routes'] } = { routes: {} };
  const server = createHttpsServer({ key: tls.private, cert: tls.cert }, (request, response) => {
    // Paths are compared decoded: a non-ASCII tenant arrives percent-encoded.
    const path = decodeURIComponent((request.url ?? '/').split('?')[0]);
    requests.push(path);
    const route = state.routes[path];
    const answer = typeof route === 'function' ? route() : (route ?? { status: 404, body: { error: 'not found' } });
    sendJson(response, answer.status, answer.body);
  });
  const { port, close } = await listenOnLoopback(server);
  return {
    origin: `https://127.0.0.1:${port}`,
    certPem: tls.cert,
    requests,
    get routes() {
      return state.routes;
    },
    set routes(value) {
      state.routes = value;
    },
    close,
  };
}

export interface LoopbackCloudFormation {
  readonly endpoint: string;
  /** The form bodies of the requests received (Action=DescribeStacks&StackName=...). */
  readonly requests: URLSearchParams[];
  close(): Promise<void>;
}

/** Answers DescribeStacks with one stack in `status`, as the AWS query protocol does. */
export async function startLoopbackCloudFormation(status: string): Promise<LoopbackCloudFormation> {
  const requests: URLSearchParams[] = [];
  const server = createHttpServer(async (request, response) => {
    const form = new URLSearchParams(await readBody(request));
    requests.push(form);
    const stackId = form.get('StackName') ?? '';
    response.writeHead(200, { 'content-type': 'text/xml' });
    response.end(
      `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">` +
        `<DescribeStacksResult><Stacks><member><StackName>Wso2JwtHttpApi-prod</StackName>` +
        `<StackId>${stackId}</StackId><StackStatus>${status}</StackStatus>` +
        `<CreationTime>2026-01-01T00:00:00Z</CreationTime></member></Stacks></DescribeStacksResult>` +
        `<ResponseMetadata><RequestId>1b2c</RequestId></ResponseMetadata></DescribeStacksResponse>`,
    );
  });
  const { port, close } = await listenOnLoopback(server);
  return { endpoint: `http://127.0.0.1:${port}`, requests, close };
}

export interface ResponseUrl {
  readonly url: string;
  /** The raw PUT body CloudFormation would receive, and its request. */
  received(): Promise<{ request: IncomingMessage; raw: Buffer; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** A stand-in for CloudFormation's pre-signed response URL. */
export async function startResponseUrl(): Promise<ResponseUrl> {
  let deliver: (value: { request: IncomingMessage; raw: Buffer; body: Record<string, unknown> }) => void = () => {};
  const arrived = new Promise<{ request: IncomingMessage; raw: Buffer; body: Record<string, unknown> }>((resolve) => {
    deliver = resolve;
  });
  const server = createHttpServer(async (request, response) => {
    const raw = Buffer.from(await readBody(request), 'utf8');
    response.end();
    deliver({ request, raw, body: JSON.parse(raw.toString('utf8')) });
  });
  const { port, close } = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}/cfn-response?X-Amz-Signature=abc`,
    received: () => arrived,
    close,
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
