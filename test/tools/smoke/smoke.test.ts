import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { SignJWT, exportJWK } from 'jose';
import { API_ROUTES } from '../../../lib/api-routes';
import { authorize, staticKeySource } from '../../../rules/jwt';
import { SmokeError, runSmokeChecks, scopesOf } from '../../../tools/smoke/checks';
import { UsageError } from '../../../tools/cli/command-line';
import { parseArgs, smoke } from '../../../tools/smoke/smoke';
import { readApiUrl } from '../../../tools/smoke/stack-outputs';
import { type TestRsaKeyPair, testRsaKeyPair } from '../../support/test-keys';

/**
 * A loopback stand-in for the deployed API: each request is judged by the authorizer rules
 * (rules/jwt `authorize`, the same code the local gateway runs), so its 401/403 answers,
 * bodies and `www-authenticate` headers are API Gateway's, in front of 200s.
 */
async function startGateway(options: {
  defaultScopes: string[];
  publicKey: KeyObject;
  healthStatus?: number;
  /** What the HTTP backend behind /legacy answers (API Gateway's 503 when it is unreachable). */
  backendStatus?: number;
}): Promise<{ url: string; close: () => Promise<void> }> {
  const publicJwk = { ...(await exportJWK(options.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const authorizer = {
    issuer: 'https://is.example.com/oauth2/token',
    audiences: ['client-a'],
    keySource: staticKeySource({ keys: [publicJwk] }),
  };
  const server: Server = createServer(async (req, res) => {
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);
    };
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    // Route keys as API Gateway matches them: {id} one segment, {proxy+} the rest, ANY any method.
    const matches = (template: string) =>
      new RegExp(`^${template.replace(/\{[A-Za-z0-9_]+\+\}/g, '.+').replace(/\{[A-Za-z0-9_]+\}/g, '[^/]+')}$`).test(
        path,
      );
    const route = API_ROUTES.find(
      (candidate) => (candidate.method === req.method || candidate.method === 'ANY') && matches(candidate.path),
    );
    if (!route) return send(404, '{"message":"Not Found"}');
    if (route.public) return send(options.healthStatus ?? 200, '{"status":"ok"}');
    // Routes of the second issuer: this stand-in trusts another issuer there, so the first one's tokens fail.
    const judgedBy = route.issuer === undefined ? authorizer : { ...authorizer, issuer: 'https://partner.example.com' };
    const verdict = await authorize(req.headers.authorization, route.scopes ?? options.defaultScopes, judgedBy);
    if (verdict.status !== 200)
      return send(verdict.status, verdict.body, { 'www-authenticate': verdict.wwwAuthenticate });
    if (route.target === 'legacy') return send(options.backendStatus ?? 200, '{"backend":true}');
    return send(200, '{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('the smoke test against a loopback API', () => {
  let keys: TestRsaKeyPair;
  const tokenWith = (scope: string) =>
    new SignJWT({ scope, client_id: 'client-a' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer('https://is.example.com/oauth2/token')
      .setAudience('client-a')
      .setSubject('alice')
      .setExpirationTime('5m')
      .sign(keys.privateKey);

  beforeAll(async () => {
    keys = testRsaKeyPair();
  });

  test('passes: /health 200, 401 without a token, 200 with the scope, 403 without', async () => {
    // GIVEN an API requiring api:access by default, and a token holding only api:access
    const gateway = await startGateway({ defaultScopes: ['api:access'], publicKey: keys.publicKey });
    try {
      // WHEN
      const results = await runSmokeChecks({
        baseUrl: gateway.url,
        token: await tokenWith('api:access'),
        routes: API_ROUTES,
        defaultScopes: ['api:access'],
      });

      // THEN
      expect(results).toEqual([
        { name: 'GET /health without a token', outcome: 'pass', detail: '200' },
        { name: 'GET /hello without a token', outcome: 'pass', detail: '401' },
        { name: 'GET /hello with the token (scopes: api:access)', outcome: 'pass', detail: '200' },
        { name: 'GET /reports with the token (requires one of: reports:read)', outcome: 'pass', detail: '403' },
      ]);
    } finally {
      await gateway.close();
    }
  });

  test('through the CLI entry: -c env=staging --url, lines that say what passed', async () => {
    const gateway = await startGateway({ defaultScopes: ['api:access'], publicKey: keys.publicKey });
    const lines: string[] = [];
    try {
      const args = parseArgs([
        ...['-c', 'env=staging', '-c', 'issuerUrl=https://is.example.com/oauth2/token'],
        ...['--url', gateway.url, '--token', await tokenWith('api:access')],
      ]);
      const results = await smoke(args, (line) => lines.push(line));
      expect(results.every((result) => result.outcome === 'pass')).toBe(true);
      // Every target and every issuer is covered.
      expect(results.map((result) => result.name)).toEqual([
        'GET /health without a token',
        'GET /hello without a token',
        'GET /orders (target orders) without a token',
        'GET /legacy/smoke (target legacy) without a token',
        'GET /hello with the token (scopes: api:access)',
        'GET /reports with the token (requires one of: reports:read)',
        'GET /orders (target orders) with the token',
        'GET /legacy/smoke (target legacy) with the token',
        'GET /partner/orders (issuer partner) with a token of another issuer',
      ]);
      expect(lines[0]).toBe(`smoke test of ${gateway.url}`);
      expect(lines.at(-1)).toBe('smoke test passed');
    } finally {
      await gateway.close();
    }
  });

  test('an HTTP backend that fails behind the authorizer fails its check, naming the status', async () => {
    const gateway = await startGateway({ defaultScopes: [], publicKey: keys.publicKey, backendStatus: 503 });
    try {
      const results = await runSmokeChecks({
        baseUrl: gateway.url,
        token: await tokenWith('api:access'),
        routes: API_ROUTES,
        defaultScopes: [],
        targets: {
          issuers: {
            default: 'https://is.example.com/oauth2/token',
            partner: 'https://is.example.com/t/p/oauth2/token',
          },
          defaultIssuer: 'default',
          backendTargets: ['legacy'],
        },
      });
      expect(results.find((result) => result.name === 'GET /legacy/smoke (target legacy) with the token')).toEqual({
        name: 'GET /legacy/smoke (target legacy) with the token',
        outcome: 'fail',
        detail: 'got 503, expected the backend\'s answer (not 401, 403 or 5xx): {"backend":true}',
      });
    } finally {
      await gateway.close();
    }
  });

  test('without a token: only the anonymous checks, the others skipped with a reason', async () => {
    const gateway = await startGateway({ defaultScopes: [], publicKey: keys.publicKey });
    try {
      const results = await runSmokeChecks({ baseUrl: gateway.url, routes: API_ROUTES, defaultScopes: [] });
      expect(results.map((result) => result.outcome)).toEqual(['pass', 'pass', 'skip']);
    } finally {
      await gateway.close();
    }
  });

  test("fails with the status and API Gateway's www-authenticate reason when the API rejects the token", async () => {
    // GIVEN a token the API rejects (another key): the 200 check fails with API Gateway's reason
    const other = testRsaKeyPair();
    const gateway = await startGateway({ defaultScopes: [], publicKey: other.publicKey });
    try {
      const results = await runSmokeChecks({
        baseUrl: gateway.url,
        token: await tokenWith('reports:read'),
        routes: API_ROUTES,
        defaultScopes: [],
      });
      expect(results[2]).toEqual({
        name: 'GET /hello with the token (scopes: reports:read)',
        outcome: 'fail',
        detail:
          'got 401, expected 200 (www-authenticate: Bearer scope="" error="invalid_token" ' +
          'error_description="the token signature is invalid"): {"message":"Unauthorized"}',
      });
    } finally {
      await gateway.close();
    }
  });

  test('an unreachable API is a clear error', async () => {
    const gateway = await startGateway({ defaultScopes: [], publicKey: keys.publicKey });
    await gateway.close();
    await expect(runSmokeChecks({ baseUrl: gateway.url, routes: API_ROUTES, defaultScopes: [] })).rejects.toThrow(
      new SmokeError(`cannot reach ${gateway.url}health: ECONNREFUSED`),
    );
  });
});

describe('smoke arguments and tokens', () => {
  test('parses -c, --url and --outputs-file; SMOKE_TOKEN supplies the token', () => {
    expect(
      parseArgs(['-c', 'env=prod', '--url', 'https://x/', '--outputs-file', '/tmp/cdk-outputs.json'], {
        SMOKE_TOKEN: 't',
      }),
    ).toEqual({
      context: { env: 'prod' },
      token: { kind: 'env', name: 'SMOKE_TOKEN' },
      url: 'https://x/',
      outputsFile: '/tmp/cdk-outputs.json',
      help: false,
    });
  });

  test('--token-file and --token-stdin name where the token is; a flag wins over SMOKE_TOKEN', () => {
    expect(parseArgs(['--token-file', '/t.jwt'], { SMOKE_TOKEN: 't' }).token).toEqual({ kind: 'file', path: '/t.jwt' });
    expect(parseArgs(['--token-stdin']).token).toEqual({ kind: 'stdin' });
  });

  test.each<[string[], string]>([
    [['--tokn', 'x'], 'unknown flag --tokn'],
    [['-c', 'prod'], '-c needs key=value, got "prod"'],
    [['--token'], '--token needs a value'],
    [['--token', 'a', '--token-stdin'], 'give one token: --token, --token-file and --token-stdin exclude each other'],
  ])('%j is refused', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(new UsageError(message));
  });

  test('an opaque token is refused before any request', () => {
    expect(() => scopesOf('a1b2c3d4-opaque')).toThrow(
      /--token is not a JWT .*opaque tokens unless the application is set to JWT/,
    );
  });

  test('scope as a space-delimited string, a list, or scp', () => {
    const jwt = (payload: object) => `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;
    expect(scopesOf(jwt({ scope: 'a b' }))).toEqual(['a', 'b']);
    expect(scopesOf(jwt({ scope: ['a', 'b'] }))).toEqual(['a', 'b']);
    expect(scopesOf(jwt({ scp: 'c' }))).toEqual(['c']);
  });
});

describe("reading the API URL from cdk deploy's --outputs-file (no AWS call, no credentials)", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'smoke-outputs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const write = (content: string) => {
    const file = join(dir, 'cdk-outputs.json');
    writeFileSync(file, content);
    return file;
  };

  test('returns ApiUrl of Wso2JwtHttpApi-<env>, as cdk deploy writes it', () => {
    const file = write(
      JSON.stringify({
        'Wso2JwtHttpApi-prod': { ApiUrl: 'https://api.example.com/', DashboardUrl: 'https://console/x' },
      }),
    );
    expect(readApiUrl(file, 'Wso2JwtHttpApi-prod')).toBe('https://api.example.com/');
  });

  test('a missing file says how to write it', () => {
    const file = join(dir, 'absent.json');
    expect(() => readApiUrl(file, 'Wso2JwtHttpApi-dev')).toThrow(
      new SmokeError(
        `--outputs-file ${JSON.stringify(file)} cannot be read (ENOENT): ` +
          'write it with cdk deploy --outputs-file, or pass --url',
      ),
    );
  });

  test("another environment's file names the stacks it has", () => {
    const file = write(JSON.stringify({ 'Wso2JwtHttpApi-staging': { ApiUrl: 'https://s/' } }));
    expect(() => readApiUrl(file, 'Wso2JwtHttpApi-prod')).toThrow(
      new SmokeError(
        `--outputs-file ${JSON.stringify(file)} has no stack Wso2JwtHttpApi-prod (it has Wso2JwtHttpApi-staging): ` +
          `deploy that environment, or pick it with -c env=<name>`,
      ),
    );
  });

  test('not JSON, and a stack without ApiUrl, are named', () => {
    const notJson = write('Outputs:\nApiUrl = https://x/');
    expect(() => readApiUrl(notJson, 'Wso2JwtHttpApi-dev')).toThrow(
      new SmokeError(`--outputs-file ${JSON.stringify(notJson)} is not JSON: is it cdk deploy's outputs file?`),
    );
    const noUrl = write(JSON.stringify({ 'Wso2JwtHttpApi-dev': { Issuer: 'https://is/oauth2/token' } }));
    expect(() => readApiUrl(noUrl, 'Wso2JwtHttpApi-dev')).toThrow(
      new SmokeError(
        `stack Wso2JwtHttpApi-dev in ${JSON.stringify(noUrl)} has no ApiUrl output: ` +
          `is it this project's stack, fully deployed?`,
      ),
    );
  });

  test('the CLI reads the URL of the selected environment from the file; neither file nor URL is refused', async () => {
    const file = write(JSON.stringify({ 'Wso2JwtHttpApi-prod': { ApiUrl: 'http://127.0.0.1:9/' } }));
    await expect(smoke(parseArgs(['-c', 'env=prod', '--outputs-file', file]), () => undefined)).rejects.toThrow(
      /cannot reach http:\/\/127\.0\.0\.1:9\/health/,
    );
    await expect(smoke(parseArgs(['-c', 'env=prod']), () => undefined)).rejects.toThrow(
      new SmokeError('pass --outputs-file <the file cdk deploy --outputs-file wrote> or --url <base URL of the API>'),
    );
  });
});
