/**
 * jest's globalSetup under Stryker (jest.stryker.config.js).
 *
 * The shared templates are synthesized with no mutant active. Stryker runs jest in its worker
 * process once per mutant and names the active mutant in the environment variable below. The
 * global setup runs in that process, outside any test environment, and Node caches the modules
 * it loads: the first mutant the instrumented code sees there would stay active in every later
 * synthesis, so every later mutant's tests would read the first mutant's templates. With none
 * active the shared templates are those of the code as written: tests that only read them
 * cannot kill a mutant of lib/, and do not kill one by accident.
 *
 * When MUTATE_TESTS names test files and none of them reads the shared templates, only the
 * run's TMPDIR is set up: three syntheses per mutant are most of a run's time for the
 * configuration's or a function's unit tests.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setUpRun } from '../support/global-setup';

const ACTIVE_MUTANT_VARIABLE = '__STRYKER_ACTIVE_MUTANT__';
const ROOT = join(__dirname, '..', '..');

export default async function strykerGlobalSetup(): Promise<void> {
  // No end-to-end test runs under Stryker: the shared services are never started here.
  if (!readsSharedTemplates()) {
    await setUpRun({ templates: false, services: false });
    return;
  }
  const active = process.env[ACTIVE_MUTANT_VARIABLE];
  const namespace = (globalThis as { __stryker__?: { activeMutant?: string } }).__stryker__;
  delete process.env[ACTIVE_MUTANT_VARIABLE];
  if (namespace) delete namespace.activeMutant;
  try {
    await setUpRun({ templates: true, services: false });
  } finally {
    if (namespace) delete namespace.activeMutant;
    if (active !== undefined) process.env[ACTIVE_MUTANT_VARIABLE] = active;
  }
}

/** True unless MUTATE_TESTS lists only files, none of which imports the shared templates. */
function readsSharedTemplates(): boolean {
  const listed = (process.env.MUTATE_TESTS ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (listed.length === 0) return true;
  return listed.some((file) => {
    const path = join(ROOT, file);
    return !existsSync(path) || readFileSync(path, 'utf8').includes('support/templates');
  });
}
