import type { Duplex } from 'node:stream';

/** How long a refused client may keep sending (e.g. the rest of a 1 MB header) before it is cut off. */
const DRAIN_LIMIT_MS = 2000;

/**
 * Answers a request Node's HTTP parser refused (header too large: 431; anything else: 400).
 * The rest of what the client sends is read and dropped until it stops or the limit passes:
 * closing with unread bytes makes the kernel send a reset, which can destroy the answer
 * before the client reads it.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
  // Node's parser listener would report every further chunk as another client error.
  socket.removeAllListeners('data');
  socket.on('data', () => undefined);
  socket.on('error', () => undefined);
  setTimeout(() => socket.destroy(), DRAIN_LIMIT_MS).unref();
  socket.end(`HTTP/1.1 ${status}\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
}
