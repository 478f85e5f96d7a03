/**
 * Would API Gateway accept this host's certificate? API Gateway only fetches discovery and
 * JWKS from hosts whose chain leads to a public CA, so this opens a TLS session with Node's
 * default CA store (never an extra CA the caller may trust locally) and reports whether the
 * chain and host name verify, instead of failing the connection.
 *
 * Kept apart from the fetchers: they may run with an extra CA (a local WSO2 IS), while this
 * answers the AWS question alone.
 */
import { type Agent, request } from 'node:https';
import { isIP } from 'node:net';
import { connect, type PeerCertificate, type TLSSocket } from 'node:tls';
import { ISSUER_FETCH_TIMEOUT_MS } from './limits';

export interface TlsTrustResult {
  /** False when no TLS session could be set up (refused, timed out, not TLS). */
  readonly reachable: boolean;
  /** The chain verifies against the default CA store and matches the host name. */
  readonly trusted: boolean;
  /** Node's verification error code (e.g. `DEPTH_ZERO_SELF_SIGNED_CERT`) or the connection error. */
  readonly reason?: string;
  /** Leaf certificate subject / issuer common names, for reports. */
  readonly subject?: string;
  readonly issuer?: string;
  readonly elapsedMs: number;
}

export interface TlsTrustOptions {
  /** @default 1500, API Gateway's own limit for discovery and JWKS */
  readonly timeoutMs?: number;
  /**
   * Replaces the default CA store. Only for tests of the trusted path, which cannot reach a
   * public CA offline; a doctor or Lambda never passes it.
   */
  readonly ca?: string | readonly string[];
  /**
   * Reach the host through this agent (an HTTPS_PROXY tunnel): the TLS session is then set up
   * over the tunnel by an HTTPS request, and judged the same way.
   */
  readonly agent?: Agent;
}

export function checkTlsTrust(url: string, options: TlsTrustOptions = {}): Promise<TlsTrustResult> {
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const port = Number(target.port || 443);
  const timeoutMs = options.timeoutMs ?? ISSUER_FETCH_TIMEOUT_MS;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);

  if (options.agent) return checkTlsTrustThrough(options.agent, target, host, port, timeoutMs, elapsed);
  return new Promise((resolve) => {
    let settled = false;
    const socket = connect({
      host,
      port,
      ...serverNameFor(host),
      // Report the verdict rather than fail: the caller wants to know why.
      rejectUnauthorized: false,
      ...(options.ca !== undefined && { ca: options.ca as string | string[] }),
    });
    const finish = (result: Omit<TlsTrustResult, 'elapsedMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...result, elapsedMs: elapsed() });
    };
    const timer = setTimeout(
      () => finish({ reachable: false, trusted: false, reason: `no TLS handshake within ${timeoutMs} ms` }),
      timeoutMs,
    );
    socket.once('secureConnect', () => finish(verdictOf(socket)));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      finish({ reachable: false, trusted: false, reason: error.code ?? error.message }),
    );
  });
}

/** SNI names a host, never an IP address (RFC 6066, section 3): `{}` for an IPv4 or IPv6 literal. */
export function serverNameFor(host: string): { servername?: string } {
  return isIP(host) === 0 ? { servername: host } : {};
}

function verdictOf(socket: TLSSocket): Omit<TlsTrustResult, 'elapsedMs'> {
  const error = socket.authorizationError;
  return {
    reachable: true,
    trusted: socket.authorized,
    ...(!socket.authorized && { reason: typeof error === 'string' ? error : (error?.message ?? 'untrusted') }),
    ...describe(socket.getPeerCertificate()),
  };
}

/** The same verdict over an agent's tunnel: a HEAD request whose TLS socket is inspected. */
function checkTlsTrustThrough(
  agent: Agent,
  target: URL,
  host: string,
  port: number,
  timeoutMs: number,
  elapsed: () => number,
): Promise<TlsTrustResult> {
  return new Promise((resolve) => {
    let settled = false;
    const req = request({
      host,
      port,
      path: target.pathname,
      method: 'HEAD',
      agent,
      rejectUnauthorized: false,
      ...serverNameFor(host),
    });
    const finish = (result: Omit<TlsTrustResult, 'elapsedMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve({ ...result, elapsedMs: elapsed() });
    };
    const timer = setTimeout(
      () => finish({ reachable: false, trusted: false, reason: `no TLS handshake within ${timeoutMs} ms` }),
      timeoutMs,
    );
    // The handshake may finish before or after the request gets its socket: the response
    // (any status) comes after it in either case.
    req.once('socket', (socket) => socket.once('secureConnect', () => finish(verdictOf(socket as TLSSocket))));
    req.once('response', (res) => {
      res.resume();
      finish(verdictOf(res.socket as TLSSocket));
    });
    req.once('error', (error: NodeJS.ErrnoException) =>
      finish({ reachable: false, trusted: false, reason: error.code ?? error.message }),
    );
    req.end();
  });
}

function describe(cert: PeerCertificate | undefined): { subject?: string; issuer?: string } {
  if (!cert || Object.keys(cert).length === 0) return {};
  const name = (entry: unknown): string | undefined => {
    if (!entry || typeof entry !== 'object') return undefined;
    const { CN, O } = entry as { CN?: string | string[]; O?: string | string[] };
    const value = CN ?? O;
    return value === undefined ? undefined : `CN=${Array.isArray(value) ? value.join(',') : value}`;
  };
  const subject = name(cert.subject);
  const issuer = name(cert.issuer);
  return { ...(subject && { subject }), ...(issuer && { issuer }) };
}
