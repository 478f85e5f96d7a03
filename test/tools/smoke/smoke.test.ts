import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { API_ROUTES } from '../../../lib/api-routes';
import { authorize, staticKeySource } from '../../../rules/jwt';
import { SmokeError, runSmokeChecks, scopesOf } from '../../../tools/smoke/checks';
import { parseArgs, smoke } from '../../../tools/smoke/smoke';
import { readApiUrl, type StackDescriber } from '../../../tools/smoke/stack-outputs';

/**
 * A loopback stand-in for the deployed API: each request is judged by the authorizer rules
 * (rules/jwt `authorize`, the same code the local gateway runs), so its 401/403 answers,
 * bodies and `www-authenticate` headers are API Gateway's, in front of 200s.
 */
async function startGateway(options: {
  defaultScopes: string[];
  publicKey: Awaited<ReturnType<typeof generateKeyPair>>['publicKey'];
  healthStatus?: number;
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
    const route = API_ROUTES.find((candidate) => candidate.method === req.method && candidate.path === path);
    if (!route) return send(404, '{"message":"Not Found"}');
    if (route.public) return send(options.healthStatus ?? 200, '{"status":"ok"}');
    const verdict = await authorize(req.headers.authorization, route.scopes ?? options.defaultScopes, authorizer);
    if (verdict.status !== 200)
      return send(verdict.status, verdict.body, { 'www-authenticate': verdict.wwwAuthenticate });
    return send(200, '{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('the smoke test against a loopback API', () => {
  let keys: Awaited<ReturnType<typeof generateKeyPair>>;
  const tokenWith = (scope: string) =>
    new SignJWT({ scope, client_id: 'client-a' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer('https://is.example.com/oauth2/token')
      .setAudience('client-a')
      .setSubject('alice')
      .setExpirationTime('5m')
      .sign(keys.privateKey);

  beforeAll(async () => {
    keys = await generateKeyPair('RS256');
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
      const args = parseArgs(['-c', 'env=staging', '--url', gateway.url, '--token', await tokenWith('api:access')]);
      const results = await smoke(args, (line) => lines.push(line));
      expect(results.every((result) => result.outcome === 'pass')).toBe(true);
      expect(lines[0]).toBe(`smoke test of ${gateway.url}`);
      expect(lines.at(-1)).toBe('smoke test passed');
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
    const other = await generateKeyPair('RS256');
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
  test('parses -c, --token, --url and --region; SMOKE_TOKEN supplies the token', () => {
    expect(parseArgs(['-c', 'env=prod', '--url', 'https://x/', '--region', 'eu-west-1'], { SMOKE_TOKEN: 't' })).toEqual(
      {
        context: { env: 'prod' },
        token: 't',
        url: 'https://x/',
        region: 'eu-west-1',
      },
    );
  });

  test.each<[string[], string]>([
    [
      ['--tokn', 'x'],
      'unknown argument "--tokn" (usage: npm run smoke -- -c env=<name> [--token <jwt>] [--url <base>] [--region ' +
        '<region>])',
    ],
    [['-c', 'prod'], '-c takes key=value, got "prod"'],
    [['--token'], '--token needs a value'],
  ])('%j is refused', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(new SmokeError(message));
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

describe('reading the stack outputs (a fake CloudFormation client, no AWS call)', () => {
  const fake = (answer: () => Promise<unknown>): StackDescriber & { commands: DescribeStacksCommand[] } => {
    const commands: DescribeStacksCommand[] = [];
    return {
      commands,
      send: async (command) => {
        commands.push(command);
        return answer() as never;
      },
    };
  };

  test('returns ApiUrl of Wso2JwtHttpApi-<env>', async () => {
    const client = fake(async () => ({
      Stacks: [
        { StackStatus: 'UPDATE_COMPLETE', Outputs: [{ OutputKey: 'ApiUrl', OutputValue: 'https://api.example.com/' }] },
      ],
    }));
    await expect(readApiUrl('Wso2JwtHttpApi-prod', 'eu-west-1', client)).resolves.toBe('https://api.example.com/');
    expect(client.commands[0].input).toEqual({ StackName: 'Wso2JwtHttpApi-prod' });
  });

  test('a missing stack says to deploy or pass --url', async () => {
    const client = fake(async () => {
      throw new Error('Stack with id Wso2JwtHttpApi-dev does not exist');
    });
    await expect(readApiUrl('Wso2JwtHttpApi-dev', 'eu-west-1', client)).rejects.toThrow(
      new SmokeError('stack Wso2JwtHttpApi-dev does not exist in eu-west-1: deploy it first, or pass --url'),
    );
  });

  test('a stack without ApiUrl is named with its status', async () => {
    const client = fake(async () => ({ Stacks: [{ StackStatus: 'CREATE_IN_PROGRESS', Outputs: [] }] }));
    await expect(readApiUrl('Wso2JwtHttpApi-dev', undefined, client)).rejects.toThrow(
      new SmokeError(
        "stack Wso2JwtHttpApi-dev (CREATE_IN_PROGRESS) has no ApiUrl output: is it this project's stack, fully " +
          'deployed?',
      ),
    );
  });

  test('the CLI reads the URL from the stack of the selected environment', async () => {
    const client = fake(async () => ({
      Stacks: [{ Outputs: [{ OutputKey: 'ApiUrl', OutputValue: 'http://127.0.0.1:9/' }] }],
    }));
    await expect(smoke(parseArgs(['-c', 'env=prod']), () => undefined, client)).rejects.toThrow(
      /cannot reach http:\/\/127\.0\.0\.1:9\/health/,
    );
    expect(client.commands[0].input).toEqual({ StackName: 'Wso2JwtHttpApi-prod' });
  });
});
