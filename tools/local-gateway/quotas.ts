import type { IncomingMessage } from 'node:http';

/**
 * API Gateway's quotas for HTTP APIs ("Quotas for configuring and running an HTTP API in API
 * Gateway"), applied by the local gateway; the answers are in docs/local-tools.md, "Fidelity notes".
 */
/** Total combined size of request line and header values. */
export const MAX_REQUEST_LINE_AND_HEADER_VALUES_BYTES = 10_240;
/** Payload size: 10 MB. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
/**
 * Local only (AWS scales out instead): request bodies buffered at once, in bytes, across all
 * requests. Beyond it a request gets API Gateway's throttling answer rather than more memory.
 */
export const MAX_BUFFERED_BODY_BYTES = 4 * MAX_PAYLOAD_BYTES;
/** Local only: open connections at once; Node.js refuses more by closing them. */
export const MAX_CONNECTIONS = 4096;

/** The request line (`GET /path?query HTTP/1.1`) plus every header value, in bytes, as the quota counts them. */
export function requestLineAndHeaderValuesBytes(req: IncomingMessage): number {
  let size = Buffer.byteLength(`${req.method} ${req.url} HTTP/${req.httpVersion}`);
  for (let i = 1; i < req.rawHeaders.length; i += 2) size += Buffer.byteLength(req.rawHeaders[i]);
  return size;
}

/** The declared body size, or undefined for a chunked body. */
export function declaredLength(req: IncomingMessage): number | undefined {
  const header = req.headers['content-length'];
  return header === undefined ? undefined : Number(header);
}

/**
 * The bytes of request bodies the gateway holds at once: each request reserves what it reads,
 * and gives it back when it is answered. Memory stays bounded whatever clients send.
 */
export class BodyBudget {
  private used = 0;

  constructor(private readonly limit = MAX_BUFFERED_BODY_BYTES) {}

  /** False (and nothing reserved) when `bytes` more would pass the limit. */
  reserve(bytes: number): boolean {
    if (this.used + bytes > this.limit) return false;
    this.used += bytes;
    return true;
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}
