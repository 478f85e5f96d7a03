import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { BodyBudget, MAX_PAYLOAD_BYTES } from '../../../tools/local-gateway/quotas';
import { type RunningGateway, startGateway } from '../../../tools/local-gateway/server';
import { writeMisbehavingAssembly } from '../../fixtures/misbehaving-assembly';

type Reply = { status: number; body: string; headers: Record<string, string | string[] | undefined> };

/**
 * One request on a fresh connection. `declaredLength` sends a content-length and `body` (maybe
 * nothing): the answer must come without the gateway waiting for the rest.
 */
function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer; chunks?: Buffer[] } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    if (options.chunks) for (const chunk of options.chunks) req.write(chunk);
    if (options.body) req.write(options.body);
    // A declared body that is never sent: the request stays open until the answer.
    if (options.headers?.['content-length'] === undefined || options.body || options.chunks) req.end();
    else req.flushHeaders();
  });
}

describe("the local gateway applies API Gateway's HTTP API quotas", () => {
  let outDir: string;
  let gateway: RunningGateway;

  beforeAll(async () => {
    outDir = writeMisbehavingAssembly({}, { protectedIssuer: 'https://127.0.0.1:1/unreachable' });
    gateway = await startGateway({ cdkOutDir: outDir, port: 0, accessLog: () => undefined, warn: () => undefined });
  });
  afterAll(async () => {
    await gateway.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  /** Pads a header so that the request line plus the header values are exactly `total` bytes. */
  const paddedHeaders = (path: string, total: number) => {
    const host = new URL(gateway.url).host;
    const line = `GET ${path} HTTP/1.1`.length;
    // node:http sends Host and Connection: close (agent: false).
    const fixed = line + host.length + 'close'.length;
    return { 'x-padding': 'p'.repeat(total - fixed) };
  };

  test('request line plus header values: 10,240 bytes pass, 10,241 get 431', async () => {
    expect((await send(`${gateway.url}/ok`, { headers: paddedHeaders('/ok', 10_240) })).status).toBe(200);
    const refused = await send(`${gateway.url}/ok`, { headers: paddedHeaders('/ok', 10_241) });
    expect({ status: refused.status, body: JSON.parse(refused.body) }).toEqual({
      status: 431,
      body: { message: 'Request Header Fields Too Large' },
    });
  });

  test('a declared body over 10 MB gets 413 before a byte of it is sent', async () => {
    const reply = await send(`${gateway.url}/ok`, {
      method: 'POST',
      headers: { 'content-length': String(MAX_PAYLOAD_BYTES + 1) },
    });
    expect({ status: reply.status, body: JSON.parse(reply.body) }).toEqual({
      status: 413,
      body: { message: 'Request Entity Too Large' },
    });
    expect(reply.headers.connection).toBe('close');
  });

  test('a chunked body is refused as soon as it passes 10 MB', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    const chunks = Array.from({ length: 11 }, () => chunk);
    const reply = await send(`${gateway.url}/ok`, { method: 'POST', chunks });
    expect(reply.status).toBe(413);
  });

  test('a body of exactly 10 MB is served', async () => {
    const reply = await send(`${gateway.url}/ok`, {
      method: 'POST',
      headers: { 'content-length': String(MAX_PAYLOAD_BYTES), 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(MAX_PAYLOAD_BYTES, 'a'),
    });
    expect(reply.status).toBe(200);
  });

  test('404 and 401 are answered without waiting for (or reading) a large body', async () => {
    const headers = { 'content-length': String(5 * 1024 * 1024) };
    const notFound = await send(`${gateway.url}/nowhere`, { method: 'POST', headers });
    expect({ status: notFound.status, body: JSON.parse(notFound.body) }).toEqual({
      status: 404,
      body: { message: 'Not Found' },
    });
    const unauthorized = await send(`${gateway.url}/protected`, { method: 'POST', headers });
    expect({ status: unauthorized.status, body: JSON.parse(unauthorized.body) }).toEqual({
      status: 401,
      body: { message: 'Unauthorized' },
    });
  });
});

describe('the body budget bounds what all requests buffer together', () => {
  test('grants whole shares up to its limit, in arrival order, and never deadlocks', async () => {
    const budget = new BodyBudget(100);
    const granted: string[] = [];
    await budget.acquire(60);
    const second = budget.acquire(50).then(() => granted.push('second'));
    const third = budget.acquire(10).then(() => granted.push('third'));
    await Promise.resolve();
    // The third would fit, but waits behind the second: no starvation of large bodies.
    expect(granted).toEqual([]);
    budget.release(60);
    await Promise.all([second, third]);
    expect(granted).toEqual(['second', 'third']);
    expect(budget.reserved).toBe(60);
  });

  test('a share larger than the whole budget is capped, not refused forever', async () => {
    const budget = new BodyBudget(100);
    await budget.acquire(500);
    expect(budget.reserved).toBe(100);
    budget.release(500);
    expect(budget.reserved).toBe(0);
  });
});
