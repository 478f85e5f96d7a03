import { FIX } from '../../../rules/issuer/fixes';
import type { CheckResult } from '../../../tools/doctor/report';
import type { SynthesizedRoute } from '../../../tools/doctor/routes';
import { runTokenChecks } from '../../../tools/doctor/token-checks';
import { tokenRules } from '../../../tools/doctor/token-rules';
import { rsaKey, signJws, type TestKey } from '../../support/signing';

/**
 * The doctor's token checks in-process with the real rules, for claims of an unexpected type
 * or magnitude (issue 12): the report is printed, never an "unexpected error".
 */
const ISSUER = 'https://idp.example.com/oauth2/token';
const CLIENT = 'client-a';
const NOW = 1_764_400_000;
const KID = 'kid-1';
const ROUTES: SynthesizedRoute[] = [
  { routeKey: 'GET /health', protected: false, scopes: [] },
  { routeKey: 'GET /hello', protected: true, scopes: [] },
  { routeKey: 'GET /reports', protected: true, scopes: ['reports:read'] },
];

let key: TestKey;
beforeAll(async () => {
  key = await rsaKey(KID);
});

async function check(claims: Record<string, unknown>, audiences = [CLIENT]) {
  const payload = { iss: ISSUER, aud: CLIENT, exp: NOW + 3600, iat: NOW - 10, scope: 'reports:read', ...claims };
  const token = await signJws({ alg: 'RS256', kid: KID, typ: 'at+jwt' }, payload, key.privateKey);
  const result = await runTokenChecks({
    token,
    issuerUrl: ISSUER,
    audiences,
    jwks: { keys: [key.publicJwk] },
    routes: ROUTES,
    rules: tokenRules,
    nowSeconds: NOW,
  });
  const line = (id: string): CheckResult => {
    const found = result.checks.find((item) => item.id === id);
    if (!found) throw new Error(`no check ${id}`);
    return found;
  };
  return { ...result, line };
}

describe('an exp beyond the range of a JavaScript date', () => {
  test('is reported as valid, not as an unexpected RangeError', async () => {
    const run = await check({ exp: 1e300 });
    expect(run.line('token.time')).toEqual({
      id: 'token.time',
      title: 'token lifetime',
      verdict: 'ok',
      detail: 'valid for another more than 1000 years (exp 1e+300, beyond any date); nbf and iat in the past',
    });
    expect(run.routes.map((route) => route.status)).toEqual([200, 200, 200]);
  });

  test('a fractional exp counts in whole seconds', async () => {
    expect((await check({ exp: NOW + 30.75 })).line('token.time').detail).toMatch(/^valid for another 30 s /);
  });

  test('an expired token far in the past names the date', async () => {
    expect((await check({ exp: 86_400 })).line('token.time')).toMatchObject({
      verdict: 'fail',
      detail: expect.stringMatching(/^expired \d+ h \d+ min ago \(exp 1970-01-02T00:00:00Z\)$/),
      fix: FIX.expired,
    });
  });

  test('an exp as a digit string is a claim problem, not the clock', async () => {
    expect((await check({ exp: String(NOW + 3600) })).line('token.time')).toEqual({
      id: 'token.time',
      title: 'token lifetime',
      verdict: 'fail',
      detail: `exp must be a NumericDate (seconds since the epoch, a number), got "${NOW + 3600}"`,
      fix: FIX.expClaim,
    });
  });
});

describe('the audience fix', () => {
  test('a resource indicator in aud while the client id is listed: the aud value is what is missing', async () => {
    const run = await check({ aud: 'https://api.example.com', client_id: CLIENT });
    expect(run.line('token.aud')).toEqual({
      id: 'token.aud',
      title: 'token audience',
      verdict: 'fail',
      detail:
        'aud "https://api.example.com" is not among the audiences ["client-a"]: the client id "client-a" is listed, ' +
        'but API Gateway checks client_id only when the token has no aud',
      fix: FIX.audValueMissing,
    });
  });

  test('the same with azp as the client id (WSO2 5.11 has no client_id)', async () => {
    const run = await check({ aud: ['https://api.example.com'], azp: CLIENT });
    expect(run.line('token.aud').fix).toBe(FIX.audValueMissing);
  });

  test('an unrelated aud and client id: add the client id', async () => {
    const run = await check({ aud: 'other', client_id: 'other' });
    expect(run.line('token.aud')).toMatchObject({
      detail: 'aud "other" is not among the audiences ["client-a"]',
      fix: FIX.audMismatch,
    });
  });
});

describe('claims of an unexpected shape are shown, cut, never crash', () => {
  test('no iss', async () => {
    expect((await check({ iss: undefined })).line('token.iss')).toEqual({
      id: 'token.iss',
      title: 'token iss',
      verdict: 'fail',
      detail: `the token has no iss, configured "${ISSUER}"`,
      fix: FIX.issMismatch,
    });
  });

  test('a 100 kB iss and aud are cut in the report', async () => {
    const run = await check({ iss: 'x'.repeat(100_000), aud: ['y'.repeat(100_000)] });
    expect(JSON.stringify(run.checks).length).toBeLessThan(5_000);
    expect(run.line('token.iss').detail).toContain('…(100002 chars)');
  });

  test('scope as an array holding non-strings', async () => {
    const run = await check({ scope: [1, null, 'reports:read'] });
    expect(run.line('token.scopes').detail).toBe('scope "1  reports:read": opens every protected route');
  });

  test('a typ that is not a string is shown as JSON', async () => {
    const token = await signJws(
      { alg: 'RS256', kid: KID, typ: { a: 1 } },
      { iss: ISSUER, aud: CLIENT, exp: NOW + 60 },
      key.privateKey,
    );
    const run = await runTokenChecks({
      token,
      issuerUrl: ISSUER,
      audiences: [CLIENT],
      jwks: { keys: [key.publicJwk] },
      routes: ROUTES,
      rules: tokenRules,
      nowSeconds: NOW,
    });
    expect(run.checks[0].detail).toMatch(/, typ \{"a":1\}$/);
  });
});
