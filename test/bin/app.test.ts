import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCdkJsonContext } from '../../lib/config';
import { TYPESCRIPT_NODE_ARGS } from '../../tools/cli/node-args';

const ROOT = join(__dirname, '..', '..');

/**
 * Runs bin/app.ts the way the CDK CLI does: cdk.json's context merged with the `-c`
 * overrides in CDK_CONTEXT_JSON, output in CDK_OUTDIR.
 */
function runApp(overrides: Record<string, string>) {
  const context = { ...readCdkJsonContext(), ...overrides };
  const outdir = mkdtempSync(join(tmpdir(), 'app-test-'));
  try {
    const result = spawnSync(process.execPath, [...TYPESCRIPT_NODE_ARGS, 'bin/app.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(context) },
    });
    return { status: result.status, stderr: result.stderr, written: readdirSync(outdir) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe('bin/app.ts with bad configuration', () => {
  test('a plain-http issuer override exits 1 naming issuerUrl and writes nothing', () => {
    const { status, stderr, written } = runApp({ issuerUrl: 'http://is.example.com/oauth2/token' });
    expect(status).toBe(1);
    expect(stderr.trim()).toBe(
      'Error: Environment "dev": issuerUrl (from -c issuerUrl) must use https (API Gateway only fetches keys over ' +
        'HTTPS), got "http://is.example.com/oauth2/token"',
    );
    expect(written).toEqual([]);
  });

  test('an unknown environment exits 1 listing the known ones', () => {
    const { status, stderr, written } = runApp({ env: 'qa' });
    expect(status).toBe(1);
    expect(stderr.trim()).toBe('Error: Unknown environment "qa" (-c env): known environments are dev, staging, prod');
    expect(written).toEqual([]);
    expect(existsSync(join(ROOT, 'cdk.out', 'Wso2JwtHttpApi-qa.template.json'))).toBe(false);
  });
});
