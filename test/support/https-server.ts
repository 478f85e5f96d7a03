import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { loadOrCreateKeyMaterial } from '../../tools/local-idp/certificates';

export interface LoopbackHttps {
  readonly server: Server;
  readonly origin: string;
  /** The self-signed certificate, to trust it as an extra CA. */
  readonly certPem: string;
  close(): Promise<void>;
}

/** An HTTPS server on 127.0.0.1 and an ephemeral port, with the local identity provider's certificate. */
export async function startLoopbackHttps(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<LoopbackHttps> {
  const material = await loadOrCreateKeyMaterial();
  const server = createServer({ key: material.tls.keyPem, cert: material.tls.certPem }, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    origin: `https://localhost:${port}`,
    certPem: material.tls.certPem,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
