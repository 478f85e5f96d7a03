import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIX, LOCAL_ONLY } from '../../../rules/issuer/fixes';
import { startMisbehavingIdp, type MisbehavingIdp } from '../../support/misbehaving-idp';
import { localIssuerArgs, runDoctor } from '../../support/run-doctor';
import { testTempDir } from '../../support/temp-dir';
import { fakeNet, ok } from '../../support/fake-issuer-net';

const PUBLIC_ISSUER = 'https://is.example.com/oauth2/token';
const PUBLIC_PARTNER = 'https://is.example.com/t/partner.example.com/oauth2/token';

/**
 * The doctor against a WSO2-shaped issuer on loopback that misbehaves in each way the issue
 * lists. Loopback and a self-signed certificate are themselves failures for AWS, so every
 * run here is `--allow-private --ca-file` (exit 1) and asserts the line under test.
 */
describe('npm run doctor against a misbehaving loopback issuer', () => {
  let idp: MisbehavingIdp;
  let caFile: string;
  let local: string[];

  beforeAll(async () => {
    idp = await startMisbehavingIdp();
    caFile = join(testTempDir('doctor-test-'), 'ca.pem');
    writeFileSync(caFile, idp.certPem);
    // dev's second issuer (partner) pointed at the same local issuer: every issuer is checked.
    local = localIssuerArgs(idp.issuer, caFile);
  });
  afterAll(() => idp.close());
  beforeEach(() => {
    idp.faults = {};
  });

  describe('a healthy local WSO2 IS with a valid token', () => {
    test('every issuer and token check passes except the two AWS cannot accept', async () => {
      // GIVEN a token with the scopes of every route (both issuers are this one here)
      const token = await idp.mintToken({ scope: 'reports:read api:access' });

      // WHEN
      const run = await runDoctor([...local, '--token', token]);

      // THEN the loopback host and the self-signed certificate fail, as local only
      expect(run.code).toBe(1);
      expect(run.line('issuer host')).toEqual({
        verdict: 'fail',
        detail: `127.0.0.1 is loopback or private (${LOCAL_ONLY})`,
        fix: FIX.hostPrivate,
      });
      expect(run.line('issuer TLS')).toEqual({
        verdict: 'fail',
        detail:
          `certificate for CN=localhost not trusted by Node's default CA store (DEPTH_ZERO_SELF_SIGNED_CERT): ` +
          `API Gateway will refuse it; trusted with --ca-file (${LOCAL_ONLY})`,
        fix: FIX.tlsUntrusted,
      });
      // AND everything else is ok
      for (const title of [
        'issuer URL',
        'discovery',
        'discovery issuer',
        'jwks_uri',
        'JWKS',
        'JWKS keys',
        'token format',
        'token alg',
        'token kid',
        'token signature',
        'token iss',
        'token audience',
        'token lifetime',
        'token scopes',
        'token kind',
      ]) {
        expect([title, run.line(title).verdict]).toEqual([title, 'ok']);
      }
      expect(run.line('JWKS keys').detail).toBe(`1 RSA signing key(s) with kid: ${idp.kid}`);
      expect(run.line('token lifetime').detail).toMatch(
        /^valid for another (59|60) min \(exp \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\); nbf and iat in the past$/,
      );
      // AND the route table comes from the synthesized dev stack
      expect(run.stdout).toMatch(/GET \/hello +any valid token +200 +valid token\n/);
      expect(run.stdout).toMatch(/GET \/health +public +200 +public route\n/);
      expect(run.stdout).toMatch(/GET \/reports +scope reports:read +200 +valid token with a required scope\n/);
      // 15 ok and 3 fail for the default issuer and the token, 6 ok and 3 fail for the partner issuer
      expect(run.stdout).toMatch(/\n21 ok, 0 warn, 6 fail, 0 skip\n$/);
    });

    test('the token is never printed back in full, in text or JSON', async () => {
      const token = await idp.mintToken();
      const text = await runDoctor([...local, '--token', token]);
      const json = await runDoctor([...local, '--token', `Bearer ${token}`, '--json']);
      expect(text.stdout).not.toContain(token);
      expect(json.stdout).not.toContain(token);
      expect(text.stdout).not.toContain(token.split('.')[1]);
    });

    test('--json prints the same results for scripts', async () => {
      // WHEN
      const token = await idp.mintToken({ scope: 'reports:read api:access' });
      const run = await runDoctor([...local, '--json', '--token-stdin'], { stdin: `${token}\n` });

      // THEN
      const report = JSON.parse(run.stdout);
      expect(run.code).toBe(1);
      expect(report).toMatchObject({
        environment: 'dev',
        issuerUrl: idp.issuer,
        audiences: ['wso2-jwt-demo-client'],
        exitCode: 1,
        summary: { ok: 21, warn: 0, fail: 6, skip: 0 },
      });
      expect(report.checks.find((check: { id: string }) => check.id === 'discovery.issuer')).toEqual({
        id: 'discovery.issuer',
        title: 'discovery issuer',
        verdict: 'ok',
        detail: 'equals the configured issuer',
      });
      expect(report.routes).toContainEqual({
        routeKey: 'GET /me',
        requires: 'any valid token',
        status: 200,
        reason: 'valid token',
      });
    });
  });

  describe('issuer failures', () => {
    test(
      'without --allow-private a loopback issuer fails and the network checks are skipped, with the ' + 'reason',
      async () => {
        const run = await runDoctor(['-c', `issuerUrl=${idp.issuer}`]);
        expect(run.code).toBe(1);
        expect(run.line('issuer host')).toEqual({
          verdict: 'fail',
          detail:
            '127.0.0.1 is loopback or private: API Gateway cannot reach it (--allow-private checks the rest locally)',
          fix: FIX.hostPrivate,
        });
        expect(run.line('discovery')).toEqual({
          verdict: 'skip',
          detail: 'issuer host 127.0.0.1 is loopback or private (--allow-private checks it locally)',
        });
        expect(run.line('JWKS keys').verdict).toBe('skip');
      },
    );

    test('self-signed certificate without --ca-file: a fail for AWS, and the rest is skipped', async () => {
      const run = await runDoctor(['-c', `issuerUrl=${idp.issuer}`, '--allow-private']);
      expect(run.line('issuer TLS')).toEqual({
        verdict: 'fail',
        detail:
          "certificate for CN=localhost not trusted by Node's default CA store (DEPTH_ZERO_SELF_SIGNED_CERT): API " +
          'Gateway will refuse it',
        fix: FIX.tlsUntrusted,
      });
      expect(run.line('discovery')).toEqual({
        verdict: 'skip',
        detail: "the issuer's certificate is not trusted (--ca-file checks the rest locally)",
      });
    });

    test('wrong issuer in discovery: both values shown', async () => {
      idp.faults = { discoveryIssuer: 'https://localhost:9443/oauth2/token' };
      const run = await runDoctor(local);
      expect(run.line('discovery issuer')).toEqual({
        verdict: 'fail',
        detail: `discovery says "https://localhost:9443/oauth2/token", configured "${idp.issuer}"`,
        fix: FIX.issuerMismatch,
      });
      // The JWKS is still checked: its URI came from the document.
      expect(run.line('JWKS keys').verdict).toBe('ok');
    });

    test('no discovery document (WSO2 IS before 5.8): 404, and what depends on it is skipped', async () => {
      idp.faults = { noDiscovery: true };
      const run = await runDoctor(local);
      expect(run.line('discovery')).toEqual({
        verdict: 'fail',
        detail:
          `${idp.issuer}/.well-known/openid-configuration: ${idp.issuer}/.well-known/openid-configuration ` +
          `answered HTTP 404, expected 200`,
        fix: FIX.discoveryMissing,
      });
      expect(run.line('discovery issuer')).toEqual({
        verdict: 'skip',
        detail: `no discovery document at ${idp.issuer}/.well-known/openid-configuration`,
      });
      expect(run.line('JWKS')).toEqual({
        verdict: 'skip',
        detail: `no discovery document at ${idp.issuer}/.well-known/openid-configuration`,
      });
    });

    test("slow JWKS: cut off at API Gateway's 1500 ms", async () => {
      idp.faults = { jwksDelayMs: 6000 };
      const started = Date.now();
      const run = await runDoctor(local);
      const jwksUri = `https://127.0.0.1:${idp.port}/oauth2/jwks`;
      expect(run.line('JWKS')).toEqual({
        verdict: 'fail',
        detail: `${jwksUri}: ${jwksUri} did not answer completely within 1500 ms (API Gateway's limit)`,
        fix: FIX.jwksSlow,
      });
      expect(run.line('JWKS keys')).toEqual({ verdict: 'skip', detail: 'no JWKS' });
      expect(Date.now() - started).toBeLessThan(4500);
    });

    test('oversized JWKS: over 150000 bytes', async () => {
      idp.faults = { jwksMinBytes: 150_001 };
      const run = await runDoctor(local);
      const jwksUri = `https://127.0.0.1:${idp.port}/oauth2/jwks`;
      expect(run.line('JWKS').verdict).toBe('fail');
      expect(run.line('JWKS').detail).toMatch(
        new RegExp(
          `^${jwksUri.replace(/\./g, '\\.')}: ${jwksUri.replace(/\./g, '\\.')} declares \\d+ bytes, more than the ` +
            `limit of 150000$`,
        ),
      );
      expect(run.line('JWKS').fix).toBe(FIX.jwksTooLarge);
    });

    test('EC keys only: no key API Gateway can use', async () => {
      idp.faults = { jwksKeys: 'ec-only' };
      const run = await runDoctor(local);
      expect(run.line('JWKS')).toMatchObject({ verdict: 'ok' });
      expect(run.line('JWKS keys')).toEqual({
        verdict: 'fail',
        detail: 'no RSA signing key with a kid: keys[0] kty "EC" is not RSA',
        fix: FIX.noRsaKey,
      });
    });

    test('an EC key beside the RSA one is reported, as a warning', async () => {
      idp.faults = { jwksKeys: 'rsa-and-ec' };
      const run = await runDoctor(local);
      expect(run.line('JWKS keys')).toEqual({
        verdict: 'warn',
        detail: `1 RSA signing key(s) with kid: ${idp.kid}; ignored by API Gateway: keys[1] kty "EC" is not RSA`,
        fix: FIX.nonRsaKeys,
      });
    });

    test('RSA key without kid', async () => {
      idp.faults = { jwksKeys: 'rsa-without-kid' };
      const run = await runDoctor([...local, '--token', await idp.mintToken()]);
      expect(run.line('JWKS keys')).toEqual({
        verdict: 'fail',
        detail: 'no RSA signing key with a kid: keys[0] has no kid',
        fix: FIX.keyWithoutKid,
      });
      expect(run.line('token kid').verdict).toBe('fail');
      expect(run.line('token kid').fix).toBe(FIX.kidUnknown);
    });
  });

  describe('token failures', () => {
    test('an opaque token: "set the token type to JWT", and the other token checks are skipped', async () => {
      const run = await runDoctor([...local, '--token', '5c3f2f1e-8f9a-3b4c-9d2e-1a2b3c4d5e6f']);
      expect(run.line('token format')).toEqual({
        verdict: 'fail',
        detail: '5c3f2f1e...5e6f (36 chars) is an opaque token, not a JWT: API Gateway answers 401 to it',
        fix: FIX.opaqueToken,
      });
      expect(FIX.opaqueToken).toMatch(/^set the token type to JWT/);
      expect(run.line('token signature')).toEqual({ verdict: 'skip', detail: 'the token is not a JWT' });
      expect(run.stdout).toMatch(/GET \/me +any valid token +401 +the token is not a JWT\n/);
      expect(run.stdout).toMatch(/GET \/health +public +200/);
    });

    test('an expired token: how long ago, and 401 everywhere it matters', async () => {
      const now = Math.floor(Date.now() / 1000);
      const run = await runDoctor([
        ...local,
        '--token',
        await idp.mintToken({ iat: now - 7200, nbf: now - 7200, exp: now - 600 }),
      ]);
      expect(run.line('token lifetime')).toEqual({
        verdict: 'fail',
        detail: expect.stringMatching(/^expired 10 min ago \(exp \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)$/),
        fix: FIX.expired,
      });
      expect(run.stdout).toMatch(/GET \/hello +any valid token +401 +token lifetime: expired 10 min ago/);
      // The other claims are still judged on their own.
      expect(run.line('token audience').verdict).toBe('ok');
    });

    test('a token of another client', async () => {
      const other = { aud: 'another-client', azp: 'another-client', client_id: 'another-client' };
      const run = await runDoctor([...local, '--token', await idp.mintToken(other)]);
      expect(run.line('token audience')).toEqual({
        verdict: 'fail',
        detail: 'aud "another-client" is not among the audiences ["wso2-jwt-demo-client"]',
        fix: FIX.audMismatch,
      });
    });

    test('no aud: client_id is matched instead, as API Gateway does', async () => {
      const run = await runDoctor([...local, '--token', await idp.mintToken({ aud: undefined })]);
      expect(run.line('token audience')).toEqual({
        verdict: 'ok',
        detail: 'no aud; client_id "wso2-jwt-demo-client" is among the audiences',
      });
    });

    test('a missing scope: 403 on the route that needs it, with the WSO2 fix', async () => {
      const run = await runDoctor([...local, '--token', await idp.mintToken({ scope: 'openid profile' })]);
      expect(run.line('token scopes')).toEqual({
        verdict: 'warn',
        detail: 'scope "openid profile": 403 on GET /reports (needs scope reports:read)',
        fix: FIX.missingScope,
      });
      expect(run.stdout).toMatch(/GET \/reports +scope reports:read +403 +the token holds none of reports:read\n/);
      expect(run.stdout).toMatch(/GET \/hello +any valid token +200/);
    });

    test('an ID-token-shaped token: warned, naming the routes it would still open', async () => {
      const run = await runDoctor([
        ...local,
        '--token',
        await idp.mintToken({ scope: undefined, at_hash: 'x4Kf', nonce: 'n-1', amr: ['BasicAuthenticator'] }),
      ]);
      expect(run.line('token kind')).toEqual({
        verdict: 'warn',
        detail:
          'looks like an ID token (no scope, has at_hash, nonce, amr): ' +
          'it would still open GET /hello, GET /me, GET /orders, GET /orders/{id}, ANY /legacy/{proxy+} ' +
          '(protected routes that require no scope)',
        fix: FIX.idToken,
      });
    });

    test('a token from another issuer and an unknown kid: both reported, neither hides the other', async () => {
      const run = await runDoctor([
        ...local,
        '--token',
        await idp.mintToken({ iss: 'https://localhost:9443/oauth2/token' }, { header: { kid: 'rotated-away' } }),
      ]);
      expect(run.line('token kid')).toMatchObject({ verdict: 'fail', fix: FIX.kidUnknown });
      expect(run.line('token signature')).toEqual({ verdict: 'skip', detail: "no JWKS key for the token's kid" });
      expect(run.line('token iss')).toEqual({
        verdict: 'fail',
        detail: `token iss "https://localhost:9443/oauth2/token", configured "${idp.issuer}"`,
        fix: FIX.issMismatch,
      });
    });

    test('an HS256 token: not RSA, so its signature is not even tried', async () => {
      // header {"alg":"HS256","kid":"k"}, payload {"iss":"x"}
      const run = await runDoctor([...local, '--token', 'eyJhbGciOiJIUzI1NiIsImtpZCI6ImsifQ.eyJpc3MiOiJ4In0.c2ln']);
      expect(run.line('token alg')).toEqual({
        verdict: 'fail',
        detail: 'header alg "HS256" is not supported: API Gateway accepts RS256, RS384, RS512 only',
        fix: FIX.algNotRsa,
      });
      expect(run.line('token signature')).toEqual({ verdict: 'skip', detail: 'the algorithm is not RSA' });
    });
  });

  describe('several issuers', () => {
    test('checks them at once (two slow issuers cost one bound, not two) and reports them in order', async () => {
      // GIVEN a network whose discovery documents answer only once both issuers have asked for theirs
      const asked: string[] = [];
      const aloneTooLong: string[] = [];
      let bothAsked = () => {};
      const both = new Promise<void>((resolve) => (bothAsked = resolve));
      const net = fakeNet({
        fetchDiscovery: async (issuer) => {
          asked.push(issuer);
          if (asked.length === 2) bothAsked();
          // Checked one after the other, the first would wait here for ever: 5 s bounds it.
          let timer: NodeJS.Timeout | undefined;
          const alone = new Promise<'alone'>((resolve) => (timer = setTimeout(() => resolve('alone'), 5000)));
          if ((await Promise.race([both, alone])) === 'alone') aloneTooLong.push(issuer);
          clearTimeout(timer);
          return ok(`${issuer}/.well-known/openid-configuration`, {
            issuer,
            jwks_uri: 'https://is.example.com/oauth2/jwks',
          });
        },
      });
      const issuers = ['-c', `issuerUrl=${PUBLIC_ISSUER}`, '-c', `issuerUrl.partner=${PUBLIC_PARTNER}`];

      // WHEN
      const run = await runDoctor([...issuers, '--json'], { deps: { net: () => net } });

      // THEN both were asked before either answered, and the report lists the default first
      expect(aloneTooLong).toEqual([]);
      expect([...asked].sort()).toEqual([PUBLIC_ISSUER, PUBLIC_PARTNER]);
      const report = JSON.parse(run.stdout);
      expect(report.issuers.map((issuer: { name: string }) => issuer.name)).toEqual(['default', 'partner']);
      expect(report.issuers[1].checks).toContainEqual(expect.objectContaining({ id: 'discovery', verdict: 'ok' }));
    });

    test('checks every issuer and says which routes each one guards', async () => {
      const run = await runDoctor(local);
      expect(run.stdout).toContain(
        'issuer default (default) guards ' +
          'ANY /legacy/{proxy+}, GET /hello, GET /me, GET /orders, GET /orders/{id}, GET /reports\n',
      );
      expect(run.stdout).toContain(
        `issuer partner: ${idp.issuer}, audiences wso2-jwt-partner-client; guards GET /partner/orders\n`,
      );
      expect(run.stdout).toMatch(/\n {2}ok {4}discovery issuer +equals the configured issuer\n/);
    });

    test(
      'an unreachable second issuer fails the run under its own name; ' + "its routes answer the first one's token 401",
      async () => {
        // GIVEN partner on a closed loopback port, and a token of the default issuer
        const args = ['-c', `issuerUrl=${idp.issuer}`, '--allow-private', '--ca-file', caFile];
        const partner = ['-c', 'issuerUrl.partner=https://127.0.0.1:9/t/partner.example.com/oauth2/token'];

        // WHEN
        const run = await runDoctor([...args, ...partner, '--json', '--token', await idp.mintToken()]);

        // THEN
        const report = JSON.parse(run.stdout);
        expect(run.code).toBe(1);
        expect(report.issuers.map((issuer: { name: string }) => issuer.name)).toEqual(['default', 'partner']);
        expect(report.issuers[1]).toMatchObject({
          default: false,
          issuerUrl: 'https://127.0.0.1:9/t/partner.example.com/oauth2/token',
          guards: ['GET /partner/orders'],
        });
        expect(report.issuers[1].checks).toContainEqual(expect.objectContaining({ id: 'discovery', verdict: 'fail' }));
        expect(report.routes).toContainEqual({
          routeKey: 'GET /partner/orders',
          requires: 'a token of issuer partner',
          status: 401,
          reason: "guarded by another issuer than this token's (default)",
        });
      },
    );
  });
});
