import { setFlagsFromString } from 'node:v8';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { synthEnvironment } from '../support/synth';

// CloudFormation validation compiles a WebAssembly engine once per process: TurboFan recompiling
// it in the background is work a test process never earns back (cdk.json's app runs --liftoff-only).
setFlagsFromString('--liftoff-only');
// V8 rejects a code cache made under other flags: the worker's later test files read theirs
// (test/support/jest-runtime.js).
afterAll(() => setFlagsFromString('--no-liftoff-only'));

// These snapshots are the change set reviewers read: a changed logical id replaces a resource.
// Prod first: the validation engine is built for the resource types it has seen and rebuilt (about
// 1 s) for a template with others; prod's are a superset of dev's and staging's.
describe.each(['prod', 'dev', 'staging'])('the %s environment', (env) => {
  test('synthesizes the reviewed template, passing CloudFormation validation', () => {
    // GIVEN / WHEN
    const { stack, template } = synthEnvironment({ context: { env }, validation: true });

    // THEN
    expect(template.toJSON()).toMatchSnapshot();
    Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
  });
});
