import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '@jest/types';
import {
  OUTER_TMPDIR_VARIABLE,
  OWNER_FILE_NAME,
  RUN_CLOSE,
  RUN_DIR_PREFIX,
  RUN_DIR_VARIABLE,
  SHARED_DIR_NAME,
  sweepAbandonedRuns,
  TSX_CACHE_NAME,
} from './run-temp';
import { SHARED_SERVICES_USERS, startSharedServices } from './shared-services';
import { startSharedSynthesis } from './shared-template-files';

/**
 * jest globalSetup: the run's own TMPDIR (see run-temp.ts), each environment synthesized once (in
 * a child process, shared-template-files.ts), and the end-to-end tests' identity provider, echo
 * backend and bundled assembly (shared-services.ts) when the run can include a test that uses them.
 */
export default async function globalSetup(global: Config.GlobalConfig): Promise<void> {
  await setUpRun({ templates: true, services: needsSharedServices(global) });
}

/**
 * The run's TMPDIR, then what is asked for: the shared templates (templates.ts) and the shared
 * services (shared-services.ts), started without waiting for their synths. Also used by Stryker's
 * global setup (test/stryker/).
 */
export async function setUpRun(what: { readonly templates: boolean; readonly services: boolean }): Promise<void> {
  const outer = tmpdir();
  sweepAbandonedRuns(outer);
  const dir = mkdtempSync(join(outer, RUN_DIR_PREFIX));
  const closes: (() => Promise<void>)[] = [];
  const close = async () => {
    await Promise.all(closes.map((one) => one()));
  };
  try {
    writeFileSync(join(dir, OWNER_FILE_NAME), String(process.pid));
    mkdirSync(join(dir, SHARED_DIR_NAME));
    mkdirSync(join(outer, TSX_CACHE_NAME), { recursive: true });
    symlinkSync(join(outer, TSX_CACHE_NAME), join(dir, TSX_CACHE_NAME));
    process.env[OUTER_TMPDIR_VARIABLE] = process.env.TMPDIR ?? '';
    process.env[RUN_DIR_VARIABLE] = dir;
    process.env.TMPDIR = dir;
    // Both synths run in child processes and go on while the first test files run: the files that
    // need them wait (templateFor, sharedAssembly).
    if (what.templates) closes.push(startSharedSynthesis(join(__dirname, '..', '..')).close);
    if (what.services) closes.push((await startSharedServices()).close);
    (globalThis as Record<symbol, unknown>)[RUN_CLOSE] = close;
  } catch (error) {
    // The teardown does not run when the setup fails: leave nothing behind here either.
    await close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Whether a test that uses the shared services may run: not when the command line's path
 * patterns match none of those tests (`npx jest test/rules`).
 */
function needsSharedServices(global: Config.GlobalConfig): boolean {
  // Related tests are found from source files, which no pattern of test files describes.
  if (global.findRelatedTests) return true;
  const patterns = global.testPathPatterns;
  if (!patterns.isSet()) return true;
  const executor = patterns.toExecutor({ rootDir: global.rootDir });
  return SHARED_SERVICES_USERS.some((file) => executor.isMatch(join(global.rootDir, file)));
}
