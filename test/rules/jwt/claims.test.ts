import {
  AudienceMismatchError,
  checkAudience,
  checkIssuer,
  checkScopes,
  checkTimes,
  claimsAsDelivered,
  InsufficientScopeError,
  InvalidClaimError,
  IssuerMismatchError,
  TokenExpiredError,
  TokenIssuedInFutureError,
  TokenNotYetValidError,
  tokenScopes,
} from '../../../rules/jwt';
import { thrown } from '../../support/thrown';

const ISSUER = 'https://localhost:9443/oauth2/token';
const NOW = 1764400100;

describe('checkIssuer: exact match', () => {
  test('accepts the same string', () => {
    expect(() => checkIssuer({ iss: ISSUER }, ISSUER)).not.toThrow();
  });

  test.each([
    ['a trailing slash', `${ISSUER}/`, `iss "${ISSUER}/" does not equal the issuer "${ISSUER}"`],
    [
      'no port',
      'https://localhost/oauth2/token',
      `iss "https://localhost/oauth2/token" does not equal the issuer "${ISSUER}"`,
    ],
    [
      'a tenant path',
      'https://localhost:9443/t/acme.com/oauth2/token',
      `iss "https://localhost:9443/t/acme.com/oauth2/token" does not equal the issuer "${ISSUER}"`,
    ],
    ['another case', ISSUER.toUpperCase(), `iss "${ISSUER.toUpperCase()}" does not equal the issuer "${ISSUER}"`],
    ['no iss', undefined, `the token has no iss claim; the issuer is "${ISSUER}"`],
    ['a number', 7, `iss 7 does not equal the issuer "${ISSUER}"`],
  ])('rejects %s', (_name, iss, message) => {
    const error = thrown(() => checkIssuer(iss === undefined ? {} : { iss }, ISSUER));
    expect(error).toBeInstanceOf(IssuerMismatchError);
    expect(error.message).toBe(message);
    expect((error as IssuerMismatchError).description).toBe('the token does not have a valid issuer');
  });
});

describe('checkAudience: aud, else client_id', () => {
  const audiences = ['client-a', 'client-b'];

  test.each([
    ['aud as a string', { aud: 'client-b' }, { claim: 'aud', value: 'client-b' }],
    [
      'aud as an array (WSO2 extra audiences)',
      { aud: ['reports-api', 'client-a'] },
      { claim: 'aud', value: 'client-a' },
    ],
    ['no aud, client_id matches', { client_id: 'client-a' }, { claim: 'client_id', value: 'client-a' }],
  ])('accepts %s', (_name, claims, match) => {
    expect(checkAudience(claims, audiences)).toEqual(match);
  });

  test.each([
    ['a wrong aud', { aud: 'other' }, 'aud "other" holds none of the audiences ["client-a","client-b"]'],
    [
      'a wrong aud even with a matching client_id (aud decides)',
      { aud: 'other', client_id: 'client-a' },
      'aud "other" holds none of the audiences ["client-a","client-b"]',
    ],
    ['an empty aud array', { aud: [] }, 'aud [] holds none of the audiences ["client-a","client-b"]'],
    [
      'no aud and a wrong client_id',
      { client_id: 'other' },
      'the token has no aud and its client_id "other" is not one of the audiences ["client-a","client-b"]',
    ],
    [
      'neither aud nor client_id',
      {},
      'the token has neither aud nor client_id; expected one of the audiences ["client-a","client-b"]',
    ],
  ])('rejects %s', (_name, claims, message) => {
    const error = thrown(() => checkAudience(claims, audiences));
    expect(error).toBeInstanceOf(AudienceMismatchError);
    expect(error.message).toBe(message);
    expect((error as AudienceMismatchError).description).toBe('the token does not have a valid audience');
  });
});

describe('checkTimes: exp after now, nbf and iat not after now', () => {
  test('accepts a token valid now (nbf = iat = now, as WSO2 issues them)', () => {
    expect(() => checkTimes({ exp: NOW + 3600, nbf: NOW, iat: NOW }, NOW + 0.9)).not.toThrow();
  });

  test.each([
    [
      'expired',
      { exp: NOW - 10 },
      TokenExpiredError,
      `exp ${NOW - 10} (2025-11-29T07:08:10.000Z) is not after now ${NOW} (2025-11-29T07:08:20.000Z): the token ` +
        `expired 10 s ago`,
    ],
    [
      'exp equal to now',
      { exp: NOW },
      TokenExpiredError,
      `exp ${NOW} (2025-11-29T07:08:20.000Z) is not after now ${NOW} (2025-11-29T07:08:20.000Z): the token expired 0 ` +
        `s ago`,
    ],
    [
      'nbf in the future',
      { exp: NOW + 100, nbf: NOW + 30 },
      TokenNotYetValidError,
      `nbf ${NOW + 30} (2025-11-29T07:08:50.000Z) is after now ${NOW} (2025-11-29T07:08:20.000Z): the token is valid ` +
        `in 30 s`,
    ],
    [
      'iat in the future',
      { exp: NOW + 100, iat: NOW + 5 },
      TokenIssuedInFutureError,
      `iat ${NOW + 5} (2025-11-29T07:08:25.000Z) is after now ${NOW} (2025-11-29T07:08:20.000Z): check the issuer's ` +
        `clock`,
    ],
    ['no exp', {}, InvalidClaimError, 'the token has no exp claim: API Gateway requires an expiry'],
    [
      'exp as a string',
      { exp: '1764403600' },
      InvalidClaimError,
      'exp must be a NumericDate (seconds since the epoch, a number), got "1764403600"',
    ],
    [
      'nbf as null',
      { exp: NOW + 100, nbf: null },
      InvalidClaimError,
      'nbf must be a NumericDate (seconds since the epoch, a number), got null',
    ],
  ])('rejects %s', (_name, claims, errorClass, message) => {
    const error = thrown(() => checkTimes(claims, NOW));
    expect(error).toBeInstanceOf(errorClass);
    expect(error.message).toBe(message);
  });

  test('descriptions follow API Gateway wording', () => {
    expect((thrown(() => checkTimes({ exp: 1 }, NOW)) as TokenExpiredError).description).toBe('the token has expired');
    expect((thrown(() => checkTimes({ exp: NOW + 9, nbf: NOW + 5 }, NOW)) as TokenNotYetValidError).description).toBe(
      'the token is not valid yet',
    );
  });
});

describe('scopes', () => {
  test.each([
    ['a space-delimited scope', { scope: 'openid reports:read' }, ['openid', 'reports:read']],
    ['a scope array', { scope: ['reports:read', 'api:access'] }, ['reports:read', 'api:access']],
    ['scp as a string', { scp: 'a b' }, ['a', 'b']],
    ['scope and scp together', { scope: 'a', scp: ['b', 'a'] }, ['a', 'b']],
    ['double spaces', { scope: 'a  b' }, ['a', 'b']],
    ['no scope (an ID token)', {}, []],
    ['a scope of the wrong type', { scope: 3 }, []],
  ])('tokenScopes reads %s', (_name, claims, scopes) => {
    expect(tokenScopes(claims)).toEqual(scopes);
  });

  test('a route without scopes passes any token and yields null', () => {
    expect(checkScopes({}, [])).toBeNull();
  });

  test('returns the route scopes the token holds', () => {
    expect(
      checkScopes({ scope: 'openid reports:read reports:write' }, ['reports:write', 'admin', 'reports:read']),
    ).toEqual(['reports:write', 'reports:read']);
  });

  test.each([
    [
      'a token without the scope',
      { scope: 'openid profile' },
      'the token\'s scopes "openid profile" hold none of the route\'s scopes ["reports:read"]',
    ],
    [
      'an ID token (no scope claim)',
      { at_hash: 'x' },
      'the token has no scope; the route requires one of ["reports:read"]',
    ],
    [
      'a prefix is not a match',
      { scope: 'reports' },
      'the token\'s scopes "reports" hold none of the route\'s scopes ["reports:read"]',
    ],
  ])('403 for %s', (_name, claims, message) => {
    const error = thrown(() => checkScopes(claims, ['reports:read']));
    expect(error).toBeInstanceOf(InsufficientScopeError);
    expect(error.message).toBe(message);
    expect((error as InsufficientScopeError).status).toBe(403);
    expect((error as InsufficientScopeError).description).toBe('expected scopes: [reports:read]');
  });
});

describe('claimsAsDelivered: what a payload-2.0 Lambda receives', () => {
  test("turns every value into API Gateway's string form", () => {
    expect(
      claimsAsDelivered({
        sub: 'alice',
        exp: 1764403600,
        aud: ['client-a', 'reports-api'],
        email_verified: true,
        scope: 'a b',
        org: { id: 1 },
        gone: null,
      }),
    ).toEqual({
      sub: 'alice',
      exp: '1764403600',
      aud: '[client-a reports-api]',
      email_verified: 'true',
      scope: 'a b',
      org: '{"id":1}',
    });
  });

  test('matches the reference sample (a WSO2 IS 7 client-credentials token)', () => {
    const delivered = require('../../fixtures/api-gateway-delivered-claims.json').claims;
    const payload = {
      iss: 'https://localhost:9443/oauth2/token',
      sub: '9hKXpVeF2nTb1cFrR0fDfR4tA8ka',
      aut: 'APPLICATION',
      aud: '9hKXpVeF2nTb1cFrR0fDfR4tA8ka',
      nbf: 1764400000,
      azp: '9hKXpVeF2nTb1cFrR0fDfR4tA8ka',
      scope: 'reports:read',
      exp: 1764403600,
      iat: 1764400000,
      jti: '5f0a3b6e-8c0d-4d1e-9a3f-2b7c1e4d6a90',
      client_id: '9hKXpVeF2nTb1cFrR0fDfR4tA8ka',
    };
    expect(claimsAsDelivered(payload)).toEqual(delivered);
  });
});

describe('claimsAsDelivered with claim names an object inherits', () => {
  test('a claim named __proto__ or constructor is delivered as an own claim', () => {
    const claims = JSON.parse('{"__proto__":{"a":1},"constructor":"c","sub":"s"}') as Record<string, unknown>;
    const delivered = claimsAsDelivered(claims);
    expect(Object.keys(delivered)).toEqual(['__proto__', 'constructor', 'sub']);
    expect(Object.getOwnPropertyDescriptor(delivered, '__proto__')?.value).toBe('{"a":1}');
    expect(Object.getPrototypeOf(delivered)).toBe(Object.prototype);
  });
});
