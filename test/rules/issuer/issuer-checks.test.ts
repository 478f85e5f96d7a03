import { FIX, LOCAL_ONLY } from '../../../rules/issuer/fixes';
import { type IssuerCheckOptions, runIssuerChecks } from '../../../rules/issuer/issuer-checks';
import type { CheckResult } from '../../../rules/issuer/check-result';
import type { FetchOutcome, IssuerNet, LookupOutcome, TlsTrustOutcome } from '../../../rules/issuer/net';

/**
 * The issuer checks run directly on an in-process fake network: each case changes one
 * answer of a healthy WSO2 issuer and asserts the lines the doctor and the deploy-time
 * Lambda print (verdict, words, fix) and which later checks are skipped, and why.
 */
const ISSUER = 'https://idp.example.com/oauth2/token';
const DISCOVERY_URL = `${ISSUER}/.well-known/openid-configuration`;
const JWKS_URI = 'https://idp.example.com/oauth2/jwks';
const RSA_KEY = { kty: 'RSA', use: 'sig', kid: 'k1', n: 'modulus', e: 'AQAB' };

interface Answers {
  lookup?: LookupOutcome;
  tls?: TlsTrustOutcome | ((url: string) => TlsTrustOutcome);
  discovery?: Partial<FetchOutcome>;
  jwks?: Partial<FetchOutcome>;
}

/** A healthy issuer unless told otherwise; `asked` lists the network calls made, in order. */
function fakeNet(answers: Answers = {}): IssuerNet & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    lookup: async (host) => {
      asked.push(`lookup ${host}`);
      return answers.lookup ?? { addresses: ['93.184.215.14'] };
    },
    tlsTrust: async (url) => {
      asked.push(`tls ${url}`);
      const tls = answers.tls ?? { reachable: true, trusted: true, subject: 'CN=idp.example.com', issuer: 'CN=R11' };
      return typeof tls === 'function' ? tls(url) : tls;
    },
    fetchDiscovery: async (issuer) => {
      asked.push(`discovery ${issuer}`);
      return {
        url: DISCOVERY_URL,
        status: 200,
        bytes: 1234,
        elapsedMs: 12.4,
        body: { issuer: ISSUER, jwks_uri: JWKS_URI },
        ...answers.discovery,
      };
    },
    fetchJwks: async (url) => {
      asked.push(`jwks ${url}`);
      return { url, status: 200, bytes: 456, elapsedMs: 7.6, body: { keys: [RSA_KEY] }, ...answers.jwks };
    },
  };
}

async function run(answers: Answers = {}, options: Partial<IssuerCheckOptions> = {}) {
  const net = fakeNet(answers);
  const outcome = await runIssuerChecks({ issuerUrl: ISSUER, net, ...options });
  const byId = (id: string): CheckResult => {
    const found = outcome.checks.find((check) => check.id === id);
    if (!found) throw new Error(`no check ${id}`);
    return found;
  };
  return { ...outcome, byId, asked: net.asked };
}

const skipped = (id: string, title: string, detail: string): CheckResult => ({ id, title, verdict: 'skip', detail });

describe('runIssuerChecks on a healthy issuer', () => {
  test('every check is ok, in order, and the JWKS is handed to the token checks', async () => {
    const outcome = await run();
    expect(outcome.checks).toEqual([
      { id: 'issuer.url', title: 'issuer URL', verdict: 'ok', detail: 'https, no query or fragment' },
      { id: 'issuer.host', title: 'issuer host', verdict: 'ok', detail: 'idp.example.com resolves to 93.184.215.14' },
      {
        id: 'tls.issuer',
        title: 'issuer TLS',
        verdict: 'ok',
        detail: "certificate for CN=idp.example.com trusted by Node's default CA store (issued by CN=R11)",
      },
      {
        id: 'discovery',
        title: 'discovery',
        verdict: 'ok',
        detail: `${DISCOVERY_URL}: 200 JSON, 1234 bytes in 12 ms`,
      },
      { id: 'discovery.issuer', title: 'discovery issuer', verdict: 'ok', detail: 'equals the configured issuer' },
      { id: 'jwks.uri', title: 'jwks_uri', verdict: 'ok', detail: JWKS_URI },
      {
        id: 'tls.jwks',
        title: 'JWKS TLS',
        verdict: 'ok',
        detail:
          "same host as the issuer: certificate for CN=idp.example.com trusted by Node's default CA store " +
          '(issued by CN=R11)',
      },
      { id: 'jwks', title: 'JWKS', verdict: 'ok', detail: `${JWKS_URI}: 200 JSON, 456 bytes in 8 ms` },
      { id: 'jwks.keys', title: 'JWKS keys', verdict: 'ok', detail: '1 RSA signing key(s) with kid: k1' },
    ]);
    expect(outcome.jwks).toEqual({ keys: [RSA_KEY] });
    // The JWKS host is the issuer's: its TLS answer is reused, not asked again.
    expect(outcome.asked).toEqual([
      'lookup idp.example.com',
      `tls ${ISSUER}`,
      `discovery ${ISSUER}`,
      `jwks ${JWKS_URI}`,
    ]);
  });

  test('a fetch without status or size says 200 and "?" bytes', async () => {
    const { byId } = await run({ discovery: { status: undefined, bytes: undefined, elapsedMs: 3 } });
    expect(byId('discovery').detail).toBe(`${DISCOVERY_URL}: 200 JSON, ? bytes in 3 ms`);
  });
});

describe('1. the issuer URL', () => {
  test('an unusable URL fails with its problem, and nothing is asked of the network', async () => {
    const net = fakeNet();
    const outcome = await runIssuerChecks({ issuerUrl: 'http://idp.example.com/oauth2/token', net });
    const reason = 'the issuer URL is not usable';
    expect(outcome.checks).toEqual([
      {
        id: 'issuer.url',
        title: 'issuer URL',
        verdict: 'fail',
        detail:
          'issuer must use https (API Gateway only fetches keys over HTTPS), got "http://idp.example.com/oauth2/token"',
        fix:
          'use https://<host>[:port][/t/<tenant>]/oauth2/token (WSO2 IS) or ' +
          'https://api.asgardeo.io/t/<org>/oauth2/token',
      },
      skipped('issuer.host', 'issuer host', reason),
      skipped('tls.issuer', 'issuer TLS', reason),
      skipped('discovery', 'discovery', reason),
      skipped('discovery.issuer', 'discovery issuer', reason),
      skipped('jwks.uri', 'jwks_uri', reason),
      skipped('tls.jwks', 'JWKS TLS', reason),
      skipped('jwks', 'JWKS', reason),
      skipped('jwks.keys', 'JWKS keys', reason),
    ]);
    expect(outcome.jwks).toBeUndefined();
    expect(net.asked).toEqual([]);
  });

  test('a trailing "/" is a warning with its fix, and the checks go on', async () => {
    const issuerUrl = `${ISSUER}/`;
    const net = fakeNet({ discovery: { body: { issuer: issuerUrl, jwks_uri: JWKS_URI } } });
    const { checks } = await runIssuerChecks({ issuerUrl, net });
    expect(checks[0]).toEqual({
      id: 'issuer.url',
      title: 'issuer URL',
      verdict: 'warn',
      detail:
        `issuer "${issuerUrl}" ends with "/": WSO2 issuers do not, and API Gateway compares the token's iss ` +
        'exactly',
      fix: FIX.trailingSlash,
    });
    expect(checks.map((check) => check.verdict)).toEqual(['warn', ...Array(8).fill('ok')]);
  });

  test('a private host is not an issuer URL warning: the host check says it, with a fix', async () => {
    const issuerUrl = 'https://10.1.2.3/oauth2/token';
    const { checks } = await runIssuerChecks({ issuerUrl, net: fakeNet() });
    expect(checks[0].verdict).toBe('ok');
    // Both warnings apply to a private host with a trailing "/": the line names the "/".
    const slashed = await runIssuerChecks({ issuerUrl: `${issuerUrl}/`, net: fakeNet() });
    expect(slashed.checks[0]).toMatchObject({ verdict: 'warn', detail: expect.stringContaining('ends with "/"') });
  });
});

describe('2. the issuer host', () => {
  test('a public IP literal is not looked up', async () => {
    const net = fakeNet();
    const { checks } = await runIssuerChecks({ issuerUrl: 'https://93.184.215.14/oauth2/token', net });
    expect(checks[1]).toEqual({
      id: 'issuer.host',
      title: 'issuer host',
      verdict: 'ok',
      detail: '93.184.215.14 is a public address',
    });
    expect(net.asked.some((call) => call.startsWith('lookup'))).toBe(false);
  });

  test('an IPv6 literal is named without its brackets', async () => {
    const net = fakeNet();
    const { checks } = await runIssuerChecks({ issuerUrl: 'https://[2606:4700::1]/oauth2/token', net });
    expect(checks[1].detail).toBe('2606:4700::1 is a public address');
    expect(net.asked.some((call) => call.startsWith('lookup'))).toBe(false);
  });

  test('a private IP literal fails, blocks the rest, and hints at --allow-private', async () => {
    const net = fakeNet();
    const { checks, jwks } = await runIssuerChecks({ issuerUrl: 'https://10.1.2.3/oauth2/token', net });
    const reason = 'issuer host 10.1.2.3 is loopback or private (--allow-private checks it locally)';
    expect(checks.slice(1)).toEqual([
      {
        id: 'issuer.host',
        title: 'issuer host',
        verdict: 'fail',
        detail:
          '10.1.2.3 is loopback or private: API Gateway cannot reach it (--allow-private checks the rest locally)',
        fix: FIX.hostPrivate,
      },
      skipped('tls.issuer', 'issuer TLS', reason),
      skipped('discovery', 'discovery', reason),
      skipped('discovery.issuer', 'discovery issuer', reason),
      skipped('jwks.uri', 'jwks_uri', reason),
      skipped('tls.jwks', 'JWKS TLS', reason),
      skipped('jwks', 'JWKS', reason),
      skipped('jwks.keys', 'JWKS keys', reason),
    ]);
    expect(jwks).toBeUndefined();
    expect(net.asked).toEqual([]);
  });

  test('a name resolving to a private address among public ones fails; no flag named without hints', async () => {
    const { byId } = await run({ lookup: { addresses: ['93.184.215.14', '192.168.1.10'] } }, { flagHints: false });
    expect(byId('issuer.host')).toEqual({
      id: 'issuer.host',
      title: 'issuer host',
      verdict: 'fail',
      detail:
        'idp.example.com resolves to 93.184.215.14, 192.168.1.10, loopback or private: API Gateway cannot reach it',
      fix: FIX.hostPrivate,
    });
    expect(byId('discovery').verdict).toBe('skip');
  });

  test('flag hints are on unless turned off', async () => {
    const { byId } = await run({ lookup: { addresses: ['127.0.0.1'] } }, { flagHints: true });
    expect(byId('issuer.host').detail).toBe(
      'idp.example.com resolves to 127.0.0.1, loopback or private: API Gateway cannot reach it ' +
        '(--allow-private checks the rest locally)',
    );
  });

  test('a private host name is private whatever it resolves to', async () => {
    const net = fakeNet();
    const { checks } = await runIssuerChecks({ issuerUrl: 'https://localhost/oauth2/token', net });
    expect(checks[1]).toMatchObject({ verdict: 'fail', fix: FIX.hostPrivate });
    expect(checks[2].verdict).toBe('skip');
  });

  test('with --allow-private a private host still fails, as local only, and the checks go on', async () => {
    const { byId, jwks } = await run({ lookup: { addresses: ['10.0.0.5'] } }, { allowPrivate: true });
    expect(byId('issuer.host')).toEqual({
      id: 'issuer.host',
      title: 'issuer host',
      verdict: 'fail',
      detail: `idp.example.com resolves to 10.0.0.5, loopback or private (${LOCAL_ONLY})`,
      fix: FIX.hostPrivate,
    });
    expect(byId('jwks.keys').verdict).toBe('ok');
    expect(jwks).toEqual({ keys: [RSA_KEY] });
  });

  test('a name that does not resolve fails and blocks the rest', async () => {
    const { checks } = await run({ lookup: { error: 'ENOTFOUND' } });
    expect(checks[1]).toEqual({
      id: 'issuer.host',
      title: 'issuer host',
      verdict: 'fail',
      detail: 'idp.example.com does not resolve (ENOTFOUND)',
      fix: FIX.hostUnresolved,
    });
    expect(checks.slice(2).map((check) => check.detail)).toEqual(
      Array(7).fill('issuer host idp.example.com does not resolve'),
    );
  });

  test('a name that does not resolve here but goes through a proxy is a warning, and the checks go on', async () => {
    const { checks } = await run({ lookup: { error: 'ENOTFOUND', viaProxy: 'http://proxy.corp:3128' } });
    expect(checks[1]).toEqual({
      id: 'issuer.host',
      title: 'issuer host',
      verdict: 'warn',
      detail:
        'idp.example.com does not resolve here (ENOTFOUND); it is reached through the proxy http://proxy.corp:3128',
      fix: FIX.hostBehindProxy,
    });
    expect(checks.slice(2).every((check) => check.verdict === 'ok')).toBe(true);
  });

  test('EAI_AGAIN inside a longer resolver message is DNS being unavailable; a look-alike word is not', async () => {
    const unavailable = await run({ lookup: { error: 'getaddrinfo EAI_AGAIN idp.example.com' } });
    expect(unavailable.byId('issuer.host').fix).toBe(FIX.dnsUnavailable);
    const other = await run({ lookup: { error: 'XEAI_AGAIN' } });
    expect(other.byId('issuer.host').fix).toBe(FIX.hostUnresolved);
    // "no DNS answer" counts only at the start, as lookupWithTimeout writes it.
    const late = await run({ lookup: { error: 'resolver said: no DNS answer' } });
    expect(late.byId('issuer.host').fix).toBe(FIX.hostUnresolved);
  });
});

describe('3. the issuer TLS', () => {
  test('an untrusted certificate fails with the reason, blocks the rest and hints at --ca-file', async () => {
    const { checks } = await run({
      tls: { reachable: true, trusted: false, reason: 'DEPTH_ZERO_SELF_SIGNED_CERT', subject: 'CN=localhost' },
    });
    expect(checks[2]).toEqual({
      id: 'tls.issuer',
      title: 'issuer TLS',
      verdict: 'fail',
      detail:
        "certificate for CN=localhost not trusted by Node's default CA store (DEPTH_ZERO_SELF_SIGNED_CERT): " +
        'API Gateway will refuse it',
      fix: FIX.tlsUntrusted,
    });
    expect(checks.slice(3).map((check) => [check.verdict, check.detail])).toEqual(
      Array(6).fill(['skip', "the issuer's certificate is not trusted (--ca-file checks the rest locally)"]),
    );
  });

  test('with --ca-file it still fails, as local only, and the checks go on', async () => {
    const { checks, jwks } = await run({ tls: { reachable: true, trusted: false } }, { extraCa: true });
    expect(checks[2].detail).toBe(
      "certificate not trusted by Node's default CA store (untrusted): API Gateway will refuse it; " +
        `trusted with --ca-file (${LOCAL_ONLY})`,
    );
    expect(checks[6]).toEqual({
      ...checks[2],
      id: 'tls.jwks',
      title: 'JWKS TLS',
      detail: `same host as the issuer: ${checks[2].detail}`,
    });
    expect(checks[8].verdict).toBe('ok');
    expect(jwks).toBeDefined();
  });

  test('a trusted certificate without subject or issuer is named plainly', async () => {
    const { byId } = await run({ tls: { reachable: true, trusted: true } });
    expect(byId('tls.issuer').detail).toBe("certificate trusted by Node's default CA store");
  });

  test('no TLS session is a skip pointing at the fetch, and the fetch still runs', async () => {
    const { byId, asked } = await run({
      tls: { reachable: false, trusted: false, reason: 'ECONNREFUSED' },
      discovery: { body: undefined, status: undefined, failure: { kind: 'network', message: 'connect ECONNREFUSED' } },
    });
    expect(byId('tls.issuer')).toEqual(
      skipped('tls.issuer', 'issuer TLS', 'no TLS session (ECONNREFUSED): see the fetch below'),
    );
    expect(byId('discovery')).toEqual({
      id: 'discovery',
      title: 'discovery',
      verdict: 'fail',
      detail: `${DISCOVERY_URL}: connect ECONNREFUSED`,
      fix: FIX.hostUnresolved,
    });
    expect(asked).toContain(`discovery ${ISSUER}`);
  });

  test('no TLS session without a reason says "unknown error"', async () => {
    const { byId } = await run({ tls: { reachable: false, trusted: false } });
    expect(byId('tls.issuer').detail).toBe('no TLS session (unknown error): see the fetch below');
  });
});

describe('4. the discovery document', () => {
  test.each([
    ['timeout', FIX.discoverySlow],
    ['too-large', FIX.discoveryNotJson],
    ['tls', FIX.tlsUntrusted],
    ['status', FIX.discoveryMissing],
    ['not-json', FIX.discoveryNotJson],
    ['network', FIX.hostUnresolved],
  ] as const)('a %s failure fails with its message and fix, and blocks the JWKS checks', async (kind, fix) => {
    const { checks, jwks } = await run({ discovery: { body: undefined, failure: { kind, message: `a ${kind}` } } });
    expect(checks[3]).toEqual({
      id: 'discovery',
      title: 'discovery',
      verdict: 'fail',
      detail: `${DISCOVERY_URL}: a ${kind}`,
      fix,
    });
    expect(checks.slice(4)).toEqual([
      skipped('discovery.issuer', 'discovery issuer', `no discovery document at ${DISCOVERY_URL}`),
      skipped('jwks.uri', 'jwks_uri', `no discovery document at ${DISCOVERY_URL}`),
      skipped('tls.jwks', 'JWKS TLS', `no discovery document at ${DISCOVERY_URL}`),
      skipped('jwks', 'JWKS', `no discovery document at ${DISCOVERY_URL}`),
      skipped('jwks.keys', 'JWKS keys', `no discovery document at ${DISCOVERY_URL}`),
    ]);
    expect(jwks).toBeUndefined();
  });

  test('a network failure through a proxy points at the proxy, even when it mentions EAI_AGAIN', async () => {
    const { byId } = await run({
      discovery: { viaProxy: 'http://proxy.corp:3128', failure: { kind: 'network', message: 'EAI_AGAIN' } },
    });
    expect(byId('discovery').fix).toBe(FIX.proxyUnreachable);
  });

  test('a body that is not a JSON object lets no JWKS check run', async () => {
    const { byId, asked } = await run({ discovery: { body: ['not', 'an', 'object'] } });
    expect(byId('jwks.uri')).toEqual(skipped('jwks.uri', 'jwks_uri', `no discovery document at ${DISCOVERY_URL}`));
    expect(asked.some((call) => call.startsWith('jwks'))).toBe(false);
  });
});

describe('5. the discovery issuer', () => {
  test('another issuer fails with both values, and the JWKS is still checked', async () => {
    const { byId, jwks } = await run({ discovery: { body: { issuer: `${ISSUER}/`, jwks_uri: JWKS_URI } } });
    expect(byId('discovery.issuer')).toEqual({
      id: 'discovery.issuer',
      title: 'discovery issuer',
      verdict: 'fail',
      detail: `discovery says "${ISSUER}/", configured "${ISSUER}"`,
      fix: FIX.issuerMismatch,
    });
    expect(byId('jwks.keys').verdict).toBe('ok');
    expect(jwks).toBeDefined();
  });

  test('no issuer at all is shown as null', async () => {
    const { byId } = await run({ discovery: { body: { jwks_uri: JWKS_URI } } });
    expect(byId('discovery.issuer').detail).toBe(`discovery says null, configured "${ISSUER}"`);
  });
});

describe('6. jwks_uri', () => {
  const withJwksUri = (jwksUri: unknown): Answers => ({ discovery: { body: { issuer: ISSUER, jwks_uri: jwksUri } } });

  test('missing: fails, and the JWKS is not fetched', async () => {
    const { checks, asked } = await run(withJwksUri(undefined));
    expect(checks.slice(5)).toEqual([
      {
        id: 'jwks.uri',
        title: 'jwks_uri',
        verdict: 'fail',
        detail: 'discovery has no usable jwks_uri, got null',
        fix: FIX.jwksUriNotHttps,
      },
      skipped('tls.jwks', 'JWKS TLS', 'no usable jwks_uri'),
      skipped('jwks', 'JWKS', 'no usable jwks_uri'),
      skipped('jwks.keys', 'JWKS keys', 'no usable jwks_uri'),
    ]);
    expect(asked.some((call) => call.startsWith('jwks'))).toBe(false);
  });

  test('a string that is no URL fails the same way', async () => {
    const { byId } = await run(withJwksUri('not a url'));
    expect(byId('jwks.uri').detail).toBe('discovery has no usable jwks_uri, got "not a url"');
    expect(byId('jwks').detail).toBe('no usable jwks_uri');
  });

  test.each([
    ['http', 'http://idp.example.com/oauth2/jwks', 'is not https', FIX.jwksUriNotHttps],
    ['on another, private host', 'https://10.0.0.7/oauth2/jwks', 'is on a loopback or private host', FIX.hostPrivate],
  ])('%s: fails and blocks the JWKS', async (_case, jwksUri, problem, fix) => {
    const { checks } = await run(withJwksUri(jwksUri));
    expect(checks.slice(5)).toEqual([
      { id: 'jwks.uri', title: 'jwks_uri', verdict: 'fail', detail: `"${jwksUri}" ${problem}`, fix },
      skipped('tls.jwks', 'JWKS TLS', `jwks_uri ${problem}`),
      skipped('jwks', 'JWKS', `jwks_uri ${problem}`),
      skipped('jwks.keys', 'JWKS keys', `jwks_uri ${problem}`),
    ]);
  });

  test('on another, private host with --allow-private: fails as local only and the JWKS is fetched', async () => {
    const { byId, asked } = await run(withJwksUri('https://10.0.0.7/oauth2/jwks'), { allowPrivate: true });
    expect(byId('jwks.uri').detail).toBe(
      `"https://10.0.0.7/oauth2/jwks" is on a loopback or private host (${LOCAL_ONLY})`,
    );
    expect(byId('jwks').verdict).toBe('ok');
    expect(asked).toContain('jwks https://10.0.0.7/oauth2/jwks');
  });

  test("on the issuer's own private host it is not failed twice", async () => {
    const issuerUrl = 'https://10.0.0.7/oauth2/token';
    const net = fakeNet({
      discovery: { body: { issuer: issuerUrl, jwks_uri: 'https://10.0.0.7/oauth2/jwks' } },
    });
    const { checks } = await runIssuerChecks({ issuerUrl, net, allowPrivate: true });
    expect(checks.find((check) => check.id === 'jwks.uri')).toEqual({
      id: 'jwks.uri',
      title: 'jwks_uri',
      verdict: 'ok',
      detail: 'https://10.0.0.7/oauth2/jwks',
    });
  });
});

describe('7. the JWKS TLS', () => {
  const otherHost = 'https://keys.example.com/jwks';
  const withOtherHost: Answers = { discovery: { body: { issuer: ISSUER, jwks_uri: otherHost } } };

  test('another host is checked on its own', async () => {
    const { byId, asked } = await run({
      ...withOtherHost,
      tls: (url) =>
        url === otherHost
          ? { reachable: true, trusted: true, subject: 'CN=keys.example.com' }
          : { reachable: true, trusted: true },
    });
    expect(byId('tls.jwks')).toEqual({
      id: 'tls.jwks',
      title: 'JWKS TLS',
      verdict: 'ok',
      detail: "certificate for CN=keys.example.com trusted by Node's default CA store",
    });
    expect(asked).toEqual([
      'lookup idp.example.com',
      `tls ${ISSUER}`,
      `discovery ${ISSUER}`,
      `tls ${otherHost}`,
      `jwks ${otherHost}`,
    ]);
  });

  test('the same host name on another port is another TLS endpoint', async () => {
    const onPort = 'https://idp.example.com:8443/oauth2/jwks';
    const { asked } = await run({ discovery: { body: { issuer: ISSUER, jwks_uri: onPort } } });
    expect(asked).toContain(`tls ${onPort}`);
  });

  test("another host's untrusted certificate fails and blocks the JWKS", async () => {
    const untrusted = (url: string): TlsTrustOutcome =>
      url === otherHost
        ? { reachable: true, trusted: false, reason: 'SELF_SIGNED' }
        : { reachable: true, trusted: true };
    const { checks, jwks } = await run({ ...withOtherHost, tls: untrusted });
    expect(checks.slice(6)).toEqual([
      {
        id: 'tls.jwks',
        title: 'JWKS TLS',
        verdict: 'fail',
        detail: "certificate not trusted by Node's default CA store (SELF_SIGNED): API Gateway will refuse it",
        fix: FIX.tlsUntrusted,
      },
      skipped('jwks', 'JWKS', 'the JWKS certificate is not trusted (--ca-file checks the rest locally)'),
      skipped('jwks.keys', 'JWKS keys', 'the JWKS certificate is not trusted (--ca-file checks the rest locally)'),
    ]);
    expect(jwks).toBeUndefined();
    // With --ca-file the JWKS is fetched anyway.
    const withCa = await run({ ...withOtherHost, tls: untrusted }, { extraCa: true });
    expect(withCa.byId('tls.jwks').detail).toContain(`; trusted with --ca-file (${LOCAL_ONLY})`);
    expect(withCa.byId('jwks').verdict).toBe('ok');
  });

  test('another host without a TLS session is skipped and the fetch says why', async () => {
    const { byId } = await run({
      ...withOtherHost,
      tls: (url) =>
        url === otherHost
          ? { reachable: false, trusted: false, reason: 'ETIMEDOUT' }
          : { reachable: true, trusted: true },
      jwks: { body: undefined, failure: { kind: 'timeout', message: 'no answer within 1500 ms' } },
    });
    expect(byId('tls.jwks').detail).toBe('no TLS session (ETIMEDOUT): see the fetch below');
    expect(byId('jwks')).toEqual({
      id: 'jwks',
      title: 'JWKS',
      verdict: 'fail',
      detail: `${otherHost}: no answer within 1500 ms`,
      fix: FIX.jwksSlow,
    });
  });
});

describe('8. the JWKS document', () => {
  test.each([
    ['timeout', FIX.jwksSlow],
    ['too-large', FIX.jwksTooLarge],
    ['tls', FIX.tlsUntrusted],
    ['status', FIX.jwksUnreachable],
    ['not-json', FIX.jwksUnreachable],
    ['network', FIX.jwksUnreachable],
  ] as const)('a %s failure fails with its message and fix', async (kind, fix) => {
    const { checks, jwks } = await run({ jwks: { body: undefined, failure: { kind, message: `a ${kind}` } } });
    expect(checks.slice(7)).toEqual([
      { id: 'jwks', title: 'JWKS', verdict: 'fail', detail: `${JWKS_URI}: a ${kind}`, fix },
      skipped('jwks.keys', 'JWKS keys', 'no JWKS'),
    ]);
    expect(jwks).toBeUndefined();
  });

  test('a network failure: through a proxy, or with DNS unavailable', async () => {
    const proxied = await run({
      jwks: { viaProxy: 'http://proxy.corp:3128', failure: { kind: 'network', message: 'ECONNRESET' } },
    });
    expect(proxied.byId('jwks').fix).toBe(FIX.proxyUnreachable);
    const offline = await run({ jwks: { failure: { kind: 'network', message: 'no DNS answer within 1500 ms' } } });
    expect(offline.byId('jwks').fix).toBe(FIX.dnsUnavailable);
  });

  test.each([
    ['no keys', { issuer: 'x' }],
    ['keys that are not a list', { keys: { k1: RSA_KEY } }],
    ['an array', [RSA_KEY]],
  ])('JSON with %s fails as without a "keys" list', async (_name, body) => {
    const { checks, jwks } = await run({ jwks: { body } });
    expect(checks.slice(7)).toEqual([
      {
        id: 'jwks',
        title: 'JWKS',
        verdict: 'fail',
        detail: `${JWKS_URI} answered JSON without a "keys" list`,
        fix: FIX.jwksUnreachable,
      },
      skipped('jwks.keys', 'JWKS keys', 'no JWKS'),
    ]);
    expect(jwks).toBeUndefined();
  });

  test('entries that are not objects are dropped from the JWKS handed on', async () => {
    const { jwks, byId } = await run({ jwks: { body: { keys: [null, 'k', [1], RSA_KEY] } } });
    expect(jwks).toEqual({ keys: [RSA_KEY] });
    expect(byId('jwks.keys')).toMatchObject({ verdict: 'ok', detail: '1 RSA signing key(s) with kid: k1' });
  });
});

describe('9. the JWKS keys', () => {
  const keysCheck = async (keys: unknown[]) => (await run({ jwks: { body: { keys } } })).byId('jwks.keys');

  test('an empty JWKS fails asking for an RSA key', async () => {
    expect(await keysCheck([])).toEqual({
      id: 'jwks.keys',
      title: 'JWKS keys',
      verdict: 'fail',
      detail: 'no RSA signing key with a kid (the JWKS is empty)',
      fix: FIX.noRsaKey,
    });
  });

  test('only EC keys: fails asking for an RSA key, naming what was ignored', async () => {
    expect(await keysCheck([{ kty: 'EC', kid: 'e1' }])).toEqual({
      id: 'jwks.keys',
      title: 'JWKS keys',
      verdict: 'fail',
      detail: 'no RSA signing key with a kid: keys[0] kty "EC" is not RSA',
      fix: FIX.noRsaKey,
    });
  });

  test('RSA keys without a kid: fails asking for a kid', async () => {
    const { kid: _kid, ...noKid } = RSA_KEY;
    expect(await keysCheck([noKid, { kty: 'EC' }])).toEqual({
      id: 'jwks.keys',
      title: 'JWKS keys',
      verdict: 'fail',
      detail: 'no RSA signing key with a kid: keys[0] has no kid; keys[1] kty "EC" is not RSA',
      fix: FIX.keyWithoutKid,
    });
  });

  test('usable keys beside EC ones: a warning that API Gateway ignores them', async () => {
    expect(await keysCheck([RSA_KEY, { ...RSA_KEY, kid: 'k2' }, { kty: 'EC', kid: 'e1' }])).toEqual({
      id: 'jwks.keys',
      title: 'JWKS keys',
      verdict: 'warn',
      detail: '2 RSA signing key(s) with kid: k1, k2; ignored by API Gateway: keys[2] kty "EC" is not RSA',
      fix: FIX.nonRsaKeys,
    });
  });

  test('usable keys beside an RSA key without kid: a warning asking for a kid', async () => {
    const { kid: _kid, ...noKid } = RSA_KEY;
    expect(await keysCheck([RSA_KEY, noKid])).toEqual({
      id: 'jwks.keys',
      title: 'JWKS keys',
      verdict: 'warn',
      detail: '1 RSA signing key(s) with kid: k1; ignored by API Gateway: keys[1] has no kid',
      fix: FIX.keyWithoutKid,
    });
  });
});
