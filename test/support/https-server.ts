import { listenOnLoopback } from './loopback';
import { createServer, type Server } from 'node:https';
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
  const { port, close } = await listenOnLoopback(server);
  return {
    server,
    origin: `https://localhost:${port}`,
    certPem: material.tls.certPem,
    close,
  };
}
