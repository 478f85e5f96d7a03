/**
 * Every test run gets its own temporary directory: the global setup creates it and points
 * TMPDIR at it (jest's workers and the processes tests start inherit it, and os.tmpdir()
 * reads it), so whatever a test, CDK or a child process leaves behind is found by the global
 * teardown, which fails the run naming it. Other jobs' files in the machine's /tmp are never
 * mistaken for ours.
 */
import { readdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';

/** Names the run directory for the teardown (set by the global setup). */
export const RUN_DIR_VARIABLE = 'WSO2_JWT_HTTP_API_TEST_RUN_DIR';
/** TMPDIR as it was before the run, restored by the teardown. */
export const OUTER_TMPDIR_VARIABLE = 'WSO2_JWT_HTTP_API_TEST_OUTER_TMPDIR';
/** Inside the run directory: what the global setup shares with the tests (not a leftover). */
export const SHARED_DIR_NAME = 'shared';

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

/** What is in the run directory besides the shared folder and tsx's cache: each a leftover of some test. */
export function leftovers(dir: string): string[] {
  return readdirSync(dir).filter((name) => name !== SHARED_DIR_NAME && name !== TSX_CACHE_NAME);
}
