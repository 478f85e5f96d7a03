import { runIssuerChecks } from '../../../rules/issuer/issuer-checks';
import type { IssuerNet } from '../../../rules/issuer/net';

/** A discovery document whose values are huge or of the wrong type: the report stays readable. */
const ISSUER = 'https://idp.example.com/oauth2/token';

function netServing(discovery: Record<string, unknown>): IssuerNet {
  return {
    lookup: async () => ({ addresses: ['93.184.215.14'] }),
    tlsTrust: async () => ({ reachable: true, trusted: true }),
    fetchDiscovery: async (issuer) => ({
      url: `${issuer}/.well-known/openid-configuration`,
      elapsedMs: 1,
      body: discovery,
    }),
    fetchJwks: async (url) => ({ url, elapsedMs: 1, body: { keys: [] } }),
  };
}

async function detail(discovery: Record<string, unknown>, id: string): Promise<string> {
  const { checks } = await runIssuerChecks({ issuerUrl: ISSUER, net: netServing(discovery) });
  const check = checks.find((item) => item.id === id);
  if (!check) throw new Error(`no check ${id}`);
  return check.detail;
}

test('a 1 MB discovery issuer is cut in the report', async () => {
  const text = await detail(
    { issuer: 'x'.repeat(1_000_000), jwks_uri: 'https://idp.example.com/jwks' },
    'discovery.issuer',
  );
  expect(text.length).toBeLessThan(300);
  expect(text).toContain('…(1000002 chars)');
});

test('a jwks_uri of the wrong type or a huge http one is shown cut', async () => {
  expect(await detail({ issuer: ISSUER, jwks_uri: ['https://a'] }, 'jwks.uri')).toBe(
    'discovery has no usable jwks_uri, got ["https://a"]',
  );
  const http = `http://idp.example.com/${'j'.repeat(100_000)}`;
  const text = await detail({ issuer: ISSUER, jwks_uri: http }, 'jwks.uri');
  expect(text.length).toBeLessThan(300);
  expect(text.endsWith(' is not https')).toBe(true);
});
