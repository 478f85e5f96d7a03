import fc from 'fast-check';
import { FORBIDDEN_BODY, UNAUTHORIZED_BODY } from '../../rules/jwt';
import { type RunningGateway, startGateway } from '../../tools/local-gateway/server';
import { loadOrCreateKeyMaterial } from '../../tools/local-idp/certificates';
import { loadSigningKey, type SigningKey } from '../../tools/local-idp/signing-key';
import { closeHttpAgent, httpCall } from '../support/local-stack';
import { sharedAssembly, sharedServices } from '../support/shared-services';
import { hmacToken, unsignedToken } from '../support/signing';
import { type CapturedOutput, captureOutput } from './capture';
import { fuzzParameters, fuzzTimeoutMs } from './settings';

/**
 * The local gateway, started through its public start function and driven over HTTP only,
 * fed generated tokens: claim types and magnitudes, header fields, algorithms and encodings
 * mutated. Properties: never a 5xx (a token it accepted must reach a function that answers),
 * every rejection a 401/403 with AWS's exact body, no token ever echoed in a response or a
 * log line, and the gateway still serving afterwards.
 */
let gateway: RunningGateway;
let issuer: string;
let signingKey: SigningKey;
/** The signing certificate: what a key-confusion attack uses as an HS256 secret. */
let signingCertPem: string;
const output: string[] = [];
let captured: CapturedOutput | undefined;

beforeAll(async () => {
  // The run's identity provider and the app synthesized against it (test/support/shared-services.ts).
  const services = sharedServices();
  issuer = services.main.issuer;
  signingKey = await loadSigningKey();
  signingCertPem = (await loadOrCreateKeyMaterial()).signing.certPem;
  gateway = await startGateway({
    cdkOutDir: await sharedAssembly(),
    port: 0,
    caFile: services.caFile,
    accessLog: (entry) => output.push(JSON.stringify(entry)),
    warn: (message) => output.push(message),
  });
}, 60_000);

afterAll(async () => {
  captured?.restore();
  closeHttpAgent();
  await gateway?.close();
});

const now = () => Math.floor(Date.now() / 1000);
/** The dev environment's audience: the local identity provider's demo client. */
const CLIENT = 'wso2-jwt-demo-client';

/**
 * Claim changes applied to a valid token's claims (at most three per token, so that most
 * tokens stay valid enough to reach the function): each claim removed, or given a value of
 * an unexpected type or magnitude, or a random one.
 */
const ODD_CLAIMS: Record<string, readonly unknown[]> = {
  iss: ['https://127.0.0.1/oauth2/token', '', ['x'], null],
  sub: ['', ['a', 'b'], 42, 'x'.repeat(5000), '__proto__', { a: 1 }],
  aud: [[CLIENT], ['https://api.example.com', CLIENT], ['https://api.example.com'], [], '', 7, [null]],
  client_id: ['', ['x'], 0, 'another-client'],
  scope: [['reports:read'], '', 'openid', ['a', 3], '  reports:read  ', 'reports:read reports:read', 7],
  exp: [1e300, 8.64e12, 8.64e12 + 1, 99_999_999_999_999, 1e20, 1e21, 'soon', -1, 0, 1.5, [1]],
  nbf: [1e300, 'soon', -1e300, -1, 0.5],
  iat: [1e300, '0', null, -1],
  aut: ['', ['APPLICATION'], 1],
  constructor: ['x', { prototype: 1 }],
  toString: ['x'],
};
const REMOVE = Symbol('remove');
const claimChangeArb = fc
  .constantFrom(...Object.keys(ODD_CLAIMS))
  .chain((name) =>
    fc
      .oneof(
        { weight: 4, arbitrary: fc.constantFrom(...ODD_CLAIMS[name]) },
        { weight: 1, arbitrary: fc.constant(REMOVE) },
        { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.double(), fc.boolean()) },
      )
      .map((value) => [name, value] as const),
  );
const claimsArb = fc.array(claimChangeArb, { maxLength: 3 });

function claimsWith(changes: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    iss: issuer,
    sub: 'alice',
    aud: CLIENT,
    client_id: CLIENT,
    scope: 'reports:read',
    exp: now() + 3600,
    nbf: now() - 60,
    iat: now() - 60,
  };
  for (const [name, value] of changes) {
    // defineProperty: a claim named __proto__ or constructor is an own property, as in JSON.
    Object.defineProperty(claims, name, {
      value: value === REMOVE ? undefined : value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return claims;
}

type Signing = { kind: 'rsa'; alg: string; kid: unknown } | { kind: 'none' } | { kind: 'hs256' };
const signingArb: fc.Arbitrary<Signing> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('rsa' as const),
      alg: fc.oneof(
        { weight: 8, arbitrary: fc.constant('RS256') },
        { weight: 1, arbitrary: fc.constantFrom('RS384', 'RS512', 'PS256') },
      ),
      kid: fc.oneof(
        { weight: 6, arbitrary: fc.constant('the-kid') },
        { weight: 1, arbitrary: fc.constantFrom(undefined, '', 'rotated-away', 7, ['the-kid'], null) },
      ),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'hs256' as const }) },
);

/** How the compact token is damaged on its way, if at all. */
type Mutation =
  | { kind: 'intact' }
  | { kind: 'flip' | 'truncate'; at: number }
  | { kind: 'insert'; at: number; text: string };
const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 12, arbitrary: fc.constant({ kind: 'intact' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      text: fc.constantFrom('.', '=', '+', '/', '%20', '..'),
    }),
  },
);

const schemeArb = fc.constantFrom('Bearer ', 'Bearer ', 'bearer ', 'BEARER  ', '', 'Basic ', 'Bearer\t');
const pathArb = fc.constantFrom('/hello', '/me', '/reports', '/health', '/nowhere', '/me?x=1', '/hello/');

async function makeToken(claims: Record<string, unknown>, signing: Signing): Promise<string> {
  if (signing.kind === 'none') return unsignedToken({ alg: 'none', kid: signingKey.kid }, claims);
  if (signing.kind === 'hs256') return hmacToken({ alg: 'HS256', kid: signingKey.kid }, claims, signingCertPem);
  const kid = signing.kid === 'the-kid' ? signingKey.kid : signing.kid;
  return signingKey.sign(claims, { alg: signing.alg, kid });
}

function mutate(token: string, mutation: Mutation): string {
  const at = 'at' in mutation ? mutation.at % (token.length + 1) : 0;
  switch (mutation.kind) {
    case 'flip': {
      const code = token.charCodeAt(at % token.length);
      const flipped = String.fromCharCode(code === 65 ? 66 : 65);
      return `${token.slice(0, at % token.length)}${flipped}${token.slice((at % token.length) + 1)}`;
    }
    case 'truncate':
      return token.slice(0, at);
    case 'insert':
      return `${token.slice(0, at)}${mutation.text}${token.slice(at)}`;
    default:
      return token;
  }
}

/** Parts of a token long enough that finding them anywhere means it was echoed. */
function secretsOf(token: string): string[] {
  const signature = token.split('.')[2] ?? '';
  return [token, signature].filter((part) => part.length >= 16);
}

test(
  'the gateway never answers 5xx, rejects with AWS bodies only and never echoes a token',
  async () => {
    captured = captureOutput();
    const statuses = new Map<number, number>();
    const parameters = fuzzParameters<unknown>(300);
    await fc.assert(
      fc.asyncProperty(
        claimsArb,
        signingArb,
        mutationArb,
        schemeArb,
        pathArb,
        async (claims, signing, mutation, scheme, path) => {
          const token = mutate(await makeToken(claimsWith(claims), signing), mutation);
          const logged = output.length;
          const mark = captured?.mark() ?? 0;
          const response = await httpCall(`${gateway.url}${path}`, { headers: { authorization: `${scheme}${token}` } });

          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          expect(response.status).toBeLessThan(500);
          if (response.status === 401) {
            expect(response.body).toBe(UNAUTHORIZED_BODY);
            expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
          }
          if (response.status === 403) expect(response.body).toBe(FORBIDDEN_BODY);
          if (path.startsWith('/nowhere') || path === '/hello/') {
            expect([response.status, response.body]).toEqual([404, '{"message":"Not Found"}']);
          } else {
            expect([200, 401, 403]).toContain(response.status);
          }
          const logs = `${output.slice(logged).join('\n')}\n${captured?.since(mark)}`;
          const seen = `${JSON.stringify(response.headers)}\n${response.body}\n${logs}`;
          for (const secret of secretsOf(token)) expect(seen).not.toContain(secret);
        },
      ),
      parameters,
    );
    // The generated tokens reach the function often enough for the properties to mean something.
    expect(statuses.get(200) ?? 0).toBeGreaterThan((parameters.numRuns ?? 0) * 0.15);
    expect(statuses.get(401) ?? 0).toBeGreaterThan((parameters.numRuns ?? 0) * 0.15);
    // Still serving, with its access log intact.
    expect((await httpCall(`${gateway.url}/health`)).status).toBe(200);
  },
  fuzzTimeoutMs(30_000),
);
