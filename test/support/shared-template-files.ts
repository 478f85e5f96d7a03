/**
 * Where the jest global setup leaves each environment's synthesis (templates.ts writes it), and
 * how a test reads it without loading aws-cdk-lib: the doctor's tests take their route list here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from './run-temp';

export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENTS)[number];

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

/** One environment's template and stack facts, as the global setup synthesized them. */
export interface SharedSynthesis {
  readonly template: Record<string, unknown>;
  readonly facts: StackFacts;
}

/**
 * Set by test/stryker/setup.js. A template synthesized in the global setup is the code as
 * written, whatever mutant is active: a test that only reads it could never kill a mutant of lib/.
 * Then nothing is shared and each test file synthesizes what it reads.
 */
export const SYNTHESIZE_IN_TEST_FILE = process.env.SHARED_TEMPLATES === 'per-test-file';

export const sharedSynthesisFile = (env: EnvironmentName): string => join(sharedDir(), `${env}.json`);

export function readSharedSynthesis(env: EnvironmentName): SharedSynthesis {
  return JSON.parse(readFileSync(sharedSynthesisFile(env), 'utf8')) as SharedSynthesis;
}
