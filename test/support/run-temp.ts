/**
 * Every test run gets its own temporary directory: the global setup creates it and points
 * TMPDIR at it (jest's workers and the processes tests start inherit it, and os.tmpdir()
 * reads it), so whatever a test, CDK or a child process leaves behind is found by the global
 * teardown, which fails the run naming it. Other jobs' files in the machine's /tmp are never
 * mistaken for ours.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';

/** How every run directory's name begins, in the machine's temporary directory. */
export const RUN_DIR_PREFIX = 'wso2-jwt-http-api-test-';
/** Inside the run directory: the id of the process whose run it is. */
export const OWNER_FILE_NAME = 'owner.pid';

/** Names the run directory for the teardown (set by the global setup). */
export const RUN_DIR_VARIABLE = 'WSO2_JWT_HTTP_API_TEST_RUN_DIR';
/** TMPDIR as it was before the run, restored by the teardown. */
export const OUTER_TMPDIR_VARIABLE = 'WSO2_JWT_HTTP_API_TEST_OUTER_TMPDIR';
/** Inside the run directory: what the global setup shares with the tests (not a leftover). */
export const SHARED_DIR_NAME = 'shared';

/**
 * Where the global setup leaves the `close` of what it started (the shared synthesis and services)
 * for the global teardown, which runs in the same process.
 */
export const RUN_CLOSE = Symbol.for('wso2-jwt-http-api.test.run.close');

export function runDir(): string {
  const dir = process.env[RUN_DIR_VARIABLE];
  if (!dir) throw new Error(`${RUN_DIR_VARIABLE} is not set: run the tests through jest (jest.config.js globalSetup)`);
  return dir;
}

export function sharedDir(): string {
  return join(runDir(), SHARED_DIR_NAME);
}

/**
 * tsx's compile cache (`<tmpdir>/tsx-<uid>`), used by the processes tests start: a link to the
 * machine's, so children start warm and the cache is not counted as a leftover.
 */
export const TSX_CACHE_NAME = `tsx-${userInfo().uid}`;

/** What is in the run directory besides the shared folder, tsx's cache and the owner: each a leftover of some test. */
export function leftovers(dir: string): string[] {
  const ours = [SHARED_DIR_NAME, TSX_CACHE_NAME, OWNER_FILE_NAME];
  return readdirSync(dir).filter((name) => !ours.includes(name));
}

/**
 * Removes the run directories in `outer` whose process is gone: a run killed before its
 * teardown (Stryker kills a jest run that times out) leaves its directory behind. A directory
 * without a readable owner (being created right now, or not ours) is left alone, and so is one
 * whose process id is in use again. Returns the names removed.
 */
export function sweepAbandonedRuns(outer: string): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(outer)) {
    if (!name.startsWith(RUN_DIR_PREFIX)) continue;
    const dir = join(outer, name);
    const owner = ownerOf(dir);
    if (owner === undefined || isRunning(owner)) continue;
    try {
      rmSync(dir, { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Best effort: a directory that cannot be removed now is tried again by the next run.
    }
  }
  return removed;
}

function ownerOf(dir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dir, OWNER_FILE_NAME), 'utf8'));
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    // Signal 0 only asks whether the process exists.
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, and belongs to someone else.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
