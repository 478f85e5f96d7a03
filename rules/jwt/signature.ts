import { compactVerify, importJWK, type JWK } from 'jose';
import { InvalidSignatureError, KeyMismatchError } from './errors';
import type { SupportedAlgorithm } from './limits';
import { show } from './show';

type ImportedKey = Awaited<ReturnType<typeof importJWK>>;

// Importing an RSA JWK costs more than verifying with it; keys are long-lived objects
// held by the key source, so cache the imported form per JWK object and algorithm.
const imported = new WeakMap<JWK, Map<string, Promise<ImportedKey>>>();

function importOnce(jwk: JWK, alg: SupportedAlgorithm): Promise<ImportedKey> {
  const byAlg = imported.get(jwk) ?? new Map<string, Promise<ImportedKey>>();
  imported.set(jwk, byAlg);
  let key = byAlg.get(alg);
  if (!key) {
    key = importJWK(jwk, alg);
    byAlg.set(alg, key);
    // A JWK that fails to import should fail every time, not be cached as a rejection forever
    // on a shared object: drop it so the error is raised afresh.
    key.catch(() => byAlg.delete(alg));
  }
  return key;
}

/**
 * Checks the JWS signature with the key the `kid` named: an RSA key, as the key source only
 * hands out RSA signing keys (selectSigningKeys).
 * @throws KeyMismatchError when the key is declared for another `alg` or cannot be imported.
 * @throws InvalidSignatureError when the signature does not verify.
 */
export async function verifySignature(compact: string, alg: SupportedAlgorithm, jwk: JWK): Promise<void> {
  if (jwk.alg !== undefined && jwk.alg !== alg) {
    throw new KeyMismatchError(
      `the key with kid ${show(jwk.kid, 80)} is for alg ${show(jwk.alg, 20)}, the token says ${alg}`,
    );
  }
  let key: ImportedKey;
  try {
    key = await importOnce(jwk, alg);
  } catch (error) {
    throw new KeyMismatchError(
      `the key with kid ${show(jwk.kid, 80)} cannot be used for ${alg}: ${(error as Error).message}`,
    );
  }
  try {
    await compactVerify(compact, key, { algorithms: [alg] });
  } catch {
    throw new InvalidSignatureError(
      `the signature does not verify with the issuer's key ${show(jwk.kid, 80)} (${alg})`,
    );
  }
}
