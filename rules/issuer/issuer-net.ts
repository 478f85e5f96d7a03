/**
 * The one place the doctor and the deploy-time Lambda bind their network needs: the shared
 * rules module's fetcher (authorizer-rules/, the same one the local gateway uses, with API
 * Gateway's 1500 ms and 150000-byte limits), the TLS trust check and DNS.
 */
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
}

export function createIssuerNet(options: IssuerNetOptions = {}): IssuerNet {
  const fetchOptions = options.extraCa === undefined ? {} : { ca: options.extraCa };
  const fetchJson = async (url: string): Promise<FetchOutcome> => {
    try {
      const fetched = await fetchJsonObject(url, fetchOptions);
      return {
        url: fetched.url,
        status: fetched.status,
        bytes: fetched.bytes,
        elapsedMs: fetched.elapsedMs,
        body: fetched.json,
      };
    } catch (error) {
      if (!(error instanceof IssuerFetchError)) throw error;
      const { facts } = error;
      return {
        url: facts.url,
        elapsedMs: facts.elapsedMs,
        ...(facts.status !== undefined && { status: facts.status }),
        ...(facts.bytes !== undefined && { bytes: facts.bytes }),
        failure: { kind: kindOf(error), message: error.message },
      };
    }
  };
  return {
    lookup: (host) => lookupWithTimeout(host),
    tlsTrust: (url) => checkTlsTrust(url),
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
