import { createHash, createPrivateKey, createPublicKey, type KeyObject, randomUUID } from 'node:crypto';
import { CompactSign, type JWK } from 'jose';
import {
  type KeyMaterial,
  loadOrCreateKeyMaterial,
  loadOrCreateTenantSigningPair,
  signingCertificateFacts,
} from './certificates';

/**
 * The identity provider's signing key, with WSO2's JWKS shape: the same certificate listed
 * under `<thumbprint>_RS256` and `<thumbprint>_PS256`, each with `use: sig`, `alg`,
 * `x5t#S256` and `x5c`. Tokens are signed RS256 under the `_RS256` kid.
 */
export class SigningKey {
  readonly kid: string;
  readonly x5tS256: string;
  readonly jwks: { keys: JWK[] };
  private readonly privateKey: KeyObject;

  constructor(material: Pick<KeyMaterial, 'signing'>) {
    const facts = signingCertificateFacts(material.signing.certPem);
    this.kid = facts.kid;
    this.x5tS256 = facts.x5tS256;
    this.privateKey = createPrivateKey(material.signing.keyPem);
    const publicJwk = createPublicKey(material.signing.certPem).export({ format: 'jwk' }) as JWK;
    const key = (alg: string, kid: string): JWK => ({
      kty: 'RSA',
      e: publicJwk.e,
      use: 'sig',
      kid,
      'x5t#S256': facts.x5tS256,
      x5c: [facts.x5c],
      alg,
      n: publicJwk.n,
    });
    this.jwks = { keys: [key('RS256', facts.kid), key('PS256', facts.kid.replace(/_RS256$/, '_PS256'))] };
  }

  /**
   * Signs exactly the header and claims given (defaults: RS256 and this key's kid). For tests
   * that need broken tokens: pass `kid: undefined` to drop the kid, any `alg` RSA supports.
   */
  async sign(claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
    const fullHeader = Object.fromEntries(
      Object.entries({ alg: 'RS256', typ: 'at+jwt', kid: this.kid, ...header }).filter(
        ([, value]) => value !== undefined,
      ),
    );
    return new CompactSign(Buffer.from(JSON.stringify(claims)))
      .setProtectedHeader(fullHeader as { alg: string })
      .sign(this.privateKey);
  }
}

/** Loads the key material the identity provider uses (from `.local-certs/` by default). */
export async function loadSigningKey(certDir?: string): Promise<SigningKey> {
  return new SigningKey(await loadOrCreateKeyMaterial(certDir));
}

/** Loads a WSO2 tenant's own signing key (created on first use). */
export async function loadTenantSigningKey(domain: string, certDir?: string): Promise<SigningKey> {
  return new SigningKey({ signing: await loadOrCreateTenantSigningPair(domain, certDir) });
}

/** What a WSO2 access token holds, for one grant. */
export interface AccessTokenRequest {
  readonly issuer: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  /** A user grant's subject; absent for client_credentials (then `sub` is the client id). */
  readonly userSub?: string;
  readonly lifetimeSeconds: number;
  readonly nowSeconds?: number;
}

/** Claims of a WSO2 IS 7 JWT access token. */
export function accessTokenClaims(request: AccessTokenRequest): Record<string, unknown> {
  const now = Math.floor(request.nowSeconds ?? Date.now() / 1000);
  return {
    iss: request.issuer,
    sub: request.userSub ?? request.clientId,
    aut: request.userSub ? 'APPLICATION_USER' : 'APPLICATION',
    aud: request.clientId,
    nbf: now,
    azp: request.clientId,
    scope: request.scopes.join(' '),
    exp: now + request.lifetimeSeconds,
    iat: now,
    jti: randomUUID(),
    client_id: request.clientId,
  };
}

/**
 * Claims of a WSO2 ID token for the same grant: same issuer and key, `aud` = the client id,
 * no `scope`, `at_hash` bound to the access token, `amr`.
 */
export function idTokenClaims(
  request: AccessTokenRequest & { accessToken: string; userClaims?: Readonly<Record<string, string>> },
): Record<string, unknown> {
  const now = Math.floor(request.nowSeconds ?? Date.now() / 1000);
  const digest = createHash('sha256').update(request.accessToken, 'ascii').digest();
  return {
    isk: createHash('sha256').update(request.clientId).digest('hex'),
    at_hash: digest.subarray(0, digest.length / 2).toString('base64url'),
    aud: request.clientId,
    sub: request.userSub ?? request.clientId,
    nbf: now,
    azp: request.clientId,
    amr: [request.userSub ? 'password' : 'client_credentials'],
    iss: request.issuer,
    exp: now + request.lifetimeSeconds,
    iat: now,
    auth_time: now,
    sid: randomUUID(),
    jti: randomUUID(),
    ...(request.scopes.includes('profile') && request.userClaims ? request.userClaims : {}),
  };
}
