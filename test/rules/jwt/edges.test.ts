import {
  authorize,
  checkHeader,
  checkTimes,
  claimsAsDelivered,
  decodeToken,
  extractToken,
  InvalidClaimError,
  MalformedTokenError,
  show,
  staticKeySource,
  TokenExpiredError,
  TokenNotYetValidError,
  tokenScopes,
  unauthorized,
  UnsupportedAlgorithmError,
  verifyToken,
} from '../../../rules/jwt';
import { rsaKey, signJws } from '../../support/signing';
import { thrown } from '../../support/thrown';

/** The authorizer rules at the edges the mutation run found untested (issue 12). */
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('times', () => {
  test.each([Number.POSITIVE_INFINITY, Number.NaN])(
    'an exp of %p (JSON 1e400 parses to Infinity) is invalid',
    (exp) => {
      const error = thrown(() => checkTimes({ exp }, 1_000));
      expect(error).toBeInstanceOf(InvalidClaimError);
      expect(error.message).toMatch(/^exp must be a NumericDate \(seconds since the epoch, a number\), got /);
    },
  );

  test('an nbf beyond any date says so instead of throwing', () => {
    const error = thrown(() => checkTimes({ exp: 1e300, nbf: 1e300 }, 1_000));
    expect(error).toBeInstanceOf(TokenNotYetValidError);
    expect(error.message).toBe(
      'nbf 1e+300 (out of range) is after now 1000 (1970-01-01T00:16:40.000Z): the token is valid in 1e+300 s',
    );
  });

  test('the expiry message gives both instants and the age', () => {
    const error = thrown(() => checkTimes({ exp: 940 }, 1_000.9));
    expect(error).toBeInstanceOf(TokenExpiredError);
    expect(error.message).toBe(
      'exp 940 (1970-01-01T00:15:40.000Z) is not after now 1000 (1970-01-01T00:16:40.000Z): the token expired 60 s ago',
    );
  });
});

test('tokenScopes keeps string items only, from scope and scp, once each', () => {
  expect(tokenScopes({ scope: ['a', 7, null, '', 'b'], scp: 'b c' })).toEqual(['a', 'b', 'c']);
  expect(tokenScopes({ scope: 7 })).toEqual([]);
});

describe('claimsAsDelivered', () => {
  test('absent values are left out; numbers, booleans and objects become their JSON text', () => {
    expect(
      claimsAsDelivered({
        a: undefined,
        b: null,
        exp: 1_764_403_600,
        big: 1e21,
        f: 1.5,
        t: true,
        o: { x: 1 },
      }),
    ).toStrictEqual({ exp: '1764403600', big: '1e+21', f: '1.5', t: 'true', o: '{"x":1}' });
  });

  test('array items: objects as JSON, everything else as text', () => {
    expect(claimsAsDelivered({ l: [{ x: 1 }, null, 2, 'a', true] })).toStrictEqual({ l: '[{"x":1} null 2 a true]' });
  });
});

describe('header', () => {
  test('a long unsupported alg is cut to 40 characters in the description', () => {
    const alg = `X${'y'.repeat(99)}`;
    const error = thrown(() => checkHeader({ alg, kid: 'k' })) as UnsupportedAlgorithmError;
    expect(error).toBeInstanceOf(UnsupportedAlgorithmError);
    expect(error.algorithm).toBe(alg.slice(0, 40));
    expect(error.description).toBe(`signing method ${alg.slice(0, 40)} is invalid`);
  });

  test('an alg that is not a string is shown as JSON', () => {
    const error = thrown(() => checkHeader({ alg: ['RS256'], kid: 'k' })) as UnsupportedAlgorithmError;
    expect(error.algorithm).toBe('["RS256"]');
  });
});

describe('show', () => {
  test('a value exactly at the limit is not cut; one character more is', () => {
    expect(show('abc', 5)).toBe('"abc"');
    expect(show('abcd', 5)).toBe('"abcd…(6 chars)');
  });

  test('undefined, functions and values JSON cannot render', () => {
    expect(show(undefined)).toBe('undefined');
    expect(show(Symbol('s'))).toBe('Symbol(s)');
    expect(show(10n)).toBe('10');
  });
});

describe('extractToken', () => {
  test.each([
    ['xbearer', 'xbearer'],
    ['bearerx', 'bearerx'],
    ['Token bearer abc', 'Token bearer abc'],
    ['Bearer  abc', 'abc'],
  ])('%p gives %p', (value, token) => {
    expect(extractToken(value)).toBe(token);
  });
});

describe('decodeToken', () => {
  test.each([
    [5, 'the token header must be a JSON object, got 5'],
    ['x', 'the token header must be a JSON object, got "x"'],
    [[1], 'the token header must be a JSON object, got [1]'],
    [null, 'the token header must be a JSON object, got null'],
  ])('a header that is JSON %p but not an object is malformed', (header, message) => {
    const error = thrown(() => decodeToken(`${b64(header)}.${b64({})}.sig`));
    expect(error).toBeInstanceOf(MalformedTokenError);
    expect(error.message).toBe(message);
  });
});

describe('verdicts', () => {
  const config = { issuer: 'https://i', audiences: ['a'], keySource: staticKeySource({ keys: [] }) };

  test('a missing token names the configured identity source', async () => {
    const verdict = await authorize(undefined, [], { ...config, identitySource: '$request.header.X-Token' });
    expect(verdict).toMatchObject({
      status: 401,
      error: { message: 'no token in the identity source $request.header.X-Token' },
    });
    const byDefault = await authorize(undefined, [], config);
    expect(byDefault).toMatchObject({
      status: 401,
      error: { message: 'no token in the identity source $request.header.Authorization' },
    });
  });

  test("a 401's verdict never carries claims, even when given some", () => {
    const error = thrown(() => checkTimes({ exp: 1 }, 10)) as TokenExpiredError;
    expect('claims' in unauthorized(error, [])).toBe(false);
  });

  test('without nowSeconds the current time is used', async () => {
    const key = await rsaKey('k');
    const withKey = { ...config, keySource: staticKeySource({ keys: [key.publicJwk] }) };
    const now = Math.floor(Date.now() / 1000);
    const token = await signJws(
      { alg: 'RS256', kid: 'k' },
      { iss: 'https://i', aud: 'a', exp: now + 60 },
      key.privateKey,
    );
    expect((await authorize(token, [], withKey)).status).toBe(200);
    await expect(verifyToken(token, withKey)).resolves.toMatchObject({ audience: { claim: 'aud', value: 'a' } });
  });
});
