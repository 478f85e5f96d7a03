import { setFlagsFromString } from 'node:v8';
import { SYNTHESIZE_IN_TEST_FILE, VALIDATION_ORDER } from '../support/shared-template-files';
import { validatedSynthesisFor } from '../support/templates';

if (SYNTHESIZE_IN_TEST_FILE) {
  // Under Stryker this file validates itself. CloudFormation validation compiles a WebAssembly
  // engine once per process: TurboFan recompiling it in the background is work a test process
  // never earns back (cdk.json's app runs --liftoff-only).
  setFlagsFromString('--liftoff-only');
  // V8 rejects a code cache made under other flags: the worker's later test files read theirs
  // (test/support/jest-runtime.js).
  afterAll(() => setFlagsFromString('--no-liftoff-only'));
}

// These snapshots are the change set reviewers read: a changed logical id replaces a resource.
// Each environment is synthesized with aws-cdk-lib's CloudFormation validation on, once per run, in
// the shared synthesis (test/support/synthesize-shared.ts).
describe.each(VALIDATION_ORDER)('the %s environment', (env) => {
  test('synthesizes the reviewed template, passing CloudFormation validation', () => {
    // GIVEN / WHEN
    const synthesis = validatedSynthesisFor(env);

    // THEN
    // The error that stopped the synth, whole, if there is one.
    expect(synthesis.ok ? undefined : synthesis.error).toBeUndefined();
    if (!synthesis.ok) return;
    expect(synthesis.template).toMatchSnapshot();
    expect(synthesis.errors).toEqual([]);
    // Warnings too: cdk synth only prints them, so here is where a reviewer sees a new one.
    expect(synthesis.violations).toEqual([]);
  });
});
