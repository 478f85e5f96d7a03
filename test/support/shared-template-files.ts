/**
 * Where the run's shared synthesis (test/support/synthesize-shared.ts, a child process the jest
 * global setup starts) leaves each environment's synthesis, and how a test reads it without
 * loading aws-cdk-lib: the doctor's tests take their route list here. The child goes on while the
 * first test files run; a reader waits for its file (or the child's failure) here.
 */
import { mkdirSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { replaceAtomically } from '../../tools/local-idp/certificates';
import { TYPESCRIPT_NODE_ARGS } from '../../tools/cli/node-args';
import { runDir, sharedDir, TSX_CACHE_NAME } from './run-temp';
import { startSharedChild } from './shared-child';
import { waitForFileSync } from './wait-for-file';

export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENTS)[number];
/**
 * The order the environments are validated in. Prod first: the validation engine is built for the
 * resource types it has seen and rebuilt (about 1 s) for a template with others, and prod's are a
 * superset of dev's and staging's.
 */
export const VALIDATION_ORDER: readonly EnvironmentName[] = ['prod', ...ENVIRONMENTS.filter((env) => env !== 'prod')];

/** What a test may want of a synthesized stack besides its template. */
export interface StackFacts {
  readonly stackName: string;
  /** Stack-level tags (what `cdk deploy` passes to CloudFormation). */
  readonly tags: Record<string, string>;
  readonly terminationProtection: boolean;
  /** `aws://account/region`, with `unknown-account`/`unknown-region` when not pinned. */
  readonly environment: string;
  /** The synth's warning annotations, as `cdk synth` prints them. */
  readonly warnings: string[];
}

/** One environment's template and stack facts, as `cdk synth` makes them (no bundling, no validation). */
export interface SharedSynthesis {
  readonly template: Record<string, unknown>;
  readonly facts: StackFacts;
}

/**
 * One environment synthesized with aws-cdk-lib's CloudFormation validation on, for the snapshot
 * test (the test whose subject it is): the template, or the error that stopped the synth, the
 * stack's error annotations and the validation report's findings (a warning does not stop a synth:
 * `cdk synth` only prints it).
 */
export type ValidatedSynthesis =
  | {
      readonly ok: true;
      readonly template: Record<string, unknown>;
      readonly errors: string[];
      /** The validation report's findings of any severity, the construct annotations aside. */
      readonly violations: string[];
    }
  | { readonly ok: false; readonly error: string };

/**
 * Set by test/stryker/setup.js. A template synthesized in the global setup is the code as
 * written, whatever mutant is active: a test that only reads it could never kill a mutant of lib/.
 * Then nothing is shared and each test file synthesizes what it reads.
 */
export const SYNTHESIZE_IN_TEST_FILE = process.env.SHARED_TEMPLATES === 'per-test-file';

const synthesisFile = (env: EnvironmentName) => `${env}.json`;
const validatedFile = (env: EnvironmentName) => `${env}.validated.json`;
/** Written instead when the shared synthesis fails: its error, for every reader (writeSharedFailure). */
const FAILED = 'synthesis.failed';
/** The child's standard output and error (startSharedChild). */
const LOG = 'synthesis.log';
/** Above a cold synthesis of every environment with validation on a loaded 2-core machine (about 8 s). */
const WAIT_MS = 60_000;

function readShared<T>(name: string): T {
  const dir = sharedDir();
  let found: string;
  try {
    found = waitForFileSync(dir, [name, FAILED], WAIT_MS);
  } catch (error) {
    const problem =
      `the run's shared synthesis (test/support/synthesize-shared.ts) in ${dir}: ${(error as Error).message}; ` +
      `its output:\n${readFileSync(join(dir, LOG), 'utf8')}`;
    // Said once: the files read after this one fail at once instead of waiting as long again.
    replaceAtomically(join(dir, FAILED), problem);
    throw new Error(problem);
  }
  if (found === FAILED) {
    throw new Error(`the run's shared synthesis failed: ${readFileSync(join(dir, FAILED), 'utf8')}`);
  }
  const file = join(dir, found);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (error) {
    throw new Error(`the run's shared synthesis wrote ${file}, which cannot be read: ${(error as Error).message}`);
  }
}

/** The environment's synthesis from the run's shared synthesis, once it is written. */
export function readSharedSynthesis(env: EnvironmentName): SharedSynthesis {
  return readShared<SharedSynthesis>(synthesisFile(env));
}

/** The environment's validated synthesis from the run's shared synthesis, once it is written. */
export function readValidatedSynthesis(env: EnvironmentName): ValidatedSynthesis {
  return readShared<ValidatedSynthesis>(validatedFile(env));
}

/** The child's side: each file whole or not at all (a reader may be looking). */
export const writeSharedSynthesis = (env: EnvironmentName, synthesis: SharedSynthesis): void =>
  replaceAtomically(join(sharedDir(), synthesisFile(env)), JSON.stringify(synthesis));
export const writeValidatedSynthesis = (env: EnvironmentName, synthesis: ValidatedSynthesis): void =>
  replaceAtomically(join(sharedDir(), validatedFile(env)), JSON.stringify(synthesis));

/** The child's side, when a synthesis throws: the error, for every reader. */
export const writeSharedFailure = (error: unknown): void =>
  replaceAtomically(join(sharedDir(), FAILED), error instanceof Error ? (error.stack ?? error.message) : String(error));

/**
 * Global setup only: starts the child that writes every environment's synthesis, then each one
 * validated, into the run's shared folder, without waiting for it. The child writes its own
 * failure where the readers look; startSharedChild writes it when the child could not (a signal, a
 * crash). `close` stops a child still running and waits for it.
 */
export function startSharedSynthesis(root: string): { close(): Promise<void> } {
  const childTemp = join(sharedDir(), 'synthesis-tmp');
  mkdirSync(childTemp);
  // tsx's compile cache stays the machine's (run-temp.ts), so the child starts warm.
  symlinkSync(realpathSync(join(runDir(), TSX_CACHE_NAME)), join(childTemp, TSX_CACHE_NAME));
  return startSharedChild({
    // The validation engine is WebAssembly: compiling it once with TurboFan too is work this
    // short process never earns back (cdk.json's app runs --liftoff-only for the same reason).
    args: ['--liftoff-only', ...TYPESCRIPT_NODE_ARGS, join('test', 'support', 'synthesize-shared.ts')],
    cwd: root,
    // Its own TMPDIR in the shared folder: killed mid-synth by the teardown of a short run, it
    // leaves its output there, which goes with the run's folder and is not a test's leftover.
    env: { ...process.env, TMPDIR: childTemp },
    log: LOG,
    failed: FAILED,
    timeoutMs: 120_000,
  });
}
