import type { IncomingMessage } from 'node:http';

/** Why a body was not read whole. */
export type BodyRefusal = 'too-large' | 'over-budget' | 'gone';

/**
 * A request body read up to `limit` bytes, each chunk reserved with `reserve` first (so the
 * caller bounds what all requests hold together). A refusal stops reading at once: nothing more
 * is buffered; `reserved` says how many bytes to give back when the request is done.
 */
export function readBodyWithin(
  req: IncomingMessage,
  limit: number,
  reserve: (bytes: number) => boolean = () => true,
): Promise<{ body: Buffer; reserved: number } | { refused: BodyRefusal; reserved: number }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (outcome: { body: Buffer; reserved: number } | { refused: BodyRefusal; reserved: number }) => {
      if (settled) return;
      settled = true;
      req.removeListener('data', onData);
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      if (size + chunk.length > limit) return settle({ refused: 'too-large', reserved: size });
      if (!reserve(chunk.length)) return settle({ refused: 'over-budget', reserved: size });
      size += chunk.length;
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => settle({ body: Buffer.concat(chunks), reserved: size }));
    req.on('error', () => settle({ refused: 'gone', reserved: size }));
    req.on('aborted', () => settle({ refused: 'gone', reserved: size }));
  });
}
