import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { main, TokenRequestError } from '../../../tools/delivery/fetch-token';
import { TYPESCRIPT_NODE_ARGS } from '../../../tools/cli/node-args';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjbGllbnQifQ.c2lnbmF0dXJl';
const SECRET = 'very-secret-value';

interface Seen {
  readonly authorization?: string;
  readonly form: URLSearchParams;
}

/** A loopback token endpoint answering `status` with `body` (a string is sent as is). */
async function startTokenEndpoint(status: number, body: unknown, contentType = 'application/json') {
  const seen: Seen[] = [];
  const server: Server = createServer(async (request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    seen.push({
      authorization: request.headers.authorization,
      form: new URLSearchParams(Buffer.concat(chunks).toString()),
    });
    response.writeHead(status, { 'content-type': contentType });
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/oauth2/token`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('the token step (tools/delivery/fetch-token.ts), outside Actions, against a loopback endpoint', () => {
  let dir: string;
  let output: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fetch-token-'));
    output = join(dir, 'smoke-token');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function runWith(endpoint: { url: string }, scopes = 'reports:read') {
    const lines: string[] = [];
    const env = {
      WSO2_TOKEN_URL: endpoint.url,
      WSO2_CLIENT_ID: 'client-a',
      WSO2_CLIENT_SECRET: SECRET,
      SMOKE_SCOPES: scopes,
    };
    const outcome = await main(['--output', output], env, (line) => lines.push(line)).then(
      (code) => ({ code, error: undefined }),
      (error: Error) => ({ code: undefined, error }),
    );
    return { ...outcome, lines };
  }

  test('a token: written to the file (0600), never printed; client credentials sent as WSO2 expects', async () => {
    const endpoint = await startTokenEndpoint(200, { access_token: TOKEN, token_type: 'Bearer', expires_in: 3600 });
    try {
      const { code, lines } = await runWith(endpoint);
      expect(code).toBe(0);
      expect(readFileSync(output, 'utf8')).toBe(TOKEN);
      expect(statSync(output).mode & 0o777).toBe(0o600);
      expect(lines).toEqual([`got an access token (a JWT, ${TOKEN.length} characters) for scopes "reports:read"`]);
      expect(lines.join('\n')).not.toContain(TOKEN);
      expect(endpoint.seen[0].authorization).toBe(`Basic ${Buffer.from(`client-a:${SECRET}`).toString('base64')}`);
      expect(Object.fromEntries(endpoint.seen[0].form)).toEqual({
        grant_type: 'client_credentials',
        scope: 'reports:read',
      });
    } finally {
      await endpoint.close();
    }
  });

  test.each<[string, number, unknown, string, string]>([
    [
      'a refused client',
      401,
      { error: 'invalid_client', error_description: 'Client Authentication failed.' },
      'application/json',
      'token endpoint answered HTTP 401: invalid_client (Client Authentication failed.)',
    ],
    [
      'an answer without access_token',
      200,
      { token_type: 'Bearer', expires_in: 3600 },
      'application/json',
      'token endpoint answered HTTP 200 without an access_token (fields: token_type, expires_in)',
    ],
    [
      'a login page instead of the token endpoint',
      200,
      '<html>login</html>',
      'text/html',
      'token endpoint answered HTTP 200 with text/html, not JSON: check WSO2_TOKEN_URL (…/oauth2/token)',
    ],
  ])('%s stops with a clear message and writes nothing', async (_name, status, body, contentType, message) => {
    const endpoint = await startTokenEndpoint(status, body, contentType);
    try {
      const { error } = await runWith(endpoint);
      expect(error).toEqual(new TokenRequestError(message));
      expect(error?.message).not.toContain(SECRET);
      expect(existsSync(output)).toBe(false);
    } finally {
      await endpoint.close();
    }
  });

  test('an endpoint that is down: the request failed, with the reason', async () => {
    const endpoint = await startTokenEndpoint(200, {});
    await endpoint.close();
    const { error } = await runWith(endpoint);
    expect(error).toEqual(new TokenRequestError(`token request to ${endpoint.url} failed: ECONNREFUSED`));
  });

  test('no WSO2 client configured: nothing written, anonymous checks only', async () => {
    const lines: string[] = [];
    await expect(main(['--output', output], {}, (line) => lines.push(line))).resolves.toBe(0);
    expect(existsSync(output)).toBe(false);
    expect(lines[0]).toMatch(/anonymous checks only/);
  });

  test('as the workflow runs it: exit 1 and "Error: ..." on stderr for a missing access_token', async () => {
    const endpoint = await startTokenEndpoint(200, { scope: 'x' });
    try {
      const run = await promisify(execFile)(
        process.execPath,
        [...TYPESCRIPT_NODE_ARGS, 'tools/delivery/fetch-token.ts', '--output', output],
        { env: { ...process.env, WSO2_TOKEN_URL: endpoint.url, WSO2_CLIENT_ID: 'c', WSO2_CLIENT_SECRET: SECRET } },
      ).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => error,
      );
      expect(run.code).toBe(1);
      expect(run.stderr.trim()).toBe('Error: token endpoint answered HTTP 200 without an access_token (fields: scope)');
    } finally {
      await endpoint.close();
    }
  });
});
