import type { KeyObject } from 'node:crypto';
import { CompactSign, type JWK } from 'jose';
import {
  authorize,
  type AuthorizerConfig,
  KeyMismatchError,
  selectSigningKeys,
  staticKeySource,
  UnknownKidError,
  verifySignature,
} from '../../../rules/jwt';
import type { AuthorizerVerdict } from '../../../rules/jwt/verdict';
import { testRsaKeyPair } from '../../support/test-keys';

/** Which JWKS keys API Gateway can use, and what happens with the ones it cannot (issue 12). */
const rsa = (kid: unknown, extra: Record<string, unknown> = {}) => ({
  kty: 'RSA',
  kid,
  n: 'AQAB',
  e: 'AQAB',
  ...extra,
});

describe('selectSigningKeys', () => {
  test('keeps RSA signing keys by kid, use absent or "sig"', () => {
    const { keys, ignored } = selectSigningKeys({ keys: [rsa('a'), rsa('b', { use: 'sig' })] });
    expect([...keys.keys()]).toEqual(['a', 'b']);
    expect(ignored).toEqual([]);
  });

  test.each([
    ['not an object', 'a-string', { index: 0, reason: 'keys[0] is not an object, got "a-string"' }],
    ['null', null, { index: 0, reason: 'keys[0] is not an object, got null' }],
    ['an array', [rsa('a')], { index: 0, reason: expect.stringMatching(/^keys\[0\] is not an object, got \[/) }],
    ['not RSA', { kty: 'EC', kid: 'e' }, { index: 0, kid: 'e', reason: 'keys[0] kty "EC" is not RSA' }],
    [
      'without kty',
      { kid: 'x', n: 'AQAB', e: 'AQAB' },
      { index: 0, kid: 'x', reason: 'keys[0] kty undefined is not RSA' },
    ],
    ['without kid', rsa(undefined), { index: 0, reason: 'keys[0] has no kid' }],
    ['with an empty kid', rsa(''), { index: 0, reason: 'keys[0] has no kid' }],
    ['with a numeric kid', rsa(7), { index: 0, reason: 'keys[0] has no kid' }],
    [
      'for encryption',
      rsa('enc', { use: 'enc' }),
      { index: 0, kid: 'enc', reason: 'keys[0] (kid "enc") use "enc" is not "sig"' },
    ],
    [
      'without n',
      rsa('k', { n: undefined }),
      { index: 0, kid: 'k', reason: 'keys[0] (kid "k") lacks the RSA modulus n or exponent e' },
    ],
    [
      'without e',
      rsa('k', { e: 7 }),
      { index: 0, kid: 'k', reason: 'keys[0] (kid "k") lacks the RSA modulus n or exponent e' },
    ],
  ])('ignores a key %s, saying why', (_name, candidate, reason) => {
    const { keys, ignored } = selectSigningKeys({ keys: [candidate] });
    expect(keys.size).toBe(0);
    expect(ignored).toStrictEqual([reason]);
  });

  test('a repeated kid: the first key is used, the repeat listed', () => {
    const first = rsa('dup', { n: 'first' });
    const { keys, ignored } = selectSigningKeys({ keys: [first, rsa('dup', { n: 'second' })] });
    expect(keys.get('dup')).toBe(first);
    expect(ignored).toEqual([{ index: 1, kid: 'dup', reason: 'keys[1] repeats kid "dup"; the first one is used' }]);
  });

  test('an unusable key does not take the kid from a later usable one', () => {
    const usable = rsa('k');
    const { keys } = selectSigningKeys({ keys: [rsa('k', { use: 'enc' }), usable] });
    expect(keys.get('k')).toBe(usable);
  });
});

describe('staticKeySource', () => {
  test('an unknown kid names the kid and the known ones', async () => {
    const error = await staticKeySource({ keys: [rsa('a'), rsa('b')] })
      .getSigningKey('zz')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnknownKidError);
    expect((error as UnknownKidError).message).toBe('kid "zz" is not among the issuer\'s signing keys ["a","b"]');
    expect((error as UnknownKidError).kid).toBe('zz');
  });
});

function signJws(header: Record<string, unknown>, payload: unknown, privateKey: KeyObject): Promise<string> {
  return new CompactSign(Buffer.from(JSON.stringify(payload)))
    .setProtectedHeader(header as { alg: string })
    .sign(privateKey);
}

/** A node KeyObject signs with any RSA algorithm (a WebCrypto key is bound to one). */
function anyAlgKey(kid: string): { privateKey: KeyObject; publicJwk: JWK } {
  const { privateKey, publicKey } = testRsaKeyPair();
  return { privateKey, publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } };
}

describe('verifySignature and the JWKS alg', () => {
  let key: ReturnType<typeof anyAlgKey>;
  beforeAll(() => {
    key = anyAlgKey('k1');
  });

  test('a JWKS key without alg verifies a token of any RSA algorithm', async () => {
    const { alg: _alg, ...withoutAlg } = key.publicJwk;
    for (const alg of ['RS256', 'RS384', 'RS512'] as const) {
      const token = await signJws({ alg, kid: 'k1' }, { sub: 'a' }, key.privateKey);
      await expect(verifySignature(token, alg, { ...withoutAlg })).resolves.toBeUndefined();
    }
  });

  test('a JWKS key declared for RS256 refuses an RS384 token', async () => {
    const token = await signJws({ alg: 'RS384', kid: 'k1' }, { sub: 'a' }, key.privateKey);
    const error = await verifySignature(token, 'RS384', key.publicJwk).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KeyMismatchError);
    expect((error as Error).message).toBe('the key with kid "k1" is for alg "RS256", the token says RS384');
  });

  test('a key that cannot be imported for verifying is a KeyMismatchError, every time', async () => {
    const token = await signJws({ alg: 'RS256', kid: 'k1' }, { sub: 'a' }, key.privateKey);
    const broken = { ...key.publicJwk, key_ops: ['encrypt'] };
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await verifySignature(token, 'RS256', broken).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(KeyMismatchError);
      expect((error as Error).message).toMatch(/^the key with kid "k1" cannot be used for RS256: /);
    }
  });
});

describe("www-authenticate: API Gateway's error_description for every rejection", () => {
  const ISSUER = 'https://idp.example.com/oauth2/token';
  const NOW = 1_764_400_000;
  let key: ReturnType<typeof anyAlgKey>;
  let config: AuthorizerConfig;
  beforeAll(() => {
    key = anyAlgKey('k1');
    config = { issuer: ISSUER, audiences: ['client-a'], keySource: staticKeySource({ keys: [key.publicJwk] }) };
  });

  const valid = { iss: ISSUER, aud: 'client-a', exp: NOW + 60, scope: 'read' };
  const bearer = async (payload: Record<string, unknown>, header: Record<string, unknown> = {}) =>
    `Bearer ${await signJws({ alg: 'RS256', kid: 'k1', ...header }, payload, key.privateKey)}`;
  const header = (description: string, scope = '') =>
    `Bearer scope="${scope}" error="invalid_token" error_description="${description}"`;

  test.each([
    ['a malformed token', async () => 'Bearer abc', header('the token is malformed')],
    ['a missing kid', () => bearer(valid, { kid: undefined }), header('the token has no kid header')],
    [
      'an unknown kid',
      () => bearer(valid, { kid: 'k9' }),
      header('unable to find a signing key that matches the token kid'),
    ],
    [
      'a bad signature',
      async () => `${(await bearer(valid)).slice(0, -4)}AAAA`,
      header('the token signature is invalid'),
    ],
    ['an exp of the wrong type', () => bearer({ ...valid, exp: 'soon' }), header('the token has an invalid claim')],
    ['another issuer', () => bearer({ ...valid, iss: 'x' }), header('the token does not have a valid issuer')],
    ['another audience', () => bearer({ ...valid, aud: 'x' }), header('the token does not have a valid audience')],
    ['an expired token', () => bearer({ ...valid, exp: NOW - 1 }), header('the token has expired')],
    ['a future nbf', () => bearer({ ...valid, nbf: NOW + 60 }), header('the token is not valid yet')],
    ['a future iat', () => bearer({ ...valid, iat: NOW + 60 }), header('the token was issued in the future')],
  ])('%s', async (_name, token, expected) => {
    const verdict = await authorize(await token(), [], config, NOW);
    expect(answer(verdict)).toEqual([401, '{"message":"Unauthorized"}', expected]);
  });

  test('a missing scope names the route scopes', async () => {
    const verdict = await authorize(await bearer(valid), ['write', 'admin'], config, NOW);
    expect(answer(verdict)).toEqual([
      403,
      '{"message":"Forbidden"}',
      'Bearer scope="write admin" error="insufficient_scope" error_description="expected scopes: [write admin]"',
    ]);
  });

  test('an unsupported algorithm names it', async () => {
    const verdict = await authorize(await bearer(valid, { alg: 'PS256' }), ['read'], config, NOW);
    expect(answer(verdict)[2]).toBe(
      'Bearer scope="read" error="invalid_token" error_description="signing method PS256 is invalid"',
    );
  });

  test('a thrown error that is not a rule failure is not turned into a 401', async () => {
    const broken: AuthorizerConfig = {
      ...config,
      keySource: {
        getSigningKey: async () => {
          throw new TypeError('bug');
        },
      },
    };
    await expect(authorize(await bearer(valid), [], broken, NOW)).rejects.toThrow('bug');
  });
});

/** What API Gateway answers for a verdict: status, body and www-authenticate (none for a 200). */
function answer(verdict: AuthorizerVerdict): [number, string?, string?] {
  return verdict.status === 200 ? [200] : [verdict.status, verdict.body, verdict.wwwAuthenticate];
}
