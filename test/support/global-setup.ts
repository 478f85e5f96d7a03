import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OUTER_TMPDIR_VARIABLE, RUN_DIR_VARIABLE, SHARED_DIR_NAME, TSX_CACHE_NAME } from './run-temp';
import { synthesizeSharedTemplates } from './templates';

/** jest globalSetup: the run's own TMPDIR (see run-temp.ts), then each environment synthesized once. */
export default function globalSetup(): void {
  const outer = tmpdir();
  const dir = mkdtempSync(join(outer, 'wso2-jwt-http-api-test-'));
  try {
    mkdirSync(join(dir, SHARED_DIR_NAME));
    mkdirSync(join(outer, TSX_CACHE_NAME), { recursive: true });
    symlinkSync(join(outer, TSX_CACHE_NAME), join(dir, TSX_CACHE_NAME));
    process.env[OUTER_TMPDIR_VARIABLE] = process.env.TMPDIR ?? '';
    process.env[RUN_DIR_VARIABLE] = dir;
    process.env.TMPDIR = dir;
    synthesizeSharedTemplates();
  } catch (error) {
    // The teardown does not run when the setup fails: leave nothing behind here either.
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
