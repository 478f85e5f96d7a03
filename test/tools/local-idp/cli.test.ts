/**
 * `npm run idp` as a real process: the `local-idp listening {json}` line the orchestrator, the
 * bench and anyone scripting it read, with the issuer, the certificate and every tenant.
 */
import { existsSync } from 'node:fs';
import { startCli } from '../../support/local-stack';

test('prints one listening line naming the issuer, its certificate, the demo client and each tenant', async () => {
  const idp = await startCli('tools/local-idp/cli.ts', ['--port', '0'], 'local-idp listening');
  try {
    const port = Number(idp.ready.port);
    expect(idp.ready).toEqual({
      issuer: `https://localhost:${port}/oauth2/token`,
      port,
      tlsCertFile: expect.stringMatching(/localhost-cert\.pem$/),
      clientId: 'wso2-jwt-demo-client',
      tenants: [
        {
          domain: 'partner.example.com',
          issuer: `https://localhost:${port}/t/partner.example.com/oauth2/token`,
          clientId: 'wso2-jwt-partner-client',
        },
      ],
    });
    expect(existsSync(String(idp.ready.tlsCertFile))).toBe(true);
  } finally {
    await idp.stop();
  }
}, 30_000);
