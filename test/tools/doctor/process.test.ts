import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startMisbehavingIdp, type MisbehavingIdp } from '../../support/misbehaving-idp';
import { localIssuerArgs } from '../../support/run-doctor';
import { testTempDir } from '../../support/temp-dir';
import { TYPESCRIPT_NODE_ARGS } from '../../../tools/cli/node-args';

const ROOT = join(__dirname, '..', '..', '..');

/** `npm run doctor` is `node --require <register-typescript.cjs> tools/doctor/cli.ts`: run that as a real process. */
function doctorProcess(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...TYPESCRIPT_NODE_ARGS, 'tools/doctor/cli.ts', ...args],
      { cwd: ROOT, timeout: 30_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
      },
    );
  });
}

describe('the doctor as a process', () => {
  let idp: MisbehavingIdp;
  let caFile: string;
  beforeAll(async () => {
    idp = await startMisbehavingIdp();
    caFile = join(testTempDir('doctor-process-'), 'ca.pem');
    writeFileSync(caFile, idp.certPem);
  });
  afterAll(() => idp.close());

  test('exits 1 for a local issuer (local only), having checked the rest, and does not hang', async () => {
    // dev's partner issuer pointed at the same local issuer: both are checked.
    const run = await doctorProcess(localIssuerArgs(idp.issuer, caFile));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^ok +discovery issuer +equals the configured issuer$/m);
    expect(run.stdout).toMatch(/^ok +JWKS keys +1 RSA signing key\(s\) with kid: /m);
    expect(run.stdout).toMatch(/\n12 ok, 0 warn, 6 fail, 0 skip\n$/);
    expect(run.stderr).toBe('');
    // The process synthesizes the stack (without bundling) to say which routes each issuer guards.
  }, 30_000);
});
