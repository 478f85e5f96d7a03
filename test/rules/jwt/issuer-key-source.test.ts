import { IssuerKeySource, NetworkError, SigningKeysUnavailableError, UnknownKidError } from '../../../rules/jwt';
import { type LoopbackHttps, startLoopbackHttps } from '../../support/https-server';

const key = (kid: string) => ({ kty: 'RSA', kid, use: 'sig', alg: 'RS256', n: 'AQAB', e: 'AQAB' });
let server: LoopbackHttps;
let issuer: string;
let published: string[];
let hits: { discovery: number; jwks: number };
let down: boolean;

beforeAll(async () => {
  server = await startLoopbackHttps((req, res) => {
    if (down) {
      res.writeHead(503).end();
      return;
    }
    if (req.url === '/oauth2/token/.well-known/openid-configuration') {
      hits.discovery++;
      res.writeHead(200).end(JSON.stringify({ issuer, jwks_uri: `${server.origin}/oauth2/jwks` }));
      return;
    }
    hits.jwks++;
    res.writeHead(200).end(JSON.stringify({ keys: published.map(key) }));
  });
  issuer = `${server.origin}/oauth2/token`;
});
afterAll(() => server.close());
beforeEach(() => {
  published = ['k1'];
  hits = { discovery: 0, jwks: 0 };
  down = false;
});

function source(clock: { now: number }, extra: Partial<ConstructorParameters<typeof IssuerKeySource>[0]> = {}) {
  return new IssuerKeySource({
    issuer,
    ca: server.certPem,
    now: () => clock.now,
    minRefetchIntervalMs: 10_000,
    ...extra,
  });
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

test('fetches discovery then JWKS once, and serves later lookups from the cache', async () => {
  const clock = { now: 1_000_000 };
  const keys = source(clock);
  const [a, b] = await Promise.all([keys.getSigningKey('k1'), keys.getSigningKey('k1')]);
  expect(a.kid).toBe('k1');
  expect(b).toBe(a);
  clock.now += 60 * 60 * 1000;
  await keys.getSigningKey('k1');
  expect(hits).toEqual({ discovery: 1, jwks: 1 });
});

test('the cache expires after two hours', async () => {
  const clock = { now: 1_000_000 };
  const keys = source(clock);
  await keys.getSigningKey('k1');
  clock.now += 2 * 60 * 60 * 1000;
  await keys.getSigningKey('k1');
  expect(hits.jwks).toBe(2);
});

test('an unknown kid refetches once (key rotation) and finds the new key', async () => {
  const clock = { now: 1_000_000 };
  const keys = source(clock);
  await keys.getSigningKey('k1');
  published = ['k1', 'k2'];
  clock.now += 20_000;
  expect((await keys.getSigningKey('k2')).kid).toBe('k2');
  expect(hits.jwks).toBe(2);
});

test('a flood of made-up kids costs the issuer one refetch per interval', async () => {
  const clock = { now: 1_000_000 };
  const keys = source(clock);
  await keys.getSigningKey('k1');
  clock.now += 20_000;
  const errors = await Promise.all(Array.from({ length: 200 }, (_, i) => failure(keys.getSigningKey(`bogus-${i}`))));
  expect(errors.every((error) => error instanceof UnknownKidError)).toBe(true);
  expect(errors[7].message).toBe('kid "bogus-7" is not among the issuer\'s signing keys ["k1"]');
  expect(hits.jwks).toBe(2);
  clock.now += 5_000;
  await failure(keys.getSigningKey('bogus-again'));
  expect(hits.jwks).toBe(2);
  clock.now += 5_000;
  await failure(keys.getSigningKey('bogus-later'));
  expect(hits.jwks).toBe(3);
});

test(
  'an unreachable issuer: SigningKeysUnavailableError with the fetch error as cause, not retried within the ' +
    'interval',
  async () => {
    const clock = { now: 1_000_000 };
    down = true;
    const keys = source(clock);
    const error = await failure(keys.getSigningKey('k1'));
    expect(error).toBeInstanceOf(SigningKeysUnavailableError);
    expect(error.message).toBe(
      `the issuer's signing keys could not be fetched: ${issuer}/.well-known/openid-configuration answered HTTP 503, ` +
        `expected 200`,
    );
    expect(keys.lastOutcome).toMatchObject({ ok: false });
    expect(error.cause).toBe(keys.lastOutcome?.ok === false ? keys.lastOutcome.error : 'no failed fetch');
    clock.now += 1000;
    const again = await failure(keys.getSigningKey('k1'));
    expect(again.message).toBe(error.message);
    down = false;
    clock.now += 10_000;
    expect((await keys.getSigningKey('k1')).kid).toBe('k1');
  },
);

test('keys already fetched survive a later outage until they expire', async () => {
  const clock = { now: 1_000_000 };
  const keys = source(clock);
  await keys.getSigningKey('k1');
  down = true;
  clock.now += 20_000;
  await failure(keys.getSigningKey('k-new'));
  expect((await keys.getSigningKey('k1')).kid).toBe('k1');
});

test('refresh() reports the outcome without throwing', async () => {
  const keys = new IssuerKeySource({ issuer: 'https://127.0.0.1:1/oauth2/token', timeoutMs: 500 });
  const outcome = await keys.refresh();
  expect(outcome.ok).toBe(false);
  expect(!outcome.ok && outcome.error).toBeInstanceOf(NetworkError);
});

test('each outcome records when its fetch began, and the last one is kept', async () => {
  const clock = { now: 5_000_000 };
  const keys = source(clock);
  expect(keys.lastOutcome).toBeUndefined();
  const outcome = await keys.refresh();
  expect(outcome).toMatchObject({ ok: true, at: 5_000_000 });
  expect(keys.lastOutcome).toBe(outcome);
  down = true;
  clock.now += 20_000;
  expect(await keys.refresh()).toMatchObject({ ok: false, at: 5_020_000 });
  expect(keys.lastOutcome).toMatchObject({ ok: false });
});
