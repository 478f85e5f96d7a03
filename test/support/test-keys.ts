/**
 * RSA 2048 key pairs for tests, generated once per test run and shared by its test files.
 * Generating one costs 50-500 ms of CPU (a random prime search), and the suite asked for about
 * forty. Within a test file each call returns a key no earlier call in that file returned, so a
 * test that needs an intruder's key still gets one that differs from the issuer's. Other test
 * files get the same keys back, which no test can observe: each file starts its own servers, and
 * the shared identity provider's keys come from its own certificate folder.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createExclusively,
  loadOrCreateKeyMaterial,
  loadOrCreateTenantSigningPair,
  readIfPresent,
} from '../../tools/local-idp/certificates';
import { loadDemoValues } from '../../tools/local-idp/demo-config';
import { RUN_DIR_VARIABLE, sharedDir } from './run-temp';

export interface TestRsaKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** PKCS#8, for APIs that import a key for one algorithm (jose's importPKCS8). */
  readonly privatePem: string;
}

/** How many keys this test file has taken: jest gives each test file its own module registry. */
let taken = 0;

export function testRsaKeyPair(): TestRsaKeyPair {
  // `npm run mutate:rules` runs without jest's global setup, so without a run folder to share
  // keys in (jest.stryker.rules.config.js): there each call makes its own.
  if (process.env[RUN_DIR_VARIABLE] === undefined) return keyPairOf(newPrivateKeyPem());
  const file = join(sharedDir(), `test-rsa-key-${taken}.pem`);
  taken += 1;
  let privatePem = readIfPresent(file);
  if (privatePem === undefined) {
    // Another worker may be generating the same slot: the first to finish wins, both read its key.
    createExclusively(file, newPrivateKeyPem());
    privatePem = readFileSync(file, 'utf8');
  }
  return keyPairOf(privatePem);
}

function newPrivateKeyPem(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
}

function keyPairOf(privatePem: string): TestRsaKeyPair {
  const privateKey = createPrivateKey(privatePem);
  return { privateKey, publicKey: createPublicKey(privateKey), privatePem };
}

/**
 * A local identity provider's certificate folder (`--cert-dir`) shared by the run's test files:
 * its key material (three RSA keys with the demo tenant's) is created once, by the first test that
 * starts an identity provider on it. Creating the material in a new folder is tested on its own
 * (test/tools/local-idp/certificates.test.ts).
 */
export function sharedCertDir(): string {
  return join(sharedDir(), 'local-certs');
}

/**
 * Gives `target` (a copy of the project's `.local-certs`) the shared folder's key material, as a
 * developer's is after a first `npm start`: the copy's identity provider then creates no key.
 */
export async function seedCertDir(target: string): Promise<void> {
  const shared = sharedCertDir();
  await loadOrCreateKeyMaterial(shared);
  for (const tenant of loadDemoValues().tenants) await loadOrCreateTenantSigningPair(tenant.domain, shared);
  // Not another worker's file still being written (createExclusively's temporary files).
  cpSync(shared, target, { recursive: true, filter: (source) => !source.endsWith('.tmp') });
}
