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
 * requests. A request waits (unread, so TCP holds the sender back) until its share is free.
 * Each buffered byte costs about five on its way to the function (the body, its base64 in the
 * event, the event's JSON for the runtime), so two full payloads at once is the bound.
 */
export const MAX_BUFFERED_BODY_BYTES = 2 * MAX_PAYLOAD_BYTES;
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
 * The bytes of request bodies the gateway holds at once. A request acquires its whole share
 * before reading (its declared length, or the payload quota for a chunked body) and releases it
 * when answered; requests wait in arrival order. All-or-nothing shares cannot deadlock, and
 * memory stays bounded whatever clients send.
 */
export class BodyBudget {
  private used = 0;
  private readonly waiting: { bytes: number; grant: () => void }[] = [];

  constructor(private readonly limit = MAX_BUFFERED_BODY_BYTES) {}

  /** Resolves once `bytes` (at most the limit) are reserved for the caller. */
  acquire(bytes: number): Promise<void> {
    const share = Math.min(bytes, this.limit);
    if (this.waiting.length === 0 && this.used + share <= this.limit) {
      this.used += share;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push({ bytes: share, grant: resolve }));
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - Math.min(bytes, this.limit));
    while (this.waiting.length > 0 && this.used + this.waiting[0].bytes <= this.limit) {
      const next = this.waiting.shift();
      if (!next) break;
      this.used += next.bytes;
      next.grant();
    }
  }

  /** Bytes reserved now (for tests). */
  get reserved(): number {
    return this.used;
  }
}
