/**
 * The one place the doctor and the deploy-time Lambda bind their network needs: the shared
 * rules module's fetcher (authorizer-rules/, the same one the local gateway uses, with API
 * Gateway's 1500 ms and 150000-byte limits), the TLS trust check and DNS.
 */
import type { Agent } from 'node:https';
import {
  BadStatusError,
  discoveryUrlFor,
  fetchJsonObject,
  FetchTimeoutError,
  IssuerFetchError,
  NotJsonError,
  ResponseTooLargeError,
  TlsError,
} from '../jwt';
import { checkTlsTrust } from '../jwt/tls-trust';
import { lookupWithTimeout } from './lookup';
import type { FetchFailureKind, FetchOutcome, IssuerNet } from './net';

export interface IssuerNetOptions {
  /** Extra CA certificates (PEM) the fetchers trust besides Node's defaults: --ca-file. */
  readonly extraCa?: string;
  /**
   * The agent to reach a URL with, e.g. an HTTPS_PROXY tunnel; undefined connects directly.
   * Kept out of the rules so that the deploy-time Lambda bundles no proxy code.
   */
  readonly agentFor?: (url: string) => Agent | undefined;
  /** Says which proxy reaches a URL, for the report; undefined when none does. */
  readonly proxyFor?: (url: string) => string | undefined;
}

export function createIssuerNet(options: IssuerNetOptions = {}): IssuerNet {
  // An absent agent or CA is `undefined` either way: the fetcher and the TLS check read it as "none".
  const agentOf = (url: string) => ({ agent: options.agentFor?.(url) });
  const fetchOptions = { ca: options.extraCa };
  const fetchJson = async (url: string): Promise<FetchOutcome> => {
    const proxy = options.proxyFor?.(url);
    try {
      const fetched = await fetchJsonObject(url, { ...fetchOptions, ...agentOf(url) });
      return {
        url: fetched.url,
        status: fetched.status,
        bytes: fetched.bytes,
        elapsedMs: fetched.elapsedMs,
        body: fetched.json,
        ...(proxy !== undefined && { viaProxy: proxy }),
      };
    } catch (error) {
      if (!(error instanceof IssuerFetchError)) throw error;
      const { facts } = error;
      return {
        url: facts.url,
        elapsedMs: facts.elapsedMs,
        ...(facts.status !== undefined && { status: facts.status }),
        ...(facts.bytes !== undefined && { bytes: facts.bytes }),
        failure: {
          kind: kindOf(error),
          message: proxy === undefined ? error.message : `${error.message} (through the proxy ${proxy})`,
        },
        ...(proxy !== undefined && { viaProxy: proxy }),
      };
    }
  };
  return {
    lookup: async (host) => {
      const found = await lookupWithTimeout(host);
      // Behind a proxy the proxy resolves the name: a machine without public DNS is normal there.
      const proxy = options.proxyFor?.(`https://${host}/`);
      return 'error' in found && proxy !== undefined ? { ...found, viaProxy: proxy } : found;
    },
    tlsTrust: (url) => checkTlsTrust(url, agentOf(url)),
    fetchDiscovery: (issuerUrl) => fetchJson(discoveryUrlFor(issuerUrl)),
    fetchJwks: (jwksUri) => fetchJson(jwksUri),
  };
}

function kindOf(error: IssuerFetchError): FetchFailureKind {
  if (error instanceof FetchTimeoutError) return 'timeout';
  if (error instanceof ResponseTooLargeError) return 'too-large';
  if (error instanceof TlsError) return 'tls';
  if (error instanceof BadStatusError) return 'status';
  if (error instanceof NotJsonError) return 'not-json';
  return 'network';
}
