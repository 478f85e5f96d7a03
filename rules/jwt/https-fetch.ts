import { type Agent, request } from 'node:https';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import {
  BadStatusError,
  type FetchFacts,
  FetchTimeoutError,
  InvalidFetchUrlError,
  NetworkError,
  NotJsonError,
  ResponseTooLargeError,
  TlsError,
} from './errors';
import { ISSUER_FETCH_TIMEOUT_MS, JWKS_MAX_BYTES } from './limits';
import { show } from './show';

export interface FetchOptions {
  /** @default 1500 (API Gateway's limit) */
  readonly timeoutMs?: number;
  /** @default 150000 (API Gateway's JWKS limit) */
  readonly maxBytes?: number;
  /**
   * Extra CA certificates (PEM) to trust besides Node's default store, e.g. a local WSO2 IS's
   * self-signed certificate. API Gateway itself only trusts public CAs.
   */
  readonly ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  /**
   * How to reach the host, e.g. through an HTTPS_PROXY tunnel (the doctor on a corporate
   * network). @default a fresh direct connection per fetch
   */
  readonly agent?: Agent;
}

export interface FetchedResponse extends FetchFacts {
  readonly status: number;
  readonly bytes: number;
  readonly contentType: string | undefined;
  readonly body: Buffer;
}

export interface FetchedJson extends FetchedResponse {
  readonly json: Record<string, unknown>;
}

// OpenSSL and Node name certificate problems in these ways; everything else is the network.
const TLS_CODE = new RegExp(
  `^(${[
    'ERR_TLS_',
    'ERR_SSL_',
    'CERT_',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'UNABLE_TO_',
    'ERR_OSSL_',
    'HOSTNAME_MISMATCH',
    'EPROTO',
  ].join('|')})`,
);

/**
 * GET over HTTPS with API Gateway's limits, reporting each way of failing with its own error
 * class and the facts gathered so far (status, bytes, elapsed ms). Redirects are not followed.
 * @throws InvalidFetchUrlError | FetchTimeoutError | ResponseTooLargeError | BadStatusError | TlsError | NetworkError
 */
export function fetchLimited(url: string, options: FetchOptions = {}): Promise<FetchedResponse> {
  const timeoutMs = options.timeoutMs ?? ISSUER_FETCH_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? JWKS_MAX_BYTES;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return Promise.reject(new InvalidFetchUrlError(`${show(url)} is not an absolute URL`, { url, elapsedMs: 0 }));
  }
  if (parsed.protocol !== 'https:') {
    return Promise.reject(
      new InvalidFetchUrlError(`${show(url)} must use https: API Gateway only fetches keys over HTTPS`, {
        url,
        elapsedMs: 0,
      }),
    );
  }
  const extraCa = options.ca === undefined ? [] : Array.isArray(options.ca) ? options.ca : [options.ca];

  return new Promise<FetchedResponse>((resolve, reject) => {
    let settled = false;
    let status: number | undefined;
    let bytes = 0;
    const facts = (): FetchFacts => ({
      url,
      elapsedMs: elapsed(),
      ...(status !== undefined && { status }),
      ...(status !== undefined && { bytes }),
    });
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(error);
    };
    const req = request(parsed, {
      method: 'GET',
      headers: { accept: 'application/json' },
      // A fresh connection per fetch: fetches are rare (keys are cached) and a pooled
      // keep-alive socket would outlive the caller.
      agent: options.agent ?? false,
      ...(extraCa.length > 0 && { secureContext: secureContextTrusting(extraCa.map(String)) }),
    });
    const timer = setTimeout(() => {
      fail(
        new FetchTimeoutError(
          `${url} did not answer completely within ${timeoutMs} ms (API Gateway's limit)`,
          facts(),
          timeoutMs,
        ),
      );
    }, timeoutMs);

    req.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code;
      if (code !== undefined && TLS_CODE.test(code)) {
        fail(
          new TlsError(`TLS with ${parsed.host} failed: ${code}: ${error.message}`, facts(), code, { cause: error }),
        );
      } else {
        fail(
          new NetworkError(
            `${url} could not be reached: ${code ?? error.message}${code ? `: ${error.message}` : ''}`,
            facts(),
            code,
            { cause: error },
          ),
        );
      }
    });
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      if (status !== 200) {
        res.resume();
        const location = res.headers.location ? ` (redirect to ${show(res.headers.location)}: not followed)` : '';
        return fail(new BadStatusError(`${url} answered HTTP ${status}, expected 200${location}`, facts()));
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        bytes = declared;
        return fail(
          new ResponseTooLargeError(
            `${url} declares ${declared} bytes, more than the limit of ${maxBytes}`,
            facts(),
            maxBytes,
          ),
        );
      }
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > maxBytes) {
          return fail(
            new ResponseTooLargeError(`${url} sent more than the limit of ${maxBytes} bytes`, facts(), maxBytes),
          );
        }
        chunks.push(chunk);
      });
      res.on('error', (error) =>
        fail(
          new NetworkError(`${url} broke off while answering: ${error.message}`, facts(), undefined, { cause: error }),
        ),
      );
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({
          ...facts(),
          // Any other status was refused when the response began.
          status: 200,
          bytes,
          contentType: res.headers['content-type'],
          body: Buffer.concat(chunks),
        });
      });
    });
    req.end();
  });
}

// Parsing Node's ~150 root certificates costs about 100 ms: build the context once per extra CA.
const contexts = new Map<string, SecureContext>();
function secureContextTrusting(extraCa: string[]): SecureContext {
  const key = extraCa.join('\n');
  let context = contexts.get(key);
  if (!context) {
    context = createSecureContext({ ca: [...rootCertificates, ...extraCa] });
    if (contexts.size > 16) contexts.clear();
    contexts.set(key, context);
  }
  return context;
}

/**
 * fetchLimited, then the body must be a JSON object.
 * @throws NotJsonError besides fetchLimited's errors.
 */
export async function fetchJsonObject(url: string, options: FetchOptions = {}): Promise<FetchedJson> {
  const response = await fetchLimited(url, options);
  let json: unknown;
  try {
    json = JSON.parse(response.body.toString('utf8'));
  } catch {
    const start = response.body.subarray(0, 40).toString('utf8');
    throw new NotJsonError(
      `${url} did not answer JSON (content-type ${show(response.contentType ?? null)}, starts with ${show(start)})`,
      response,
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new NotJsonError(`${url} answered JSON that is not an object: ${show(json, 60)}`, response);
  }
  return { ...response, json: json as Record<string, unknown> };
}
