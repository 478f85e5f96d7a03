import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  loadOrCreateKeyMaterial,
  loadOrCreateTenantSigningPair,
  TLS_CERT_FILE,
} from '../../../tools/local-idp/certificates';
import { testTempDir } from '../../support/temp-dir';

describe("the local identity provider's key material", () => {
  test('is created in a new folder on first use, then the same keys come back', async () => {
    // GIVEN an empty folder (as .local-certs is before a first npm start)
    const dir = testTempDir('idp-certs-');

    // WHEN
    const first = await loadOrCreateKeyMaterial(dir);
    const again = await loadOrCreateKeyMaterial(dir);

    // THEN one file of keys, and the TLS certificate beside it for curl --cacert and --ca-file
    expect(readdirSync(dir).sort()).toEqual(['local-idp-keys.json', TLS_CERT_FILE]);
    expect(again).toEqual(first);
    expect(readFileSync(first.tlsCertFile, 'utf8')).toBe(first.tls.certPem);
    const tls = new X509Certificate(first.tls.certPem);
    expect(tls.subject).toBe('CN=localhost');
    expect(tls.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(first.signing.keyPem).not.toBe(first.tls.keyPem);
  });

  test("a tenant's signing key is its own, and kept", async () => {
    const dir = testTempDir('idp-certs-');
    const tenant = await loadOrCreateTenantSigningPair('partner.example.com', dir);

    expect(await loadOrCreateTenantSigningPair('partner.example.com', dir)).toEqual(tenant);
    expect(readdirSync(dir)).toEqual(['local-idp-tenant-partner.example.com-signing.json']);
  });

  test('a damaged file is named, with what to do', async () => {
    const dir = testTempDir('idp-certs-');
    writeFileSync(join(dir, 'local-idp-keys.json'), JSON.stringify({ tls: { keyPem: 'k' } }));

    await expect(loadOrCreateKeyMaterial(dir)).rejects.toThrow(
      new Error(
        `${join(dir, 'local-idp-keys.json')} is damaged (no tls.keyPem/certPem): delete it and start again to ` +
          'create new keys',
      ),
    );
  });
});
