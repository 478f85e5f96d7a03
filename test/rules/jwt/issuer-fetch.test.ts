import type { IncomingMessage, ServerResponse } from 'node:http';
import { Agent } from 'node:https';
import { createServer } from 'node:net';
import {
  BadStatusError,
  DiscoveryDocumentError,
  discoveryUrlFor,
  fetchDiscovery,
  fetchJwks,
  FetchTimeoutError,
  InvalidFetchUrlError,
  JwksDocumentError,
  NetworkError,
  NotJsonError,
  ResponseTooLargeError,
  TlsError,
} from '../../../rules/jwt';
import { type LoopbackHttps, startLoopbackHttps } from '../../support/https-server';

type Route = (req: IncomingMessage, res: ServerResponse) => void;
const routes = new Map<string, Route>();
let issuerServer: LoopbackHttps;
let issuer: string;
let ca: string;

const json =
  (body: unknown, status = 200): Route =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
const rsaJwk = { kty: 'RSA', kid: 'k1_RS256', use: 'sig', alg: 'RS256', n: 'AQAB', e: 'AQAB' };

beforeAll(async () => {
  issuerServer = await startLoopbackHttps((req, res) => {
    const route = routes.get(req.url ?? '');
    if (route) route(req, res);
    else res.writeHead(404).end('not here');
  });
  issuer = `${issuerServer.origin}/oauth2/token`;
  ca = issuerServer.certPem;
});
afterAll(() => issuerServer.close());
beforeEach(() => routes.clear());

async function failure(promise: Promise<unknown>): Promise<Error & { facts?: Record<string, unknown>; code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

test('discoveryUrlFor appends the well-known path, ignoring a trailing slash', () => {
  expect(discoveryUrlFor('https://is.example.com/oauth2/token')).toBe(
    'https://is.example.com/oauth2/token/.well-known/openid-configuration',
  );
  expect(discoveryUrlFor('https://is.example.com/oauth2/token/')).toBe(
    'https://is.example.com/oauth2/token/.well-known/openid-configuration',
  );
});

test('fetchDiscovery and fetchJwks return the documents with status, bytes and time', async () => {
  routes.set(
    '/oauth2/token/.well-known/openid-configuration',
    json({ issuer, jwks_uri: `${issuerServer.origin}/oauth2/jwks` }),
  );
  routes.set('/oauth2/jwks', json({ keys: [rsaJwk, { kty: 'EC', kid: 'ec1', crv: 'P-256', x: 'a', y: 'b' }] }));
  const discovery = await fetchDiscovery(issuer, { ca });
  expect(discovery).toMatchObject({
    status: 200,
    jwksUri: `${issuerServer.origin}/oauth2/jwks`,
    documentIssuer: issuer,
    contentType: 'application/json',
  });
  expect(discovery.bytes).toBe(JSON.stringify({ issuer, jwks_uri: `${issuerServer.origin}/oauth2/jwks` }).length);
  expect(discovery.elapsedMs).toBeGreaterThanOrEqual(0);
  const jwks = await fetchJwks(discovery.jwksUri, { ca });
  expect([...jwks.keys.keys()]).toEqual(['k1_RS256']);
  expect(jwks.ignored).toEqual([{ index: 1, kid: 'ec1', reason: 'keys[1] kty "EC" is not RSA' }]);
});

test('a self-signed certificate without the extra CA is a TlsError', async () => {
  routes.set('/oauth2/token/.well-known/openid-configuration', json({}));
  const error = await failure(fetchDiscovery(issuer));
  expect(error).toBeInstanceOf(TlsError);
  expect(error.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  expect(error.message).toBe(
    `TLS with ${new URL(issuer).host} failed: DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate`,
  );
});

test('a slow answer is a FetchTimeoutError at the limit', async () => {
  routes.set('/slow', (_req, res) => {
    const timer = setTimeout(() => json({ keys: [] })(_req, res), 2000);
    res.on('close', () => clearTimeout(timer));
  });
  const error = await failure(fetchJwks(`${issuerServer.origin}/slow`, { ca, timeoutMs: 150 }));
  expect(error).toBeInstanceOf(FetchTimeoutError);
  expect(error.message).toBe(
    `${issuerServer.origin}/slow did not answer completely within 150 ms (API Gateway's limit)`,
  );
  expect(error.facts?.elapsedMs).toBeGreaterThanOrEqual(140);
});

test('a JWKS over 150000 bytes is a ResponseTooLargeError, declared or streamed', async () => {
  const big = JSON.stringify({ keys: [rsaJwk], padding: 'x'.repeat(150_000) });
  routes.set('/declared', (_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(big) }).end(big),
  );
  routes.set('/streamed', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(big.slice(0, 100_000));
    res.end(big.slice(100_000));
  });
  const declared = await failure(fetchJwks(`${issuerServer.origin}/declared`, { ca }));
  expect(declared).toBeInstanceOf(ResponseTooLargeError);
  expect(declared.message).toBe(
    `${issuerServer.origin}/declared declares ${Buffer.byteLength(big)} bytes, more than the limit of 150000`,
  );
  const streamed = await failure(fetchJwks(`${issuerServer.origin}/streamed`, { ca }));
  expect(streamed).toBeInstanceOf(ResponseTooLargeError);
  expect(streamed.message).toBe(`${issuerServer.origin}/streamed sent more than the limit of 150000 bytes`);
  expect(streamed.facts?.bytes).toBeGreaterThan(150_000);
});

test('exactly 150000 bytes is fine', async () => {
  const base = JSON.stringify({ keys: [rsaJwk], padding: '' });
  const body = JSON.stringify({ keys: [rsaJwk], padding: 'x'.repeat(150_000 - base.length) });
  expect(Buffer.byteLength(body)).toBe(150_000);
  routes.set('/edge', (_req, res) => res.writeHead(200).end(body));
  expect((await fetchJwks(`${issuerServer.origin}/edge`, { ca })).bytes).toBe(150_000);
});

test('no discovery document (WSO2 before 5.8) is a BadStatusError', async () => {
  const error = await failure(fetchDiscovery(issuer, { ca }));
  expect(error).toBeInstanceOf(BadStatusError);
  expect(error.message).toBe(`${discoveryUrlFor(issuer)} answered HTTP 404, expected 200`);
  expect(error.facts).toMatchObject({ status: 404 });
});

test('a redirect is not followed', async () => {
  routes.set('/moved', (_req, res) => res.writeHead(302, { location: '/elsewhere' }).end());
  const error = await failure(fetchJwks(`${issuerServer.origin}/moved`, { ca }));
  expect(error).toBeInstanceOf(BadStatusError);
  expect(error.message).toBe(
    `${issuerServer.origin}/moved answered HTTP 302, expected 200 (redirect to "/elsewhere": not followed)`,
  );
});

test('an HTML login page instead of JSON is a NotJsonError', async () => {
  routes.set('/html', (_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Sign in</body></html>'),
  );
  const error = await failure(fetchJwks(`${issuerServer.origin}/html`, { ca }));
  expect(error).toBeInstanceOf(NotJsonError);
  expect(error.message).toBe(
    `${issuerServer.origin}/html did not answer JSON (content-type "text/html", starts with "<html><body>Sign ` +
      `in</body></html>")`,
  );
});

test('a JSON array is a NotJsonError', async () => {
  routes.set('/array', json([1]));
  const error = await failure(fetchJwks(`${issuerServer.origin}/array`, { ca }));
  expect(error).toBeInstanceOf(NotJsonError);
  expect(error.message).toBe(`${issuerServer.origin}/array answered JSON that is not an object: [1]`);
});

test('discovery without jwks_uri, or with an http one, is a DiscoveryDocumentError', async () => {
  routes.set('/oauth2/token/.well-known/openid-configuration', json({ issuer }));
  const missing = await failure(fetchDiscovery(issuer, { ca }));
  expect(missing).toBeInstanceOf(DiscoveryDocumentError);
  expect(missing.message).toBe(`the discovery document at ${discoveryUrlFor(issuer)} has no jwks_uri (got undefined)`);
  routes.set('/oauth2/token/.well-known/openid-configuration', json({ issuer, jwks_uri: 'http://localhost/jwks' }));
  const plain = await failure(fetchDiscovery(issuer, { ca }));
  expect(plain).toBeInstanceOf(DiscoveryDocumentError);
  expect(plain.message).toBe('the discovery document\'s jwks_uri "http://localhost/jwks" must use https');
});

test('a JWKS with only EC keys, or keys without kid, is a JwksDocumentError listing why', async () => {
  routes.set(
    '/ec',
    json({
      keys: [
        { kty: 'EC', kid: 'e1' },
        { kty: 'RSA', n: 'a', e: 'b' },
        { kty: 'RSA', kid: 'enc', use: 'enc', n: 'a', e: 'b' },
      ],
    }),
  );
  const error = await failure(fetchJwks(`${issuerServer.origin}/ec`, { ca }));
  expect(error).toBeInstanceOf(JwksDocumentError);
  expect(error.message).toBe(
    `the JWKS at ${issuerServer.origin}/ec holds no RSA signing key with a kid: keys[0] kty "EC" is not RSA; keys[1] ` +
      `has no kid; keys[2] (kid "enc") use "enc" is not "sig"`,
  );
  routes.set('/nokeys', json({ keys: 'none' }));
  const noKeys = await failure(fetchJwks(`${issuerServer.origin}/nokeys`, { ca }));
  expect(noKeys).toBeInstanceOf(JwksDocumentError);
  expect(noKeys.message).toBe(`the JWKS at ${issuerServer.origin}/nokeys has no keys array (got "none")`);
});

test('a closed port is a NetworkError', async () => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  const error = await failure(fetchDiscovery(`https://127.0.0.1:${port}/oauth2/token`, { ca }));
  expect(error).toBeInstanceOf(NetworkError);
  expect(error.code).toBe('ECONNREFUSED');
  expect(error.message).toBe(
    `https://127.0.0.1:${port}/oauth2/token/.well-known/openid-configuration could not be reached: ECONNREFUSED: ` +
      `connect ECONNREFUSED 127.0.0.1:${port}`,
  );
});

test.each([
  [
    'http',
    'http://localhost/oauth2/token/.well-known/openid-configuration',
    '"http://localhost/oauth2/token/.well-known/openid-configuration" must use https: API Gateway only fetches keys ' +
      'over HTTPS',
  ],
])('an %s URL is an InvalidFetchUrlError', async (_name, url, message) => {
  const error = await failure(fetchJwks(url));
  expect(error).toBeInstanceOf(InvalidFetchUrlError);
  expect(error.message).toBe(message);
});

test('a relative URL is an InvalidFetchUrlError', async () => {
  const error = await failure(fetchJwks('/oauth2/jwks'));
  expect(error).toBeInstanceOf(InvalidFetchUrlError);
  expect(error.message).toBe('"/oauth2/jwks" is not an absolute URL');
});

test('an answer that breaks off is a NetworkError naming the URL', async () => {
  routes.set('/cut', (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
    res.write('{"keys":[', () => req.socket.destroy());
  });
  const error = await failure(fetchJwks(`${issuerServer.origin}/cut`, { ca }));
  expect(error).toBeInstanceOf(NetworkError);
  expect(error.message).toMatch(new RegExp(`^${issuerServer.origin}/cut broke off while answering: `));
  expect(error.facts).toMatchObject({ status: 200, bytes: 9 });
});

test('the extra CA may be a Buffer or a list; an empty list trusts nothing extra', async () => {
  routes.set('/oauth2/jwks', json({ keys: [rsaJwk] }));
  const url = `${issuerServer.origin}/oauth2/jwks`;
  expect((await fetchJwks(url, { ca: Buffer.from(ca) })).status).toBe(200);
  expect((await fetchJwks(url, { ca: [ca] })).status).toBe(200);
  expect((await fetchJwks(url, { ca: [] }).catch((error: Error) => error)) instanceof TlsError).toBe(true);
});

test('a long non-JSON answer is quoted by its first 40 bytes; no content-type is shown as null', async () => {
  const page = `<!DOCTYPE html><html><head><title>Sign in to WSO2</title></head></html>`;
  routes.set('/page', (_req, res) => res.writeHead(200).end(page));
  const error = await failure(fetchJwks(`${issuerServer.origin}/page`, { ca }));
  expect(error.message).toBe(
    `${issuerServer.origin}/page did not answer JSON (content-type null, ` +
      `starts with ${JSON.stringify(page.slice(0, 40))})`,
  );
});

test('a smaller byte limit applies when given', async () => {
  routes.set('/oauth2/jwks', json({ keys: [rsaJwk] }));
  const error = await failure(fetchJwks(`${issuerServer.origin}/oauth2/jwks`, { ca, maxBytes: 10 }));
  expect(error).toBeInstanceOf(ResponseTooLargeError);
  expect(error.message).toBe(`${issuerServer.origin}/oauth2/jwks sent more than the limit of 10 bytes`);
});

test('jwks_uri: empty or not a string is missing; any case of "https://" at the start is https', async () => {
  const path = '/oauth2/token/.well-known/openid-configuration';
  routes.set(path, json({ issuer, jwks_uri: '' }));
  expect((await failure(fetchDiscovery(issuer, { ca }))).message).toBe(
    `the discovery document at ${discoveryUrlFor(issuer)} has no jwks_uri (got "")`,
  );
  routes.set(path, json({ issuer, jwks_uri: 42 }));
  expect((await failure(fetchDiscovery(issuer, { ca }))).message).toBe(
    `the discovery document at ${discoveryUrlFor(issuer)} has no jwks_uri (got 42)`,
  );
  routes.set(path, json({ issuer, jwks_uri: 'http://localhost/https://keys' }));
  expect(await failure(fetchDiscovery(issuer, { ca }))).toBeInstanceOf(DiscoveryDocumentError);
  routes.set(path, json({ issuer, jwks_uri: 'HTTPS://localhost/jwks' }));
  expect((await fetchDiscovery(issuer, { ca })).jwksUri).toBe('HTTPS://localhost/jwks');
});

test('an empty JWKS says so', async () => {
  routes.set('/empty', json({ keys: [] }));
  const error = await failure(fetchJwks(`${issuerServer.origin}/empty`, { ca }));
  expect(error).toBeInstanceOf(JwksDocumentError);
  expect(error.message).toBe(
    `the JWKS at ${issuerServer.origin}/empty holds no RSA signing key with a kid: it is empty`,
  );
});

test('each fetch asks for JSON on a connection of its own, closed after the answer', async () => {
  const seen: (string | undefined)[][] = [];
  routes.set('/oauth2/jwks', (req, res) => {
    seen.push([req.method, req.headers.accept, req.headers.connection]);
    json({ keys: [rsaJwk] })(req, res);
  });
  await fetchJwks(`${issuerServer.origin}/oauth2/jwks`, { ca });
  await fetchJwks(`${issuerServer.origin}/oauth2/jwks`, { ca });
  expect(seen).toEqual([
    ['GET', 'application/json', 'close'],
    ['GET', 'application/json', 'close'],
  ]);
});

test('a declared length of exactly 150000 bytes is fine', async () => {
  const base = JSON.stringify({ keys: [rsaJwk], padding: '' });
  const body = JSON.stringify({ keys: [rsaJwk], padding: 'x'.repeat(150_000 - base.length) });
  routes.set('/declared-edge', (_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '150000' }).end(body),
  );
  const started = performance.now();
  const fetched = await fetchJwks(`${issuerServer.origin}/declared-edge`, { ca });
  const took = performance.now() - started;
  expect(fetched.bytes).toBe(150_000);
  // The time is this fetch's own, in whole milliseconds.
  expect(Number.isInteger(fetched.elapsedMs)).toBe(true);
  expect(fetched.elapsedMs).toBeLessThanOrEqual(Math.ceil(took));
});

test.each([
  ['null', 'null'],
  ['42', '42'],
  ['"keys"', '"keys"'],
])('JSON %s is not an object', async (text, shown) => {
  routes.set('/scalar', (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(text));
  const error = await failure(fetchJwks(`${issuerServer.origin}/scalar`, { ca }));
  expect(error).toBeInstanceOf(NotJsonError);
  expect(error.message).toBe(`${issuerServer.origin}/scalar answered JSON that is not an object: ${shown}`);
});

test('at the time limit the fetch hangs up, as API Gateway gives up', async () => {
  let closed = false;
  routes.set('/hang', (_req, res) => {
    const timer = setTimeout(() => json({ keys: [] })(_req, res), 3000);
    res.on('close', () => {
      closed = true;
      clearTimeout(timer);
    });
  });
  await failure(fetchJwks(`${issuerServer.origin}/hang`, { ca, timeoutMs: 100 }));
  // Well before the server's own answer at 3 s (bounded wait: the machine may be busy).
  for (let waited = 0; !closed && waited < 2000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(closed).toBe(true);
});

test('a connection error without a code is named by its message', async () => {
  // An agent whose tunnel cannot be set up, as a proxy agent reports it: an Error with no code.
  const agent = new Agent();
  agent.createConnection = (_options, callback) => {
    process.nextTick(() => callback?.(new Error('tunnel refused'), undefined as never));
    return undefined as never;
  };
  const error = await failure(fetchJwks(`${issuerServer.origin}/oauth2/jwks`, { ca, agent }));
  expect(error).toBeInstanceOf(NetworkError);
  expect(error.message).toBe(`${issuerServer.origin}/oauth2/jwks could not be reached: tunnel refused`);
  agent.destroy();
});

test('discoveryUrlFor drops every trailing slash', () => {
  expect(discoveryUrlFor('https://is.example.com/oauth2/token//')).toBe(
    'https://is.example.com/oauth2/token/.well-known/openid-configuration',
  );
});

test('a refused URL still names itself, at 0 ms', async () => {
  for (const url of ['/oauth2/jwks', 'http://localhost/oauth2/jwks']) {
    const error = await failure(fetchJwks(url));
    expect(error.facts).toStrictEqual({ url, elapsedMs: 0 });
    expect((error as unknown as InvalidFetchUrlError).url).toBe(url);
  }
});

test('failures keep the error they come from as the cause, and facts only of what arrived', async () => {
  routes.set('/oauth2/jwks', json({ keys: [rsaJwk] }));
  const tls = await failure(fetchJwks(`${issuerServer.origin}/oauth2/jwks`));
  expect((tls.cause as NodeJS.ErrnoException).code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  // No response arrived: no status or byte count, not even an undefined one.
  expect(tls.facts).toStrictEqual({ url: `${issuerServer.origin}/oauth2/jwks`, elapsedMs: expect.any(Number) });

  routes.set('/cut', (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
    res.write('{"keys":[', () => req.socket.destroy());
  });
  const cut = await failure(fetchJwks(`${issuerServer.origin}/cut`, { ca }));
  // Node's own error (another realm in jest, so no instanceof): it has a message.
  expect((cut.cause as Error | undefined)?.message).toEqual(expect.any(String));
  expect(cut.message).toBe(`${issuerServer.origin}/cut broke off while answering: ${(cut.cause as Error).message}`);

  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  const refused = await failure(fetchJwks(`https://127.0.0.1:${port}/jwks`));
  expect((refused.cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
});
