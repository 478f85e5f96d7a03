import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where key material lives by default: git-ignored, created on first start, then reused. */
export const DEFAULT_CERT_DIR = join(__dirname, '..', '..', '.local-certs');
const MATERIAL_FILE = 'local-idp-keys.json';
/** The TLS certificate alone, for `curl --cacert` and the gateway's `--ca-file`. */
export const TLS_CERT_FILE = 'localhost-cert.pem';

export interface KeyPairPem {
  readonly keyPem: string;
  readonly certPem: string;
}

/** What the identity provider needs, like WSO2's default keystore (one self-signed `CN=localhost`). */
export interface KeyMaterial {
  /** Serves HTTPS on localhost, 127.0.0.1 and ::1 (any port). */
  readonly tls: KeyPairPem;
  /** Signs tokens; its certificate gives the JWKS `kid`, `x5t#S256` and `x5c`. */
  readonly signing: KeyPairPem;
  /** Path of the TLS certificate file, to trust it elsewhere. */
  readonly tlsCertFile: string;
}

/**
 * Loads the key material from `certDir`, creating it on first use. Test files run in parallel
 * and may all start an identity provider at once: the file is created by hard-linking a
 * finished temporary file, which fails for every process but the first, so all of them
 * end up with the same keys.
 */
export async function loadOrCreateKeyMaterial(certDir = DEFAULT_CERT_DIR): Promise<KeyMaterial> {
  mkdirSync(certDir, { recursive: true });
  const file = join(certDir, MATERIAL_FILE);
  let material = readMaterial(file);
  if (!material) {
    const created = { tls: await createTlsPair(), signing: await createSigningPair() };
    createExclusively(file, JSON.stringify(created, null, 2));
    material = readMaterial(file);
    if (!material) throw new Error(`${file} could not be created or read`);
  }
  const tlsCertFile = join(certDir, TLS_CERT_FILE);
  // Always rewritten from the material (same content), so it can never disagree with it.
  replaceAtomically(tlsCertFile, material.tls.certPem);
  return { ...material, tlsCertFile };
}

/**
 * A WSO2 tenant's own signing key pair (each tenant has its own keystore), created on first use
 * beside the super tenant's material and reused after, with the same race-free creation.
 */
export async function loadOrCreateTenantSigningPair(domain: string, certDir = DEFAULT_CERT_DIR): Promise<KeyPairPem> {
  mkdirSync(certDir, { recursive: true });
  const file = join(certDir, `local-idp-tenant-${domain}-signing.json`);
  let pair = readPair(file);
  if (!pair) {
    createExclusively(file, JSON.stringify(await createSigningPair(), null, 2));
    pair = readPair(file);
    if (!pair) throw new Error(`${file} could not be created or read`);
  }
  return pair;
}

function readPair(file: string): KeyPairPem | undefined {
  const text = readIfPresent(file);
  if (text === undefined) return undefined;
  const parsed = JSON.parse(text) as Partial<KeyPairPem>;
  if (typeof parsed.keyPem !== 'string' || typeof parsed.certPem !== 'string')
    throw new Error(`${file} is damaged (no keyPem/certPem): delete it and start again to create a new key`);
  return { keyPem: parsed.keyPem, certPem: parsed.certPem };
}

function readMaterial(file: string): Omit<KeyMaterial, 'tlsCertFile'> | undefined {
  const text = readIfPresent(file);
  if (text === undefined) return undefined;
  const parsed = JSON.parse(text) as Omit<KeyMaterial, 'tlsCertFile'>;
  for (const part of ['tls', 'signing'] as const) {
    if (typeof parsed?.[part]?.keyPem !== 'string' || typeof parsed[part].certPem !== 'string') {
      throw new Error(`${file} is damaged (no ${part}.keyPem/certPem): delete it and start again to create new keys`);
    }
  }
  return parsed;
}

/** A file's text, or undefined when there is no such file (any other error is thrown). */
export function readIfPresent(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Creates `file` with `content` unless another process already has: the content is written to a
 * temporary file first and hard-linked into place, so a reader never sees a partial file and the
 * first writer wins.
 */
export function createExclusively(file: string, content: string): void {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600 });
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
}

/** Writes `file` whole or not at all: a reader sees the old content or the new, never a part. */
export function replaceAtomically(file: string, content: string): void {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, file);
}

const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

/**
 * selfsigned, loaded only when material is created: with its X.509 and ASN.1 libraries it is about
 * 0.3 s of loading, and every start after the first finds its material on disk.
 */
function selfsigned(): typeof import('selfsigned') {
  return require('selfsigned') as typeof import('selfsigned');
}

async function createTlsPair(): Promise<KeyPairPem> {
  const pems = await selfsigned().generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - 60_000),
    notAfterDate: new Date(Date.now() + TEN_YEARS_MS),
    extensions: [
      // Self-signed and trusted as its own CA: curl --cacert and Node's `ca` accept it.
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { keyPem: pems.private, certPem: pems.cert };
}

async function createSigningPair(): Promise<KeyPairPem> {
  const pems = await selfsigned().generate(
    [{ name: 'commonName', value: 'wso2-jwt-http-api local identity provider' }],
    {
      keySize: 2048,
      algorithm: 'sha256',
      notBeforeDate: new Date(Date.now() - 60_000),
      notAfterDate: new Date(Date.now() + TEN_YEARS_MS),
    },
  );
  return { keyPem: pems.private, certPem: pems.cert };
}

/** The certificate facts WSO2 puts in its JWKS. */
export interface SigningCertificateFacts {
  /** WSO2's kid: base64url of the certificate's hex SHA-256 thumbprint, plus `_RS256`. */
  readonly kid: string;
  /** `x5t#S256`: base64url of the SHA-256 digest of the certificate (DER). */
  readonly x5tS256: string;
  /** `x5c`: the certificate, standard base64 DER. */
  readonly x5c: string;
}

export function signingCertificateFacts(certPem: string): SigningCertificateFacts {
  const der = new X509Certificate(certPem).raw;
  const digest = createHash('sha256').update(der).digest();
  return {
    kid: `${Buffer.from(digest.toString('hex')).toString('base64url')}_RS256`,
    x5tS256: digest.toString('base64url'),
    x5c: der.toString('base64'),
  };
}
