/**
 * The one place the doctor and the deploy-time Lambda bind their network needs to the shared
 * rules module (authorizer-rules/, the same fetchers the local gateway uses), to the TLS trust
 * check and to DNS.
 */
import { checkTlsTrust } from '../authorizer-rules/tls-trust';
import { lookupWithTimeout } from './lookup';
import type { FetchOutcome, IssuerNet } from './net';

export interface IssuerNetOptions {
  /** Extra CA certificates (PEM) the fetchers trust besides Node's defaults: --ca-file. */
  readonly extraCa?: string;
}

export function createIssuerNet(options: IssuerNetOptions = {}): IssuerNet {
  void options;
  const pending = async (url: string): Promise<FetchOutcome> => ({
    url,
    elapsedMs: 0,
    failure: { kind: 'network', message: 'the discovery/JWKS fetchers of authorizer-rules/ are not merged yet' },
  });
  return {
    lookup: (host) => lookupWithTimeout(host),
    tlsTrust: (url) => checkTlsTrust(url),
    fetchDiscovery: pending,
    fetchJwks: pending,
  };
}
