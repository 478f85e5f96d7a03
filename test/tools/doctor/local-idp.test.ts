import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { LOCAL_ONLY } from '../../../rules/issuer/fixes';
import { startIdentityProvider, type RunningIdentityProvider } from '../../../tools/local-idp/server';
import { localIssuerArgs, runDoctor } from '../../support/run-doctor';
import { sharedCertDir } from '../../support/test-keys';

/** A client_credentials token from the local identity provider, the way the README's curl gets one. */
function clientCredentialsToken(idp: RunningIdentityProvider, scope: string): Promise<string> {
  const body = new URLSearchParams({ grant_type: 'client_credentials', scope }).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      `${idp.issuer}`,
      {
        method: 'POST',
        ca: readFileSync(idp.tlsCertFile, 'utf8'),
        auth: 'wso2-jwt-demo-client:wso2-jwt-demo-secret',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(JSON.parse(text).access_token)
            : reject(new Error(`${res.statusCode} ${text}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('the doctor pointed at the local identity provider (npm run idp)', () => {
  let idp: RunningIdentityProvider;
  beforeAll(async () => {
    idp = await startIdentityProvider({ port: 0, certDir: sharedCertDir() });
  });
  afterAll(() => idp.close());

  test(
    'everything passes except what only AWS cares about: the loopback host and the self-signed ' + 'certificate',
    async () => {
      // GIVEN a token with every scope the dev routes need
      const token = await clientCredentialsToken(idp, 'api:access reports:read');

      // WHEN
      const run = await runDoctor([...localIssuerArgs(idp.issuer, idp.tlsCertFile), '--token', token]);

      // THEN
      expect(run.code).toBe(1);
      const failed = run.stdout.split('\n').filter((line) => line.startsWith('fail'));
      expect(failed.map((line) => line.replace(/ {2,}/g, ' | ').split(' | ').slice(0, 2))).toEqual([
        ['fail', 'issuer host'],
        ['fail', 'issuer TLS'],
        ['fail', 'JWKS TLS'],
      ]);
      for (const line of failed) expect(line).toContain(LOCAL_ONLY);
      expect(run.line('issuer TLS').detail).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
      expect(run.stdout).toMatch(/\n21 ok, 0 warn, 6 fail, 0 skip\n$/);
      expect(run.stdout).toMatch(/GET \/reports +scope reports:read +200/);
    },
  );
});
