import { IssuerKeySource, UnknownKidError } from '../../../rules/jwt';
import { type LoopbackHttps, startLoopbackHttps } from '../../support/https-server';

/** The key source's defaults and its sharing of one fetch between concurrent requests (issue 12). */
const key = (kid: string) => ({ kty: 'RSA', kid, use: 'sig', alg: 'RS256', n: 'AQAB', e: 'AQAB' });
let server: LoopbackHttps;
let issuer: string;
let hits: number;
/** While true, discovery answers wait in `held` until the test releases them. */
let holding: boolean;
let held: (() => void)[];

beforeAll(async () => {
  server = await startLoopbackHttps((req, res) => {
    if (req.url?.endsWith('/.well-known/openid-configuration')) {
      hits++;
      const answer = () => res.writeHead(200).end(JSON.stringify({ issuer, jwks_uri: `${server.origin}/jwks` }));
      if (holding) held.push(answer);
      else answer();
      return;
    }
    res.writeHead(200).end(JSON.stringify({ keys: [key('k1')] }));
  });
  issuer = `${server.origin}/oauth2/token`;
});
afterAll(() => server.close());
beforeEach(() => {
  hits = 0;
  holding = false;
  held = [];
});

test('without minRefetchIntervalMs an unknown kid refetches at most once per 10 s', async () => {
  const clock = { now: 1_000_000 };
  const source = new IssuerKeySource({ issuer, ca: server.certPem, now: () => clock.now });
  await source.getSigningKey('k1');
  expect(hits).toBe(1);

  clock.now += 9_999;
  await expect(source.getSigningKey('made-up')).rejects.toBeInstanceOf(UnknownKidError);
  expect(hits).toBe(1);

  clock.now += 1;
  await expect(source.getSigningKey('made-up')).rejects.toBeInstanceOf(UnknownKidError);
  expect(hits).toBe(2);
});

test('without cacheTtlMs the keys are kept for exactly two hours', async () => {
  const clock = { now: 0 };
  const source = new IssuerKeySource({ issuer, ca: server.certPem, now: () => clock.now });
  await source.getSigningKey('k1');
  clock.now = 2 * 60 * 60 * 1000 - 1;
  await source.getSigningKey('k1');
  expect(hits).toBe(1);
  clock.now = 2 * 60 * 60 * 1000;
  await source.getSigningKey('k1');
  expect(hits).toBe(2);
});

test('concurrent requests while a fetch is in flight share it', async () => {
  const source = new IssuerKeySource({ issuer, ca: server.certPem, minRefetchIntervalMs: 0 });
  holding = true;
  const lookups = [source.getSigningKey('k1'), source.getSigningKey('k1'), source.refresh(), source.refresh()];
  await new Promise((resolve) => setTimeout(resolve, 100));
  for (const answer of held) answer();
  const [first, second, outcome] = await Promise.all(lookups);
  expect(first).toEqual(key('k1'));
  expect(second).toBe(first);
  expect(outcome).toMatchObject({ ok: true });
  expect(hits).toBe(1);
  expect(source.lastOutcome).toBe(outcome);
});

test('a refresh after the shared one fetches again', async () => {
  const source = new IssuerKeySource({ issuer, ca: server.certPem });
  await Promise.all([source.refresh(), source.refresh()]);
  await source.refresh();
  expect(hits).toBe(2);
});
