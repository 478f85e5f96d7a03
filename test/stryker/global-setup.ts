/**
 * jest's globalSetup under Stryker (jest.stryker.config.js): the shared templates synthesized
 * with no mutant active.
 *
 * Stryker runs jest in its worker process once per mutant and names the active mutant in the
 * environment variable below. The global setup runs in that process, outside any test
 * environment, and Node caches the modules it loads: the first mutant the instrumented code
 * sees there would stay active in every later synthesis, so every later mutant's tests would
 * read the first mutant's templates. Synthesizing with none active keeps the shared templates
 * those of the code as written: tests that only read them cannot kill a mutant of lib/, and
 * do not kill one by accident.
 */
import globalSetup from '../support/global-setup';

const ACTIVE_MUTANT_VARIABLE = '__STRYKER_ACTIVE_MUTANT__';

export default function strykerGlobalSetup(): void {
  const active = process.env[ACTIVE_MUTANT_VARIABLE];
  const namespace = (globalThis as { __stryker__?: { activeMutant?: string } }).__stryker__;
  delete process.env[ACTIVE_MUTANT_VARIABLE];
  if (namespace) delete namespace.activeMutant;
  try {
    globalSetup();
  } finally {
    if (namespace) delete namespace.activeMutant;
    if (active !== undefined) process.env[ACTIVE_MUTANT_VARIABLE] = active;
  }
}
