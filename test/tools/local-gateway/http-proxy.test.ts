import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { IntegrationRequest } from '../../../tools/local-gateway/answer';
import {
  backendUrl,
  forwardToHttpBackend,
  httpProxyIntegration,
  type ProxiedRequest,
} from '../../../tools/local-gateway/http-proxy';
import { HttpTargetError, httpProxyTargetOf } from '../../../tools/local-gateway/http-target';
import { loadOrCreateKeyMaterial } from '../../../tools/local-idp/certificates';
import { sharedCertDir } from '../../support/test-keys';
import { thrown } from '../../support/thrown';

/** What reached the backend: one record per request. */
interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let capture: Server;
let captureUrl: string;
const received: Received[] = [];
let slow: Server;
let slowUrl: string;
let closedUrl: string;

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

beforeAll(async () => {
  capture = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      res.writeHead(201, { 'content-type': 'text/plain', 'x-backend': 'yes', connection: 'keep-alive' });
      res.end('created');
    });
  });
  captureUrl = await listen(capture);
  // Answers nothing until the test ends: the integration timeout must fire first.
  slow = createServer(() => undefined);
  slowUrl = await listen(slow);
  const closed = createServer();
  closedUrl = await listen(closed);
  await new Promise<void>((resolve) => closed.close(() => resolve()));
});

afterAll(async () => {
  for (const server of [capture, slow]) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

const target = (properties: Record<string, unknown>) =>
  httpProxyTargetOf('ApiLegacyIntegration', {
    IntegrationType: 'HTTP_PROXY',
    IntegrationMethod: 'ANY',
    PayloadFormatVersion: '1.0',
    ...properties,
  });

const request = (extra: Partial<ProxiedRequest> = {}): ProxiedRequest => ({
  method: 'POST',
  path: '/legacy/items/42',
  rawQueryString: 'a=1&a=2',
  headers: {
    host: '127.0.0.1:8080',
    authorization: 'Bearer caller-token',
    'x-wso2-sub': 'forged',
    'content-type': 'application/json',
    connection: 'keep-alive',
  },
  body: Buffer.from('{"n":1}'),
  sourceIp: '127.0.0.9',
  pathParameters: { proxy: 'items/42' },
  context: { 'authorizer.claims.sub': 'alice' },
  ...extra,
});

describe('forwardToHttpBackend', () => {
  test('the demo shape: overwrite:path, identity header mapped over a forged one, body and method kept', async () => {
    received.length = 0;
    const outcome = await forwardToHttpBackend(
      target({
        IntegrationUri: captureUrl,
        RequestParameters: {
          'overwrite:path': '$request.path',
          'overwrite:header.x-wso2-sub': '$context.authorizer.claims.sub',
        },
      }),
      request(),
    );
    expect(outcome).toMatchObject({ ok: true, status: 201, headers: { 'x-backend': 'yes' } });
    expect(outcome.ok && outcome.body.toString()).toBe('created');
    expect(outcome.ok && outcome.headers.connection).toBeUndefined();
    const [got] = received;
    expect(got.method).toBe('POST');
    expect(got.url).toBe('/legacy/items/42?a=1&a=2');
    expect(got.body).toBe('{"n":1}');
    expect(got.headers['x-wso2-sub']).toBe('alice');
    expect(got.headers.host).toBe(new URL(captureUrl).host);
    // API Gateway passes the caller's Authorization header on; only mappings may not name it.
    expect(got.headers.authorization).toBe('Bearer caller-token');
    expect(got.headers['x-forwarded-for']).toBe('127.0.0.9');
  });

  test('{proxy} in the IntegrationUri takes the greedy path parameter; a fixed IntegrationMethod wins', async () => {
    received.length = 0;
    await forwardToHttpBackend(
      target({ IntegrationUri: `${captureUrl}/base/{proxy}`, IntegrationMethod: 'GET' }),
      request({ body: Buffer.alloc(0) }),
    );
    expect(received[0]).toMatchObject({ method: 'GET', url: '/base/items/42?a=1&a=2' });
  });

  test('an unreachable backend: 500 {"message":"Internal Server Error"}, the reason in errorMessage', async () => {
    const outcome = await forwardToHttpBackend(target({ IntegrationUri: closedUrl }), request());
    expect(outcome).toEqual({
      ok: false,
      status: 500,
      body: '{"message":"Internal Server Error"}',
      errorMessage: `the integration ApiLegacyIntegration failed: ECONNREFUSED (${closedUrl})`,
    });
  });

  test('a backend slower than TimeoutInMillis: 503 {"message":"Service Unavailable"}', async () => {
    const outcome = await forwardToHttpBackend(target({ IntegrationUri: slowUrl, TimeoutInMillis: 200 }), request());
    expect(outcome).toEqual({
      ok: false,
      status: 503,
      body: '{"message":"Service Unavailable"}',
      errorMessage: 'the integration ApiLegacyIntegration did not answer within 200 ms',
    });
  });
});

describe('an https backend', () => {
  let tls: HttpsServer;
  let tlsUrl: string;
  let ca: string;
  beforeAll(async () => {
    const material = await loadOrCreateKeyMaterial(sharedCertDir());
    ca = material.tls.certPem;
    tls = createHttpsServer({ key: material.tls.keyPem, cert: material.tls.certPem }, (_, res) => res.end('tls ok'));
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', () => resolve()));
    tlsUrl = `https://localhost:${(tls.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    tls.closeAllConnections();
    await new Promise<void>((resolve) => tls.close(() => resolve()));
  });

  test('a certificate no public CA signed: 500, as API Gateway refuses it', async () => {
    const outcome = await forwardToHttpBackend(target({ IntegrationUri: tlsUrl }), request());
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.errorMessage).toMatch(
      /failed: (DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)/,
    );
  });

  test('trusted through --ca-file (a local convenience), besides the public CAs', async () => {
    const outcome = await forwardToHttpBackend(target({ IntegrationUri: tlsUrl }), request(), { ca });
    expect(outcome.ok && outcome.body.toString()).toBe('tls ok');
  });
});

describe('backendUrl', () => {
  test('path variables are filled in encoded, segment by segment', () => {
    const url = backendUrl(
      target({ IntegrationUri: 'https://backend.example.com/v1/{proxy}' }),
      { rawQueryString: '', pathParameters: { proxy: 'a b/c' } },
      { query: [['x', '1']] },
    );
    expect(url.href).toBe('https://backend.example.com/v1/a%20b/c?x=1');
  });
});

describe('httpProxyTargetOf', () => {
  test.each([
    [{ IntegrationUri: 'backend.example.com' }, 'IntegrationUri "backend.example.com" is not an absolute URL'],
    [
      { IntegrationUri: 'ftp://backend.example.com' },
      'IntegrationUri "ftp://backend.example.com" must be http:// or https://',
    ],
    [
      { IntegrationUri: 'http://b', TimeoutInMillis: 30001 },
      'TimeoutInMillis must be an integer from 50 to 30000, got 30001',
    ],
  ])('%j is refused with a message naming the field', (properties, message) => {
    const error = thrown(() => target(properties));
    expect(error).toBeInstanceOf(HttpTargetError);
    expect(error.message).toBe(`integration ApiLegacyIntegration: ${message}`);
  });

  test('a VPC link or a deploy-time URL is not served locally: its routes answer 500 with the reason', async () => {
    const vpcLink = target({
      IntegrationUri: 'arn:aws:elasticloadbalancing:eu-west-1:1:listener/x',
      ConnectionType: 'VPC_LINK',
    });
    expect(vpcLink.notServedLocally).toBe(
      'integration ApiLegacyIntegration is a private integration through a VPC link, which cannot be reached locally',
    );
    const computed = target({ IntegrationUri: { 'Fn::GetAtt': ['Lb', 'DNSName'] } });
    expect(computed.notServedLocally).toBe(
      'integration ApiLegacyIntegration: IntegrationUri {"Fn::GetAtt":["Lb","DNSName"]} is known only at deploy time',
    );
    const warnings: string[] = [];
    const integration = httpProxyIntegration(vpcLink, { warn: (message) => warnings.push(message) });
    expect(warnings).toEqual([`WARNING: ${vpcLink.notServedLocally}: its routes answer 500 locally.`]);
    const answer = await integration({} as IntegrationRequest);
    expect(answer).toEqual({
      status: 500,
      headers: { 'content-type': 'application/json' },
      body: '{"message":"Internal Server Error"}',
      errorMessage: vpcLink.notServedLocally,
    });
  });

  test('TimeoutInMillis defaults to 30,000 ms, IntegrationMethod to ANY', () => {
    expect(httpProxyTargetOf('I', { IntegrationUri: 'http://b' })).toMatchObject({ timeoutMs: 30000, method: 'ANY' });
  });
});
