import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIX, LOCAL_ONLY } from '../../../rules/issuer/fixes';
import { createIssuerNet } from '../../../rules/issuer/issuer-net';
import { proxyFromEnvironment, withoutCredentials } from '../../../tools/doctor/proxy';
import { type MisbehavingIdp, startMisbehavingIdp } from '../../support/misbehaving-idp';
import { localIssuerArgs, runDoctor } from '../../support/run-doctor';

/** A CONNECT proxy on loopback, as a corporate proxy tunnels HTTPS; it records each tunnel's target. */
interface LoopbackProxy {
  readonly url: string;
  readonly tunnels: string[];
  readonly authorizations: (string | undefined)[];
  close(): Promise<void>;
}

async function startConnectProxy(): Promise<LoopbackProxy> {
  const tunnels: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const sockets = new Set<Duplex>();
  const server: Server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, client, head) => {
    tunnels.push(req.url ?? '');
    authorizations.push(req.headers['proxy-authorization']);
    const [host, port] = (req.url ?? '').split(':');
    sockets.add(client);
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tunnels,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        // Tunnels are no longer HTTP connections: closeAllConnections does not see them.
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'];
const NO_PROXY_VARIABLES = ['NO_PROXY', 'no_proxy'];

/** Runs `body` with exactly these proxy variables set, restoring the environment after. */
async function withProxyEnvironment<T>(variables: Record<string, string>, body: () => Promise<T>): Promise<T> {
  const saved = new Map<string, string | undefined>();
  for (const name of [...PROXY_VARIABLES, ...NO_PROXY_VARIABLES]) {
    saved.set(name, process.env[name]);
    delete process.env[name];
  }
  Object.assign(process.env, variables);
  try {
    return await body();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

describe('the doctor behind an HTTPS_PROXY', () => {
  let idp: MisbehavingIdp;
  let proxy: LoopbackProxy;
  let dir: string;
  let local: string[];

  beforeAll(async () => {
    [idp, proxy] = await Promise.all([startMisbehavingIdp(), startConnectProxy()]);
    dir = mkdtempSync(join(tmpdir(), 'doctor-proxy-'));
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, idp.certPem);
    local = localIssuerArgs(idp.issuer, caFile);
  });
  afterAll(async () => {
    await Promise.all([idp.close(), proxy.close()]);
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    proxy.tunnels.length = 0;
    proxy.authorizations.length = 0;
  });

  test('TLS, discovery and JWKS go through CONNECT tunnels, with the same verdicts as direct', async () => {
    const token = await idp.mintToken();
    const run = await withProxyEnvironment({ HTTPS_PROXY: proxy.url }, () => runDoctor([...local, '--token', token]));

    const target = `127.0.0.1:${idp.port}`;
    // TLS, discovery and JWKS, for each of the environment's two issuers
    expect(proxy.tunnels).toEqual(Array(6).fill(target));
    expect(run.line('issuer TLS')).toEqual({
      verdict: 'fail',
      detail:
        `certificate for CN=localhost not trusted by Node's default CA store ` +
        `(DEPTH_ZERO_SELF_SIGNED_CERT): API Gateway will refuse it; trusted with --ca-file (${LOCAL_ONLY})`,
      fix: FIX.tlsUntrusted,
    });
    for (const title of ['discovery', 'discovery issuer', 'JWKS', 'JWKS keys', 'token signature']) {
      expect([title, run.line(title).verdict]).toEqual([title, 'ok']);
    }
  }, 30_000);

  test('the lower-case https_proxy works too, and credentials reach the proxy', async () => {
    const withUser = proxy.url.replace('http://', 'http://alice:s3cret@');
    await withProxyEnvironment({ https_proxy: withUser }, () => runDoctor(local));
    expect(proxy.tunnels[0]).toBe(`127.0.0.1:${idp.port}`);
    expect(proxy.authorizations[0]).toBe(`Basic ${Buffer.from('alice:s3cret').toString('base64')}`);
  });

  test.each([
    ['the host', '127.0.0.1'],
    ['the host and port', `127.0.0.1:PORT`],
    ['a list with the host', 'example.com, 127.0.0.1'],
    ['everything', '*'],
  ])('NO_PROXY naming %s connects directly', async (_name, noProxy) => {
    const run = await withProxyEnvironment(
      { HTTPS_PROXY: proxy.url, NO_PROXY: noProxy.replace('PORT', String(idp.port)) },
      () => runDoctor(local),
    );
    expect(proxy.tunnels).toEqual([]);
    expect(run.line('discovery').verdict).toBe('ok');
  });

  test('a dead proxy is a network failure of discovery, the proxy named without credentials', async () => {
    const dead = 'http://bob:hunter2@127.0.0.1:9';
    const run = await withProxyEnvironment({ HTTPS_PROXY: dead }, () => runDoctor(local));
    expect(run.line('discovery')).toEqual({
      verdict: 'fail',
      detail: expect.stringMatching(/ECONNREFUSED.* \(through the proxy http:\/\/127\.0\.0\.1:9\)$/),
      fix: FIX.proxyUnreachable,
    });
    expect(run.stdout).not.toContain('hunter2');
  });
});

describe('a host that only the proxy can resolve', () => {
  test('the host check warns instead of blocking the rest', async () => {
    await withProxyEnvironment({ HTTPS_PROXY: 'http://proxy.corp.example:3128' }, async () => {
      const net = createIssuerNet(proxyFromEnvironment());
      expect(await net.lookup('wso2-doctor-test.invalid')).toEqual({
        error: expect.stringMatching(/^(ENOTFOUND|EAI_AGAIN|no DNS answer)/),
        viaProxy: 'http://proxy.corp.example:3128',
      });
    });
  });

  test('withoutCredentials keeps scheme, host and port only', () => {
    expect(withoutCredentials('http://user:pw@proxy.corp:3128/path')).toBe('http://proxy.corp:3128');
    expect(withoutCredentials('not a url')).toBe('(a proxy URL that does not parse)');
  });
});
