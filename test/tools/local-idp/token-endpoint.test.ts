import { createHash, timingSafeEqual } from 'node:crypto';
import type { DemoValues } from '../../../tools/local-idp/demo-config';
import { OAuthError } from '../../../tools/local-idp/oauth-errors';
import { issueTokens } from '../../../tools/local-idp/token-endpoint';

jest.mock('node:crypto', () => {
  const actual = jest.requireActual('node:crypto');
  return { ...actual, timingSafeEqual: jest.fn(actual.timingSafeEqual) };
});

const DEMO: DemoValues = {
  scopes: ['openid', 'reports:read'],
  tokenLifetimeSeconds: 3600,
  clients: [
    {
      clientId: 'client-a',
      secret: 'secret-a',
      grantTypes: ['client_credentials', 'password'],
      scopes: ['reports:read'],
    },
    { clientId: 'client-b', secret: 'secret-b', grantTypes: ['client_credentials'], scopes: [] },
  ],
  users: [{ username: 'alice', password: 'alice-pw', sub: 'alice-sub', scopes: ['reports:read'], claims: {} }],
  tenants: [],
};
const KEY = { sign: async (claims: Record<string, unknown>) => `signed.${JSON.stringify(claims).length}.x` };
const FORM = 'application/x-www-form-urlencoded';
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

function token(body: Record<string, string>, authorization?: string) {
  return issueTokens(
    { authorization, contentType: FORM, body: new URLSearchParams(body).toString() },
    DEMO,
    KEY,
    'https://localhost:9443/oauth2/token',
  );
}

async function oauthError(promise: Promise<unknown>): Promise<OAuthError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OAuthError);
  return error as OAuthError;
}

describe('client authentication', () => {
  beforeEach(() => jest.mocked(timingSafeEqual).mockClear());

  test('a form client_id that contradicts the Basic credentials is invalid_client, as WSO2 answers', async () => {
    const error = await oauthError(
      token({ grant_type: 'client_credentials', client_id: 'client-b' }, basic('client-a', 'secret-a')),
    );
    expect([error.error, error.status, error.wwwAuthenticate, error.description]).toEqual([
      'invalid_client',
      401,
      'Basic realm="oauth2"',
      'the client_id in the form does not match the client of the Basic credentials',
    ]);
  });

  test('a form client_id equal to the Basic one is accepted', async () => {
    const body = await token(
      { grant_type: 'client_credentials', client_id: 'client-a' },
      basic('client-a', 'secret-a'),
    );
    expect(body.token_type).toBe('Bearer');
  });

  test('secrets are compared in constant time, on equal-length digests', async () => {
    await token({ grant_type: 'client_credentials' }, basic('client-a', 'secret-a'));
    const digest = (text: string) => createHash('sha256').update(text).digest();
    expect(jest.mocked(timingSafeEqual).mock.calls).toEqual([[digest('secret-a'), digest('secret-a')]]);
  });

  test.each([
    ['a wrong secret', basic('client-a', 'secret-b')],
    ['a secret that is a prefix of the right one', basic('client-a', 'secret-')],
    ['an empty secret', basic('client-a', '')],
    ['an unknown client', basic('client-z', 'secret-a')],
  ])('%s is invalid_client, after a constant-time comparison', async (_name, authorization) => {
    const error = await oauthError(token({ grant_type: 'client_credentials' }, authorization));
    expect([error.error, error.description]).toEqual([
      'invalid_client',
      'client authentication failed: unknown client or wrong secret',
    ]);
    expect(timingSafeEqual).toHaveBeenCalledTimes(1);
  });

  test('client_secret_post: a missing secret never matches an empty one', async () => {
    const error = await oauthError(token({ grant_type: 'client_credentials', client_id: 'client-a' }));
    expect(error.error).toBe('invalid_client');
  });

  test('a wrong or unknown user password is invalid_grant, compared in constant time', async () => {
    for (const [username, password] of [
      ['alice', 'wrong'],
      ['bob', 'alice-pw'],
    ]) {
      jest.mocked(timingSafeEqual).mockClear();
      const error = await oauthError(
        token({ grant_type: 'password', username, password }, basic('client-a', 'secret-a')),
      );
      expect([error.error, error.description]).toEqual(['invalid_grant', 'the username or password is wrong']);
      expect(timingSafeEqual).toHaveBeenCalledTimes(2);
    }
    expect(
      (await token({ grant_type: 'password', username: 'alice', password: 'alice-pw' }, basic('client-a', 'secret-a')))
        .token_type,
    ).toBe('Bearer');
  });
});
