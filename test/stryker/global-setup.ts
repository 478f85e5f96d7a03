/**
 * jest's globalSetup under Stryker (jest.stryker.config.js): the run's TMPDIR only.
 *
 * Stryker runs jest in its worker process once per mutant, and this setup runs there too,
 * outside any test file. The shared templates are not synthesized here: each test file that
 * reads one synthesizes it in its own module registry, with the mutant under test active
 * (SHARED_TEMPLATES=per-test-file, test/support/templates.ts). No end-to-end test runs under
 * Stryker, so the shared services are never started.
 */
import { setUpRun } from '../support/global-setup';

export default async function strykerGlobalSetup(): Promise<void> {
  await setUpRun({ templates: false, services: false });
}
