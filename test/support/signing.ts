import { createHmac } from 'node:crypto';
import { CompactSign, importPKCS8, type JWK } from 'jose';
import { testRsaKeyPair } from './test-keys';

export interface TestKey {
  readonly privateKey: CryptoKeyLike;
  readonly publicJwk: JWK;
}
type CryptoKeyLike = Awaited<ReturnType<typeof importPKCS8>>;

/**
 * An RSA key no earlier call in this test file returned (test-keys.ts), for `alg` only, whose public
 * JWK carries `kid` (and `alg`, `use` as WSO2 publishes them).
 */
export async function rsaKey(kid: string, alg = 'RS256'): Promise<TestKey> {
  const { privatePem, publicKey } = testRsaKeyPair();
  return {
    privateKey: await importPKCS8(privatePem, alg),
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' },
  };
}

/** Signs any header and payload as given: no claim or header is added or checked. */
export async function signJws(
  header: Record<string, unknown>,
  payload: unknown,
  privateKey: CryptoKeyLike,
): Promise<string> {
  return new CompactSign(Buffer.from(JSON.stringify(payload)))
    .setProtectedHeader(header as { alg: string })
    .sign(privateKey);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** `alg: none`: header and payload with an empty signature. */
export function unsignedToken(header: Record<string, unknown>, payload: unknown): string {
  return `${b64(header)}.${b64(payload)}.`;
}

/** The classic key-confusion forgery: HS256 with the RSA public key's bytes as the secret. */
export function hmacToken(header: Record<string, unknown>, payload: unknown, secret: string | Buffer): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** Replaces the payload and keeps the original signature. */
export function tamperPayload(token: string, payload: unknown): string {
  const [header, , signature] = token.split('.');
  return `${header}.${b64(payload)}.${signature}`;
}
