import {
  checkHeader,
  decodeToken,
  extractToken,
  MalformedTokenError,
  MissingKidError,
  TokenMissingError,
  UnsupportedAlgorithmError,
} from '../../../rules/jwt';
import { thrown } from '../../support/thrown';

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const jwt = (header: unknown, payload: unknown, signature = 'c2ln') => `${b64(header)}.${b64(payload)}.${signature}`;

describe('extractToken (identity source $request.header.Authorization)', () => {
  test.each([
    ['a bare token', 'abc.def.ghi'],
    ['Bearer prefix', 'Bearer abc.def.ghi'],
    ['lower-case bearer and extra spaces', 'bearer    abc.def.ghi  '],
  ])('accepts %s', (_name, value) => {
    expect(extractToken(value)).toBe('abc.def.ghi');
  });

  test.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['only spaces', '   '],
    ['Bearer without a token', 'Bearer'],
    ['Bearer and spaces', 'Bearer   '],
  ])('%s is a missing token (401, bare www-authenticate)', (_name, value) => {
    const error = thrown(() => extractToken(value));
    expect(error).toBeInstanceOf(TokenMissingError);
    expect(error.message).toBe('no token in the identity source $request.header.Authorization');
  });

  test('takes the first value when a header came twice', () => {
    expect(extractToken(['Bearer one.two.three', 'x'])).toBe('one.two.three');
  });
});

describe('decodeToken', () => {
  test('decodes header and payload', () => {
    const decoded = decodeToken(jwt({ alg: 'RS256', kid: 'k' }, { sub: 'a' }));
    expect(decoded.header).toEqual({ alg: 'RS256', kid: 'k' });
    expect(decoded.payload).toEqual({ sub: 'a' });
  });

  test.each([
    [
      'an opaque WSO2 token',
      'a7f3e1d2-9c4b-4e5f-8a6b-1c2d3e4f5a6b',
      'the token is not a JWT: expected 3 dot-separated parts, got 1 (an opaque token? the issuer must issue JWT ' +
        'access tokens)',
    ],
    ['two parts', 'abc.def', 'the token is not a JWT: expected 3 dot-separated parts, got 2'],
    ['five parts (a JWE)', 'a.b.c.d.e', 'the token is not a JWT: expected 3 dot-separated parts, got 5'],
    ['a header that is not base64url', `ab+c.${b64({})}.sig`, 'the token header is not base64url'],
    ['an empty header', `.${b64({})}.sig`, 'the token header is not base64url'],
    ['a header that is not JSON', `${b64('not json')}.${b64({})}.sig`, 'the token header is not JSON'],
    [
      'a payload that is a JSON array',
      `${b64({ alg: 'RS256' })}.${b64([1, 2])}.sig`,
      'the token payload must be a JSON object, got [1,2]',
    ],
    [
      'a payload that is null',
      `${b64({ alg: 'RS256' })}.${b64('null')}.sig`,
      'the token payload must be a JSON object, got null',
    ],
    [
      'a payload of invalid UTF-8',
      `${b64({ alg: 'RS256' })}.${Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64url')}.sig`,
      'the token payload is not valid UTF-8',
    ],
    [
      'a signature that is not base64url',
      `${b64({ alg: 'RS256' })}.${b64({})}.a+b/c=`,
      'the token signature is not base64url',
    ],
  ])('rejects %s', (_name, token, message) => {
    const error = thrown(() => decodeToken(token));
    expect(error).toBeInstanceOf(MalformedTokenError);
    expect(error.message).toBe(message);
  });

  test('rejects 1 MB of garbage quickly, without echoing it', () => {
    const garbage = 'x'.repeat(1024 * 1024);
    const started = Date.now();
    const error = thrown(() => decodeToken(`${garbage}.${garbage}.${garbage}`));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(MalformedTokenError);
    expect(error.message).toBe('the token header is not valid UTF-8');
  });
});

describe('checkHeader', () => {
  test.each(['RS256', 'RS384', 'RS512'])('accepts %s with a kid', (alg) => {
    expect(checkHeader({ alg, kid: 'k1', typ: 'at+jwt' })).toEqual({ alg, kid: 'k1' });
  });

  test.each([
    [
      'none',
      'header alg "none" is not supported: API Gateway accepts RS256, RS384, RS512 only',
      'signing method none is invalid',
    ],
    [
      'HS256',
      'header alg "HS256" is not supported: API Gateway accepts RS256, RS384, RS512 only',
      'signing method HS256 is invalid',
    ],
    [
      'ES256',
      'header alg "ES256" is not supported: API Gateway accepts RS256, RS384, RS512 only',
      'signing method ES256 is invalid',
    ],
    [
      'PS256',
      'header alg "PS256" is not supported: API Gateway accepts RS256, RS384, RS512 only',
      'signing method PS256 is invalid',
    ],
    [
      'rs256',
      'header alg "rs256" is not supported: API Gateway accepts RS256, RS384, RS512 only',
      'signing method rs256 is invalid',
    ],
  ])('rejects alg %s', (alg, message, description) => {
    const error = thrown(() => checkHeader({ alg, kid: 'k1' })) as UnsupportedAlgorithmError;
    expect(error).toBeInstanceOf(UnsupportedAlgorithmError);
    expect(error.message).toBe(message);
    expect(error.description).toBe(description);
  });

  test('rejects a missing alg', () => {
    const error = thrown(() => checkHeader({ kid: 'k1' }));
    expect(error).toBeInstanceOf(UnsupportedAlgorithmError);
    expect(error.message).toBe('header alg undefined is not supported: API Gateway accepts RS256, RS384, RS512 only');
  });

  test('rejects a missing kid', () => {
    const error = thrown(() => checkHeader({ alg: 'RS256' }));
    expect(error).toBeInstanceOf(MissingKidError);
    expect(error.message).toBe("header kid is missing: API Gateway needs it to pick the issuer's key");
  });

  test.each([
    ['', 'header kid is not a non-empty string (got ""): API Gateway needs it to pick the issuer\'s key'],
    [42, "header kid is not a non-empty string (got 42): API Gateway needs it to pick the issuer's key"],
  ])('rejects kid %j', (kid, message) => {
    const error = thrown(() => checkHeader({ alg: 'RS256', kid }));
    expect(error).toBeInstanceOf(MissingKidError);
    expect(error.message).toBe(message);
  });
});
