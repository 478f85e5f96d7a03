import { Agent } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:net';
import { createIssuerNet } from '../../../rules/issuer/issuer-net';
import { type LoopbackHttps, startLoopbackHttps } from '../../support/https-server';

/**
 * The doctor's and the deploy-time Lambda's network, on a loopback HTTPS issuer: each way a
 * fetch fails becomes its kind (which picks the fix), the proxy is named where one is used,
 * and the TLS verdict ignores the extra CA the fetches trust.
 */
type Route = (req: IncomingMessage, res: ServerResponse) => void;
const routes = new Map<string, Route>();
let server: LoopbackHttps;
let origin: string;

const json =
  (body: unknown, status = 200): Route =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

beforeAll(async () => {
  server = await startLoopbackHttps((req, res) => {
    const route = routes.get(req.url ?? '');
    if (route) route(req, res);
    else res.writeHead(404).end('not here');
  });
  origin = server.origin;
});
afterAll(() => server.close());
beforeEach(() => routes.clear());

describe('fetches', () => {
  test('discovery: the well-known URL of the issuer, with status, bytes, time and body', async () => {
    const body = { issuer: `${origin}/oauth2/token`, jwks_uri: `${origin}/oauth2/jwks` };
    routes.set('/oauth2/token/.well-known/openid-configuration', json(body));
    const net = createIssuerNet({ extraCa: server.certPem });
    const fetched = await net.fetchDiscovery(`${origin}/oauth2/token/`);
    // No proxy: the outcome has no viaProxy field at all.
    expect(fetched).toStrictEqual({
      url: `${origin}/oauth2/token/.well-known/openid-configuration`,
      status: 200,
      bytes: JSON.stringify(body).length,
      elapsedMs: expect.any(Number),
      body,
    });
  });

  test('through a proxy the outcome names it', async () => {
    routes.set('/oauth2/jwks', json({ keys: [] }));
    const asked: string[] = [];
    const net = createIssuerNet({
      extraCa: server.certPem,
      proxyFor: (url) => {
        asked.push(url);
        return 'http://proxy.corp:3128';
      },
    });
    const fetched = await net.fetchJwks(`${origin}/oauth2/jwks`);
    expect(fetched).toMatchObject({ status: 200, body: { keys: [] }, viaProxy: 'http://proxy.corp:3128' });
    expect(asked).toEqual([`${origin}/oauth2/jwks`]);
  });

  test('each way of failing is its kind, with the facts gathered so far', async () => {
    routes.set('/missing', json({ error: 'not found' }, 404));
    routes.set('/html', (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>'));
    routes.set('/huge', (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '150001' }).end(),
    );
    const net = createIssuerNet({ extraCa: server.certPem });

    const missing = await net.fetchJwks(`${origin}/missing`);
    expect(missing).toEqual({
      url: `${origin}/missing`,
      status: 404,
      bytes: 0,
      elapsedMs: expect.any(Number),
      failure: { kind: 'status', message: `${origin}/missing answered HTTP 404, expected 200` },
    });
    expect(await net.fetchJwks(`${origin}/html`)).toMatchObject({ status: 200, failure: { kind: 'not-json' } });
    expect(await net.fetchJwks(`${origin}/huge`)).toMatchObject({
      bytes: 150001,
      failure: { kind: 'too-large', message: `${origin}/huge declares 150001 bytes, more than the limit of 150000` },
    });
    // Without the extra CA the self-signed certificate fails the fetch.
    const untrusted = await createIssuerNet().fetchJwks(`${origin}/missing`);
    expect(untrusted.failure?.kind).toBe('tls');
    expect('status' in untrusted).toBe(false);
    expect('bytes' in untrusted).toBe(false);
    // A URL the fetcher refuses is no answer from the network either.
    expect((await net.fetchJwks('http://idp.example.com/jwks')).failure).toEqual({
      kind: 'network',
      message: '"http://idp.example.com/jwks" must use https: API Gateway only fetches keys over HTTPS',
    });
  });

  test('a closed port is a network failure; through a proxy the message says so', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    const url = `https://127.0.0.1:${port}/jwks`;

    const direct = await createIssuerNet().fetchJwks(url);
    expect(direct.failure?.kind).toBe('network');
    expect(direct.failure?.message).toMatch(/could not be reached: ECONNREFUSED/);
    expect('viaProxy' in direct).toBe(false);

    // The agent stands in for a proxy tunnel: here it connects directly.
    const agent = new Agent({ keepAlive: false });
    try {
      const proxied = await createIssuerNet({
        agentFor: () => agent,
        proxyFor: () => 'http://proxy.corp:3128',
      }).fetchJwks(url);
      expect(proxied.viaProxy).toBe('http://proxy.corp:3128');
      expect(proxied.failure?.kind).toBe('network');
      expect(proxied.failure?.message).toBe(`${direct.failure?.message} (through the proxy http://proxy.corp:3128)`);
    } finally {
      agent.destroy();
    }
  });

  test("a slow answer is a timeout at API Gateway's 1500 ms", async () => {
    routes.set('/slow', (req, res) => {
      const timer = setTimeout(() => json({ keys: [] })(req, res), 3000);
      res.on('close', () => clearTimeout(timer));
    });
    const fetched = await createIssuerNet({ extraCa: server.certPem }).fetchJwks(`${origin}/slow`);
    expect(fetched.failure?.kind).toBe('timeout');
  });

  test('the agent a URL gets is the one the fetch uses', async () => {
    routes.set('/oauth2/jwks', json({ keys: [] }));
    // An agent that trusts the certificate, and no extra CA: only the agent can make it pass.
    const agent = new Agent({ keepAlive: false, ca: server.certPem });
    try {
      const net = createIssuerNet({ agentFor: (url) => (url.startsWith(origin) ? agent : undefined) });
      expect((await net.fetchJwks(`${origin}/oauth2/jwks`)).failure).toBeUndefined();
    } finally {
      agent.destroy();
    }
  });

  test('an error that is no fetch failure is not reported as one', async () => {
    const net = createIssuerNet({
      agentFor: () => {
        throw new Error('agent factory broke');
      },
    });
    await expect(net.fetchJwks(`${origin}/oauth2/jwks`)).rejects.toThrow('agent factory broke');
  });
});

describe('TLS trust', () => {
  test("judges by Node's default CA store, not the extra CA the fetches trust", async () => {
    const net = createIssuerNet({ extraCa: server.certPem });
    expect(await net.tlsTrust(`${origin}/oauth2/token`)).toMatchObject({ reachable: true, trusted: false });
  });

  test("goes through the URL's agent", async () => {
    const agent = new Agent({ keepAlive: false, ca: server.certPem });
    try {
      const net = createIssuerNet({ agentFor: () => agent });
      expect(await net.tlsTrust(`${origin}/oauth2/token`)).toMatchObject({ reachable: true, trusted: true });
    } finally {
      agent.destroy();
    }
  });
});

describe('lookup', () => {
  test('a name that resolves is returned as is, proxy or not', async () => {
    const net = createIssuerNet({ proxyFor: () => 'http://proxy.corp:3128' });
    const found = await net.lookup('localhost');
    expect('addresses' in found && found.addresses.length > 0).toBe(true);
    expect('viaProxy' in found).toBe(false);
  });

  test('a name that does not resolve names the proxy that will resolve it, asked for that host', async () => {
    const asked: string[] = [];
    const proxied = createIssuerNet({
      proxyFor: (url) => {
        asked.push(url);
        return 'http://proxy.corp:3128';
      },
    });
    expect(await proxied.lookup('wso2-doctor-test.invalid')).toEqual({
      error: expect.any(String),
      viaProxy: 'http://proxy.corp:3128',
    });
    expect(asked).toEqual(['https://wso2-doctor-test.invalid/']);
    expect(await createIssuerNet().lookup('wso2-doctor-test.invalid')).toStrictEqual({ error: expect.any(String) });
  });
});
