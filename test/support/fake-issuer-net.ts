import type { FetchOutcome, IssuerNet } from '../../rules/issuer/net';

/** A 200 answer of `body` from `url`. */
export const ok = (url: string, body: unknown): FetchOutcome => ({ url, status: 200, bytes: 300, elapsedMs: 42, body });

/** A healthy public issuer, without a network; `change` breaks one piece. */
export function fakeNet(change: Partial<IssuerNet> = {}): IssuerNet {
  return {
    lookup: async () => ({ addresses: ['93.184.215.14'] }),
    tlsTrust: async () => ({ reachable: true, trusted: true, subject: 'CN=is.example.com', issuer: 'CN=Public CA' }),
    fetchDiscovery: async (issuer) =>
      ok(`${issuer}/.well-known/openid-configuration`, { issuer, jwks_uri: 'https://is.example.com/oauth2/jwks' }),
    fetchJwks: async (uri) =>
      ok(uri, { keys: [{ kty: 'RSA', kid: 'k1', use: 'sig', alg: 'RS256', n: 'x', e: 'AQAB' }] }),
    ...change,
  };
}
