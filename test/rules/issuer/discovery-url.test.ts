import { runIssuerChecks } from '../../../rules/issuer/issuer-checks';
import type { IssuerNet } from '../../../rules/issuer/net';
import { discoveryUrlFor } from '../../../rules/jwt';

/**
 * One rule for the discovery URL (OpenID Connect Discovery 1.0, section 4: a terminating "/"
 * of the issuer is removed before "/.well-known/openid-configuration" is appended). The
 * fetchers and the issuer checks' messages must both follow it; discoveryUrlFor itself is
 * tested with the fetchers (test/rules/jwt/issuer-fetch.test.ts).
 */
describe('the discovery URL of an issuer', () => {
  test('the issuer checks name the URL the fetcher asked, for an issuer with a trailing slash', async () => {
    // GIVEN an issuer ending in "/" whose discovery document is missing
    const issuerUrl = 'https://is.example.com/oauth2/token/';
    const asked: string[] = [];
    const net: IssuerNet = {
      lookup: async () => ({ addresses: ['93.184.215.14'] }),
      tlsTrust: async () => ({ reachable: true, trusted: true }),
      fetchDiscovery: async (issuer) => {
        asked.push(discoveryUrlFor(issuer));
        return { url: discoveryUrlFor(issuer), status: 404, elapsedMs: 5, failure: { kind: 'status', message: '404' } };
      },
      fetchJwks: async () => {
        throw new Error('no JWKS without a discovery document');
      },
    };

    // WHEN
    const { checks } = await runIssuerChecks({ issuerUrl, net });

    // THEN the skipped issuer check names that same URL
    expect(asked).toEqual(['https://is.example.com/oauth2/token/.well-known/openid-configuration']);
    expect(checks.find((check) => check.id === 'discovery.issuer')).toEqual({
      id: 'discovery.issuer',
      title: 'discovery issuer',
      verdict: 'skip',
      detail: `no discovery document at ${asked[0]}`,
    });
  });
});
