/**
 * Issue 3 item 5: the gateway and the identity provider stay up and keep answering correctly
 * under bad input, a thousand concurrent connections and a bounded run of mixed requests, with
 * memory that does not keep growing. The load's size: test/support/load.ts (npm run fuzz runs
 * issue 3's full 1,000 connections to each server and 10,000 requests).
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import {
  accessTokenClaims,
  httpCall,
  httpsCall,
  type LocalStack,
  nowSeconds,
  useLocalStack,
} from '../support/local-stack';
import { loadSize } from '../support/load';
import { type RunningIdentityProvider, startIdentityProvider } from '../../tools/local-idp/server';

const LOAD = loadSize();

let stack: LocalStack;
useLocalStack((started) => (stack = started));

// An identity provider of this file's own for the abuse aimed at one: the run's shared one
// (which the gateway fetches its keys from) keeps serving the other test files undisturbed.
let idp: RunningIdentityProvider;
let idpCa: string;
beforeAll(async () => {
  idp = await startIdentityProvider({ port: 0 });
  idpCa = readFileSync(idp.tlsCertFile, 'utf8');
});
afterAll(() => idp?.close());

const now = nowSeconds;
const claims = (extra: Record<string, unknown> = {}) => accessTokenClaims(stack, { sub: 'load', ...extra });

function rssKb(pid: number): number | undefined {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  } catch {
    return undefined;
  }
}

/** Sends raw bytes (for what an HTTP client library refuses to send) and returns the status line. */
function rawRequest(port: number, bytes: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1').split('\r\n')[0]));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error('raw request timed out')));
  });
}

async function stillHealthy() {
  expect((await httpCall(`${stack.gatewayUrl}/health`)).status).toBe(200);
  expect((await httpsCall(`${idp.origin}/oauth2/jwks`, { ca: idpCa })).status).toBe(200);
}

describe('bad input', () => {
  test('a 64 KB header: 431 from both servers, which keep serving', async () => {
    const big = 'x'.repeat(64 * 1024);
    expect((await httpCall(`${stack.gatewayUrl}/hello`, { headers: { 'x-big': big }, agent: false })).status).toBe(431);
    expect((await httpsCall(`${idp.origin}/oauth2/jwks`, { ca: idpCa, headers: { 'x-big': big } })).status).toBe(431);
    await stillHealthy();
  });

  test('a 1 MB token: 431 as a header, 413 at the token endpoint, 401 when the rules see it', async () => {
    const huge = `${'a'.repeat(512 * 1024)}.${'b'.repeat(512 * 1024)}.c`;
    expect(
      (await httpCall(`${stack.gatewayUrl}/hello`, { headers: { authorization: `Bearer ${huge}` }, agent: false }))
        .status,
    ).toBe(431);
    const tokenEndpoint = await httpsCall(`${idp.origin}/oauth2/token`, {
      method: 'POST',
      ca: idpCa,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&assertion=${huge}`,
    });
    expect(tokenEndpoint.status).toBe(413);
    expect(JSON.parse(tokenEndpoint.body)).toEqual({
      error: 'invalid_request',
      error_description: 'the request body is larger than 65536 bytes',
    });
    // HTTP APIs refuse more than 10,240 bytes of request line and header values: a 12 KB token never
    // reaches the authorizer (issue 12); an 8 KB one fits and the rules reject it cleanly.
    const tooLong = `${'a'.repeat(6000)}.${'b'.repeat(6000)}.c`;
    expect(
      (await httpCall(`${stack.gatewayUrl}/hello`, { headers: { authorization: `Bearer ${tooLong}` } })).status,
    ).toBe(431);
    const long = `${'a'.repeat(4000)}.${'b'.repeat(4000)}.c`;
    const judged = await httpCall(`${stack.gatewayUrl}/hello`, { headers: { authorization: `Bearer ${long}` } });
    expect(judged.status).toBe(401);
    expect(judged.headers['www-authenticate']).toBe(
      'Bearer scope="" error="invalid_token" error_description="the token is malformed"',
    );
    await stillHealthy();
  });

  test('invalid UTF-8 in the Authorization header, the path and the body', async () => {
    const gatewayPort = Number(new URL(stack.gatewayUrl).port);
    const header = Buffer.concat([
      Buffer.from('GET /hello HTTP/1.1\r\nhost: x\r\nconnection: close\r\nauthorization: Bearer '),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from('\r\n\r\n'),
    ]);
    expect(await rawRequest(gatewayPort, header)).toBe('HTTP/1.1 401 Unauthorized');
    const path = Buffer.concat([
      Buffer.from('GET /he'),
      Buffer.from([0xff]),
      Buffer.from('llo HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'),
    ]);
    expect(await rawRequest(gatewayPort, path)).toMatch(/^HTTP\/1\.1 (400|404) /);
    const token = await stack.signingKey.sign(claims());
    const body = await httpCall(`${stack.gatewayUrl}/hello`, {
      // Node's client sends a GET body without a length unless told: say it.
      method: 'GET',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': '4' },
      body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]),
    });
    expect(body.status).toBe(200);
    const tokenAnswer = await httpsCall(`${idp.origin}/oauth2/token`, {
      method: 'POST',
      ca: idpCa,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.from([0x67, 0x3d, 0xff, 0xfe]),
    });
    expect(tokenAnswer.status).toBe(401);
    expect(JSON.parse(tokenAnswer.body).error).toBe('invalid_client');
    await stillHealthy();
  });

  test('a non-JSON body to the gateway and a JSON body to the token endpoint', async () => {
    const token = await stack.signingKey.sign(claims());
    const gateway = await httpCall(`${stack.gatewayUrl}/hello`, {
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': '9' },
      body: '{not json',
    });
    expect(gateway.status).toBe(200);
    const tokenAnswer = await httpsCall(`${idp.origin}/oauth2/token`, {
      method: 'POST',
      ca: idpCa,
      headers: { 'content-type': 'application/json' },
      body: '{"grant_type":',
    });
    expect(tokenAnswer.status).toBe(400);
    expect(JSON.parse(tokenAnswer.body)).toEqual({
      error: 'invalid_request',
      error_description:
        'the request body must be application/x-www-form-urlencoded, got content-type "application/json"',
    });
    await stillHealthy();
  });
});

describe('load', () => {
  const concurrent =
    `${LOAD.gatewayConnections} concurrent connections to the gateway and ${LOAD.idpConnections} ` +
    'to the identity provider all get the right answer';
  test(concurrent, async () => {
    const token = await stack.signingKey.sign(claims());
    const gatewayCalls = Array.from({ length: LOAD.gatewayConnections }, (_, i) =>
      httpCall(`${stack.gatewayUrl}/hello`, {
        agent: false,
        headers: i % 2 === 0 ? { authorization: `Bearer ${token}` } : {},
      }).then(
        (r) => (r.status === (i % 2 === 0 ? 200 : 401) ? 'ok' : `gateway ${r.status}`),
        (e: Error) => `gateway ${e.message}`,
      ),
    );
    const idpCalls = Array.from({ length: LOAD.idpConnections }, () =>
      httpsCall(`${idp.origin}/oauth2/jwks`, { ca: idpCa }).then(
        (r) => (r.status === 200 ? 'ok' : `idp ${r.status}`),
        (e: Error) => `idp ${e.message}`,
      ),
    );
    const results = await Promise.all([...gatewayCalls, ...idpCalls]);
    expect(results.filter((result) => result !== 'ok')).toEqual([]);
    await stillHealthy();
  }, 60_000);

  test(`${LOAD.mixedRequests} mixed valid and invalid requests: every answer right, memory bounded`, async () => {
    const valid = await stack.signingKey.sign(claims());
    const withReports = await stack.signingKey.sign(claims({ scope: 'reports:read' }));
    const expired = await stack.signingKey.sign(claims({ exp: now() - 10 }));
    const wrongKid = await stack.signingKey.sign(claims(), { kid: `bogus-${Date.now()}` });
    const mix: Array<{ path: string; method?: string; headers: Record<string, string>; status: number }> = [
      { path: '/hello', headers: { authorization: `Bearer ${valid}` }, status: 200 },
      { path: '/me', headers: { authorization: valid }, status: 200 },
      { path: '/reports', headers: { authorization: `Bearer ${withReports}` }, status: 200 },
      { path: '/reports', headers: { authorization: `Bearer ${valid}` }, status: 403 },
      { path: '/hello', headers: {}, status: 401 },
      { path: '/hello', headers: { authorization: `Bearer ${expired}` }, status: 401 },
      { path: '/hello', headers: { authorization: `Bearer ${wrongKid}` }, status: 401 },
      { path: '/hello', headers: { authorization: 'Bearer garbage' }, status: 401 },
      { path: '/health', headers: {}, status: 200 },
      { path: '/missing', headers: {}, status: 404 },
      {
        path: '/hello',
        method: 'OPTIONS',
        headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'GET' },
        status: 204,
      },
    ];
    const agent = new Agent({ keepAlive: true, maxSockets: 50 });
    const { pid } = stack.gateway.child;
    if (pid === undefined) throw new Error('the gateway process has no pid');
    const total = LOAD.mixedRequests;
    let next = 0;
    let wrong = 0;
    let baseline: number | undefined;
    const started = Date.now();
    const worker = async () => {
      while (next < total) {
        const n = next++;
        const call = mix[n % mix.length];
        const response = await new Promise<number>((resolve, reject) => {
          const req = request(
            `${stack.gatewayUrl}${call.path}`,
            { method: call.method ?? 'GET', headers: call.headers, agent },
            (res) => {
              res.resume();
              res.on('end', () => resolve(res.statusCode ?? 0));
            },
          );
          req.on('error', reject);
          req.end();
        });
        if (response !== call.status) wrong++;
        if (n === LOAD.baselineAfter) baseline = rssKb(pid);
      }
    };
    await Promise.all(Array.from({ length: 50 }, worker));
    const seconds = (Date.now() - started) / 1000;
    agent.destroy();
    const final = rssKb(pid);
    expect(wrong).toBe(0);
    process.stdout.write(
      `${total} mixed requests in ${seconds.toFixed(1)} s (${Math.round(total / seconds)} req/s); gateway RSS ` +
        `${baseline} kB after ${LOAD.baselineAfter}, ${final} kB after ${total}\n`,
    );
    if (baseline !== undefined && final !== undefined) expect(final - baseline).toBeLessThan(64 * 1024);
    await stillHealthy();
  }, 60_000);
});
