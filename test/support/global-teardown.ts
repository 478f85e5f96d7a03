import { rmSync } from 'node:fs';
import { leftovers, OUTER_TMPDIR_VARIABLE, RUN_CLOSE, RUN_DIR_VARIABLE } from './run-temp';

/**
 * jest globalTeardown: stops the shared synthesis and services, removes the run's TMPDIR and fails
 * the run if a test left anything in it.
 */
export default async function globalTeardown(): Promise<void> {
  const close = (globalThis as Record<symbol, unknown>)[RUN_CLOSE] as (() => Promise<void>) | undefined;
  await close?.();
  const dir = process.env[RUN_DIR_VARIABLE];
  if (!dir) return;
  const left = leftovers(dir);
  rmSync(dir, { recursive: true, force: true });
  const outer = process.env[OUTER_TMPDIR_VARIABLE];
  if (outer) process.env.TMPDIR = outer;
  else delete process.env.TMPDIR;
  if (left.length > 0) {
    throw new Error(`tests left ${left.length} entries in the temporary directory ${dir}: ${left.join(', ')}`);
  }
}
