import { listenOnLoopback } from '../../support/loopback';
import { Agent, createServer as createHttpsServer } from 'node:https';
import { createServer, type Socket } from 'node:net';
import {
  type ConnectionOptions,
  connect as connectTls,
  createSecureContext,
  createServer as createTlsServer,
} from 'node:tls';
import { generate } from 'selfsigned';
import type { AddressInfo } from 'node:net';
import { checkTlsTrust, serverNameFor } from '../../../rules/jwt/tls-trust';
import { startMisbehavingIdp, type MisbehavingIdp } from '../../support/misbehaving-idp';

/** A loopback port that was free a moment ago: a connection to it is refused. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A TCP server on loopback that accepts and says nothing: no TLS handshake ever completes. */
async function silentServer(): Promise<{ port: number; close(): void }> {
  const silent = createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  return { port: (silent.address() as AddressInfo).port, close: () => silent.close() };
}

describe('checkTlsTrust: would API Gateway accept the certificate?', () => {
  let idp: MisbehavingIdp;
  beforeAll(async () => {
    idp = await startMisbehavingIdp();
  });
  afterAll(() => idp.close());

  test('a self-signed certificate is reachable but not trusted by the default CA store', async () => {
    // WHEN
    const result = await checkTlsTrust(idp.issuer);

    // THEN
    expect(result).toMatchObject({
      reachable: true,
      trusted: false,
      reason: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      subject: 'CN=localhost',
      issuer: 'CN=localhost',
    });
  });

  test('the same certificate verifies when it is the trust anchor (the trusted path)', async () => {
    const result = await checkTlsTrust(idp.issuer, { ca: idp.certPem });
    expect(result).toMatchObject({ reachable: true, trusted: true });
    expect(result.reason).toBeUndefined();
  });

  test('a closed port is unreachable, with the connection error', async () => {
    // GIVEN a port that was free a moment ago
    const port = await closedPort();

    // WHEN / THEN
    await expect(checkTlsTrust(`https://127.0.0.1:${port}/oauth2/token`)).resolves.toMatchObject({
      reachable: false,
      trusted: false,
      reason: 'ECONNREFUSED',
    });
  });

  test('a server that never completes the handshake is cut off at the timeout', async () => {
    // GIVEN a TCP server that accepts and says nothing
    const silent = await silentServer();
    try {
      // WHEN
      const result = await checkTlsTrust(`https://127.0.0.1:${silent.port}/`, { timeoutMs: 200 });

      // THEN
      expect(result).toMatchObject({ reachable: false, trusted: false, reason: 'no TLS handshake within 200 ms' });
      expect(result.elapsedMs).toBeLessThan(1000);
    } finally {
      silent.close();
    }
  });

  describe('through an agent (the doctor behind HTTPS_PROXY): the same verdicts', () => {
    // A plain agent connects directly: what matters here is that the session is judged the same way.
    let agent: Agent;
    beforeEach(() => {
      agent = new Agent({ keepAlive: false });
    });
    afterEach(() => agent.destroy());

    test('a self-signed certificate is reachable but not trusted, with its names', async () => {
      await expect(checkTlsTrust(idp.issuer, { agent })).resolves.toMatchObject({
        reachable: true,
        trusted: false,
        reason: 'DEPTH_ZERO_SELF_SIGNED_CERT',
        subject: 'CN=localhost',
        issuer: 'CN=localhost',
      });
    });

    test('an agent that hands over a session already set up (a proxy tunnel) is judged by the answer', async () => {
      // Like a CONNECT proxy agent: the socket comes after its handshake, so only the response tells.
      const tunnel = new Agent({ keepAlive: false });
      tunnel.createConnection = (options, callback) => {
        const socket = connectTls({ ...(options as ConnectionOptions), rejectUnauthorized: false });
        socket.once('secureConnect', () => callback?.(null, socket));
        return undefined as never;
      };
      try {
        await expect(checkTlsTrust(idp.issuer, { agent: tunnel })).resolves.toMatchObject({
          reachable: true,
          trusted: false,
          reason: 'DEPTH_ZERO_SELF_SIGNED_CERT',
          subject: 'CN=localhost',
        });
      } finally {
        tunnel.destroy();
      }
    });

    test('the trusted path: the agent trusts the certificate', async () => {
      const trusting = new Agent({ keepAlive: false, ca: idp.certPem });
      try {
        const result = await checkTlsTrust(idp.issuer, { agent: trusting });
        expect(result).toMatchObject({ reachable: true, trusted: true, subject: 'CN=localhost' });
        expect(result.reason).toBeUndefined();
      } finally {
        trusting.destroy();
      }
    });

    test('a closed port is unreachable, with the connection error', async () => {
      const port = await closedPort();
      await expect(checkTlsTrust(`https://127.0.0.1:${port}/`, { agent })).resolves.toMatchObject({
        reachable: false,
        trusted: false,
        reason: 'ECONNREFUSED',
      });
    });

    test('a server that never completes the handshake is cut off at the timeout', async () => {
      const silent = await silentServer();
      try {
        const result = await checkTlsTrust(`https://127.0.0.1:${silent.port}/`, { agent, timeoutMs: 200 });
        expect(result).toMatchObject({ reachable: false, trusted: false, reason: 'no TLS handshake within 200 ms' });
        expect(result.elapsedMs).toBeLessThan(1000);
      } finally {
        silent.close();
      }
    });
  });

  test('a certificate without a common name is named by its organisation', async () => {
    const pems = await generate([{ name: 'organizationName', value: 'Example Org' }], {
      keyType: 'ec',
      algorithm: 'sha256',
    });
    const server = createTlsServer({ key: pems.private, cert: pems.cert }, (socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      await expect(checkTlsTrust(`https://127.0.0.1:${port}/`)).resolves.toMatchObject({
        reachable: true,
        trusted: false,
        subject: 'CN=Example Org',
        issuer: 'CN=Example Org',
      });
    } finally {
      server.close();
    }
  });

  test("without a bound, the handshake gets API Gateway's 1500 ms", async () => {
    const silent = await silentServer();
    try {
      const result = await checkTlsTrust(`https://127.0.0.1:${silent.port}/`);
      expect(result.reason).toBe('no TLS handshake within 1500 ms');
    } finally {
      silent.close();
    }
  });

  describe('what the issuer sees of the check', () => {
    /** An HTTPS server that records the SNI names it is asked for, how many connections closed, and any request. */
    async function recordingServer(subject: { name: string; value: string }[]) {
      const pems = await generate(subject, { keyType: 'ec', algorithm: 'sha256' });
      const context = createSecureContext({ key: pems.private, cert: pems.cert });
      const seen = { names: [] as string[], closed: 0, requests: [] as string[] };
      const server = createHttpsServer(
        {
          key: pems.private,
          cert: pems.cert,
          SNICallback: (name, callback) => {
            seen.names.push(name);
            callback(null, context);
          },
        },
        (req, res) => {
          seen.requests.push(`${req.method} ${req.url}`);
          res.end();
        },
      );
      server.on('connection', (socket: Socket) => {
        socket.on('close', () => {
          seen.closed += 1;
        });
      });
      const { port, close } = await listenOnLoopback(server);
      return { port, seen, close };
    }
    /** Waits (bounded, the machine may be busy) until the server has seen `count` connections close. */
    const settle = async (seen: { closed: number }, count: number) => {
      for (let waited = 0; seen.closed < count && waited < 2000; waited += 20) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };

    test('a host name is sent as SNI, an IP address is not; the session is closed once judged', async () => {
      const server = await recordingServer([{ name: 'commonName', value: 'localhost' }]);
      try {
        await checkTlsTrust(`https://localhost:${server.port}/oauth2/token`);
        await checkTlsTrust(`https://127.0.0.1:${server.port}/oauth2/token`);
        await settle(server.seen, 2);
        expect(server.seen.names).toEqual(['localhost']);
        expect(server.seen.closed).toBe(2);
        expect(server.seen.requests).toEqual([]);
      } finally {
        await server.close();
      }
    });

    test('through an agent: the same SNI, and no session left open', async () => {
      const server = await recordingServer([{ name: 'commonName', value: 'localhost' }]);
      const agent = new Agent({ keepAlive: false });
      try {
        await checkTlsTrust(`https://localhost:${server.port}/oauth2/token`, { agent });
        await checkTlsTrust(`https://127.0.0.1:${server.port}/t/acme/oauth2/token`, { agent });
        await settle(server.seen, 2);
        expect(server.seen.names).toEqual(['localhost']);
        expect(server.seen.closed).toBe(2);
      } finally {
        agent.destroy();
        await server.close();
      }
    });

    test('a certificate with two common names lists both', async () => {
      const server = await recordingServer([
        { name: 'commonName', value: 'a.example' },
        { name: 'commonName', value: 'b.example' },
      ]);
      try {
        const result = await checkTlsTrust(`https://127.0.0.1:${server.port}/`);
        expect(result.subject).toBe('CN=a.example,b.example');
      } finally {
        await server.close();
      }
    });

    test('a certificate with neither a common name nor an organisation is reported without names', async () => {
      const server = await recordingServer([{ name: 'countryName', value: 'NL' }]);
      try {
        const result = await checkTlsTrust(`https://127.0.0.1:${server.port}/`);
        expect(result).toMatchObject({ reachable: true, trusted: false });
        expect('subject' in result || 'issuer' in result).toBe(false);
      } finally {
        await server.close();
      }
    });
  });
});

describe('serverNameFor: SNI names a host, never an address', () => {
  test.each([
    ['is.example.com', { servername: 'is.example.com' }],
    ['localhost', { servername: 'localhost' }],
    // names may start or end with a digit
    ['1password.example', { servername: '1password.example' }],
    ['wso2-is-2', { servername: 'wso2-is-2' }],
    ['127.0.0.1', {}],
    ['::1', {}],
    ['2001:db8::1', {}],
    ['::ffff:10.0.0.1', {}],
  ])('%s', (host, expected) => {
    expect(serverNameFor(host)).toEqual(expected);
  });
});

test('an IPv6 literal in the URL reaches the host, directly and through an agent', async () => {
  // GIVEN a TLS server on the IPv6 loopback address only
  const pems = await generate([{ name: 'commonName', value: 'ipv6.example' }], { keyType: 'ec', algorithm: 'sha256' });
  const server = createTlsServer({ key: pems.private, cert: pems.cert }, (socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '::1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ keepAlive: false });
  try {
    // WHEN / THEN the brackets are the URL's, not the address's
    const expected = {
      reachable: true,
      trusted: false,
      reason: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      subject: 'CN=ipv6.example',
    };
    await expect(checkTlsTrust(`https://[::1]:${port}/oauth2/token`)).resolves.toMatchObject(expected);
    await expect(checkTlsTrust(`https://[::1]:${port}/oauth2/token`, { agent })).resolves.toMatchObject(expected);
  } finally {
    agent.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
});
