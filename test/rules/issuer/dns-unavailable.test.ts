import { FIX } from '../../../rules/issuer/fixes';
import { runIssuerChecks } from '../../../rules/issuer/issuer-checks';
import type { IssuerNet, LookupOutcome } from '../../../rules/issuer/net';

/** An offline machine must not be told to fix the issuer's DNS name (issue 12). */
function offlineNet(lookup: LookupOutcome, fetchMessage = 'getaddrinfo EAI_AGAIN idp.example.com'): IssuerNet {
  return {
    lookup: async () => lookup,
    tlsTrust: async () => ({ reachable: false, trusted: false, reason: 'EAI_AGAIN' }),
    fetchDiscovery: async (issuer) => ({
      url: `${issuer}/.well-known/openid-configuration`,
      elapsedMs: 3,
      failure: { kind: 'network', message: fetchMessage },
    }),
    fetchJwks: async (url) => ({ url, elapsedMs: 3, failure: { kind: 'network', message: fetchMessage } }),
  };
}

const ISSUER = 'https://idp.example.com/oauth2/token';

test('EAI_AGAIN is reported as DNS being unavailable, not as a name to fix', async () => {
  const { checks } = await runIssuerChecks({ issuerUrl: ISSUER, net: offlineNet({ error: 'EAI_AGAIN' }) });
  expect(checks.find((check) => check.id === 'issuer.host')).toEqual({
    id: 'issuer.host',
    title: 'issuer host',
    verdict: 'fail',
    detail: 'idp.example.com could not be looked up: DNS is unavailable from here (EAI_AGAIN)',
    fix: FIX.dnsUnavailable,
  });
  expect(checks.find((check) => check.id === 'discovery')).toEqual({
    id: 'discovery',
    title: 'discovery',
    verdict: 'skip',
    detail: 'DNS is unavailable, so issuer host idp.example.com could not be looked up',
  });
});

test('a resolver that never answers is the same', async () => {
  const { checks } = await runIssuerChecks({
    issuerUrl: ISSUER,
    net: offlineNet({ error: 'no DNS answer within 1500 ms' }),
  });
  expect(checks.find((check) => check.id === 'issuer.host')?.fix).toBe(FIX.dnsUnavailable);
});

test('ENOTFOUND still asks for a public host name', async () => {
  const { checks } = await runIssuerChecks({ issuerUrl: ISSUER, net: offlineNet({ error: 'ENOTFOUND' }) });
  expect(checks.find((check) => check.id === 'issuer.host')).toMatchObject({
    detail: 'idp.example.com does not resolve (ENOTFOUND)',
    fix: FIX.hostUnresolved,
  });
});

test('a discovery fetch that fails with EAI_AGAIN (the lookup passed, e.g. from a cache) says DNS too', async () => {
  const net = offlineNet({ addresses: ['93.184.215.14'] });
  const { checks } = await runIssuerChecks({ issuerUrl: ISSUER, net });
  expect(checks.find((check) => check.id === 'discovery')).toMatchObject({ verdict: 'fail', fix: FIX.dnsUnavailable });
});

test('other network failures of discovery keep the host fix', async () => {
  const net = offlineNet({ addresses: ['93.184.215.14'] }, 'ECONNREFUSED');
  const { checks } = await runIssuerChecks({ issuerUrl: ISSUER, net });
  expect(checks.find((check) => check.id === 'discovery')).toMatchObject({ verdict: 'fail', fix: FIX.hostUnresolved });
});
