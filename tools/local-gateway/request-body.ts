import type { IncomingMessage } from 'node:http';

/**
 * A request body read up to `limit` bytes: `too-large` as soon as it passes the limit (reading
 * stops; nothing more is buffered), `gone` when the client went away.
 */
export function readBodyWithin(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large' | 'gone'> {
  return new Promise((resolve) => {
    if (req.destroyed) return resolve('gone');
    if (req.readableEnded) return resolve(Buffer.alloc(0));
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (outcome: Buffer | 'too-large' | 'gone') => {
      if (settled) return;
      settled = true;
      req.removeListener('data', onData);
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) settle('too-large');
      else chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => settle(Buffer.concat(chunks)));
    req.on('error', () => settle('gone'));
    req.on('close', () => settle(req.complete ? Buffer.concat(chunks) : 'gone'));
  });
}
