import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** A server a test started on 127.0.0.1 and an ephemeral port. */
export interface Listening {
  readonly port: number;
  /** Ends open connections too: a request left unanswered on purpose must not keep jest waiting. */
  close(): Promise<void>;
}

/** Starts `server` on 127.0.0.1 and an ephemeral port. */
export async function listenOnLoopback(server: HttpServer | HttpsServer): Promise<Listening> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
