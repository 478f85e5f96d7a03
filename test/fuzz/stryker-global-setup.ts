import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import globalSetup from '../support/global-setup';
import { leftovers, OUTER_TMPDIR_VARIABLE, RUN_DIR_VARIABLE } from '../support/run-temp';

/**
 * jest's global setup and teardown as Stryker runs them (jest.stryker.config.js). Stryker calls
 * jest once per mutant in one long-lived process, and the real global setup synthesizes every
 * environment each time (seconds per mutant). The synthesis runs in that process, outside the
 * test files' sandboxes where mutants are switched on, so its templates are the same for every
 * mutant: it is done on the first run only and the run directory is kept for the next ones.
 * Each run's teardown still fails on anything a test left behind.
 *
 * Stryker ends its test processes with a kill (no exit hook runs), so the directory carries the
 * process id and a later run removes those of processes that are gone.
 */
const PREFIX = 'wso2-jwt-http-api-stryker-';
const KEPT_VARIABLE = 'WSO2_JWT_HTTP_API_STRYKER_RUN';

interface Kept {
  readonly outer: string;
  readonly runDir: string;
  readonly originalTmpdir: string | undefined;
}

export default function strykerGlobalSetup(): void {
  const found = process.env[KEPT_VARIABLE];
  if (found) {
    enter(JSON.parse(found) as Kept);
    return;
  }
  const machineTmp = tmpdir();
  removeStale(machineTmp);
  const outer = join(machineTmp, `${PREFIX}${process.pid}`);
  mkdirSync(outer, { recursive: true });
  const originalTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = outer;
  try {
    globalSetup();
  } catch (error) {
    rmSync(outer, { recursive: true, force: true });
    restoreTmpdir(originalTmpdir);
    throw error;
  }
  const kept: Kept = { outer, runDir: process.env[RUN_DIR_VARIABLE] as string, originalTmpdir };
  process.env[KEPT_VARIABLE] = JSON.stringify(kept);
}

/** jest.stryker.config.js's globalTeardown (stryker-global-teardown.ts) calls this. */
export function strykerGlobalTeardown(): void {
  const found = process.env[KEPT_VARIABLE];
  if (!found) return;
  const kept = JSON.parse(found) as Kept;
  const left = leftovers(kept.runDir);
  for (const name of left) rmSync(join(kept.runDir, name), { recursive: true, force: true });
  delete process.env[RUN_DIR_VARIABLE];
  delete process.env[OUTER_TMPDIR_VARIABLE];
  restoreTmpdir(kept.originalTmpdir);
  if (left.length > 0) {
    throw new Error(`tests left ${left.length} entries in the temporary directory ${kept.runDir}: ${left.join(', ')}`);
  }
}

/** What the real global setup sets, pointing at the kept run directory. */
function enter(kept: Kept): void {
  process.env[OUTER_TMPDIR_VARIABLE] = kept.outer;
  process.env[RUN_DIR_VARIABLE] = kept.runDir;
  process.env.TMPDIR = kept.runDir;
}

function restoreTmpdir(value: string | undefined): void {
  if (value === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = value;
}

function removeStale(machineTmp: string): void {
  for (const name of readdirSync(machineTmp)) {
    if (!name.startsWith(PREFIX)) continue;
    const pid = Number(name.slice(PREFIX.length));
    if (Number.isInteger(pid) && !isRunning(pid)) rmSync(join(machineTmp, name), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
