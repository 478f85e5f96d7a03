/**
 * A WSO2-shaped identity provider on loopback (ephemeral port, self-signed certificate made
 * in memory) whose every way of going wrong can be switched on per test: the doctor and the
 * deploy-time check are tested against the failures they exist to explain.
 */
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { generate } from 'selfsigned';
import { testRsaKeyPair } from './test-keys';

export interface IdpFaults {
  /** The `issuer` the discovery document claims (default: the real issuer). */
  discoveryIssuer?: string;
  /** Discovery answers 404, as WSO2 IS before 5.8. */
  noDiscovery?: boolean;
  /** The JWKS answers after this delay. */
  jwksDelayMs?: number;
  /** The JWKS is padded with extra keys to at least this many bytes. */
  jwksMinBytes?: number;
  /** Which keys the JWKS publishes. */
  jwksKeys?: 'rsa' | 'ec-only' | 'rsa-without-kid' | 'rsa-and-ec';
}

export interface MintOptions {
  /** Header fields to set or, with `undefined`, remove. */
  readonly header?: Record<string, unknown>;
}

export interface MisbehavingIdp {
  readonly issuer: string;
  readonly port: number;
  /** The self-signed certificate, for --ca-file. */
  readonly certPem: string;
  readonly kid: string;
  /** The audience tokens carry by default. */
  readonly clientId: string;
  /** Switched per test; the server reads it on every request. */
  faults: IdpFaults;
  /** An RS256 JWT access token shaped like WSO2 IS 7's, with `claims` merged over the defaults (undefined removes). */
  mintToken(claims?: Record<string, unknown>, options?: MintOptions): Promise<string>;
  close(): Promise<void>;
}

const CLIENT_ID = 'wso2-jwt-demo-client';
const KID = 'NTAxZmMxNDMyZDg3MTU1ZGM0MzEzODJhZWI4NDNlZDU1OGFkNjFiMQ_RS256';

export async function startMisbehavingIdp(): Promise<MisbehavingIdp> {
  // EC keeps certificate generation in milliseconds; the token key is RSA as WSO2's is.
  const tls = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  const rsa = testRsaKeyPair();
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rsaJwk = { ...rsa.publicKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256', kid: KID };
  const ecJwk = { ...ec.publicKey.export({ format: 'jwk' }), use: 'sig', alg: 'ES256', kid: 'ec-signing-key' };

  let issuer = '';
  const state: { faults: IdpFaults } = { faults: {} };

  const server: Server = createServer({ key: tls.private, cert: tls.cert }, (request, response) => {
    const faults = state.faults;
    const json = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      response.end(text);
    };
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/oauth2/token/.well-known/openid-configuration') {
      if (faults.noDiscovery) return json(404, { error: 'not found' });
      return json(200, {
        issuer: faults.discoveryIssuer ?? issuer,
        jwks_uri: `${new URL(issuer).origin}/oauth2/jwks`,
        token_endpoint: issuer,
        response_types_supported: ['code', 'token'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    }
    if (path === '/oauth2/jwks') {
      const keys = (() => {
        switch (faults.jwksKeys ?? 'rsa') {
          case 'ec-only':
            return [ecJwk];
          case 'rsa-without-kid':
            return [{ ...rsaJwk, kid: undefined }];
          case 'rsa-and-ec':
            return [rsaJwk, ecJwk];
          default:
            return [rsaJwk];
        }
      })();
      const padded = [...keys];
      for (
        let index = 0;
        faults.jwksMinBytes && JSON.stringify({ keys: padded }).length < faults.jwksMinBytes;
        index += 1
      ) {
        padded.push({ ...rsaJwk, kid: `old-key-${index}` });
      }
      const send = () => json(200, { keys: padded });
      if (faults.jwksDelayMs) {
        setTimeout(send, faults.jwksDelayMs).unref();
        return undefined;
      }
      return send();
    }
    return json(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  issuer = `https://127.0.0.1:${port}/oauth2/token`;

  return {
    issuer,
    port,
    certPem: tls.cert,
    kid: KID,
    clientId: CLIENT_ID,
    get faults() {
      return state.faults;
    },
    set faults(value: IdpFaults) {
      state.faults = value;
    },
    mintToken: (claims = {}, options = {}) => mint(rsa.privateKey, issuer, claims, options),
    close: () =>
      new Promise<void>((resolve) => {
        // A delayed JWKS answer must not keep jest waiting.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function mint(
  key: KeyObject,
  issuer: string,
  overrides: Record<string, unknown>,
  options: MintOptions,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: issuer,
    sub: CLIENT_ID,
    aut: 'APPLICATION',
    aud: CLIENT_ID,
    azp: CLIENT_ID,
    client_id: CLIENT_ID,
    scope: 'reports:read',
    iat: now - 60,
    nbf: now - 60,
    exp: now + 3600,
    jti: randomUUID(),
    ...overrides,
  };
  for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
  const header: Record<string, unknown> = { alg: 'RS256', typ: 'at+jwt', kid: KID, ...options.header };
  for (const [name, value] of Object.entries(header)) if (value === undefined) delete header[name];
  return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(key);
}
