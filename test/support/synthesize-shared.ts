/**
 * The run's shared synthesis, in a child process the jest global setup starts
 * (startSharedSynthesis): every environment as `cdk synth` makes it, for the tests that read a
 * template, then each one with CloudFormation validation on, for the snapshot test. Each file is
 * written as soon as it is ready; the test files wait for theirs (shared-template-files.ts).
 */
import {
  ENVIRONMENTS,
  VALIDATION_ORDER,
  writeSharedFailure,
  writeSharedSynthesis,
  writeValidatedSynthesis,
} from './shared-template-files';

let finished = false;
// A process.exit() somewhere in the synth skips the catch below: the readers still hear of it.
process.on('exit', (code) => {
  if (!finished) writeSharedFailure(new Error(`the synthesis exited (${code}) before it had written every file`));
});

// Loaded inside the try: a module that fails to load is a failure the readers hear of too.
let removeSynthOutput = () => {};
try {
  const synth = require('./synth') as typeof import('./synth');
  removeSynthOutput = synth.removeSynthOutput;
  const { synthesizeShared, synthesizeValidated } = require('./templates') as typeof import('./templates');
  for (const env of ENVIRONMENTS) writeSharedSynthesis(env, synthesizeShared(env));
  for (const env of VALIDATION_ORDER) writeValidatedSynthesis(env, synthesizeValidated(env));
  finished = true;
} catch (error) {
  finished = true;
  writeSharedFailure(error);
  process.exitCode = 1;
} finally {
  removeSynthOutput();
}
