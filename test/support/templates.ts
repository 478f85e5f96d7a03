/**
 * Each environment synthesized once per test run (jest's global setup), shared with every
 * test that only reads a template: `templateFor('dev')`. Under Stryker (npm run mutate) each
 * test file synthesizes the environments it reads itself, in its own module registry, so the
 * mutant under test is the code that made the template (test/stryker/setup.js). A test that changes the app (context
 * overrides, other routes) synthesizes its own with synthEnvironment; CDK's built-in
 * validation runs in the snapshot test and cdk-nag's checks are asserted in the nag test,
 * the tests whose subject they are.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { sharedDir } from './run-temp';
import { removeSynthOutput, synthEnvironment } from './synth';

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

interface Shared {
  readonly template: Record<string, unknown>;
  readonly facts: StackFacts;
}

const fileFor = (env: EnvironmentName) => join(sharedDir(), `${env}.json`);

/** Global setup only: synthesizes every environment as `cdk synth` does (no bundling, no validation). */
export function synthesizeSharedTemplates(): void {
  try {
    for (const env of ENVIRONMENTS) writeFileSync(fileFor(env), JSON.stringify(synthesizeShared(env)));
  } finally {
    removeSynthOutput();
  }
}

function synthesizeShared(env: EnvironmentName): Shared {
  // The synth prints its warnings as `cdk synth` does; here they are data (StackFacts.warnings).
  const { error, log } = console;
  console.error = () => undefined;
  console.log = () => undefined;
  try {
    const { stack, template } = synthEnvironment({ context: { env } });
    // The app's assembly is cached: this reads the synthesis that made the template.
    const artifact = (stack.node.root as App).synth().getStackArtifact(stack.artifactId);
    const warnings = artifact.messages
      .filter((message) => message.level === 'warning')
      .map((message) => String(message.entry.data));
    return {
      template: template.toJSON(),
      facts: {
        stackName: stack.stackName,
        tags: stack.tags.tagValues(),
        terminationProtection: stack.terminationProtection ?? false,
        environment: stack.environment,
        warnings,
      },
    };
  } finally {
    Object.assign(console, { error, log });
  }
}

/**
 * Set by test/stryker/setup.js. A template synthesized in the global setup is the code as
 * written, whatever mutant is active: a test that only reads it could never kill a mutant of lib/.
 */
const SYNTHESIZE_IN_TEST_FILE = process.env.SHARED_TEMPLATES === 'per-test-file';

const readShared = (env: EnvironmentName) => JSON.parse(readFileSync(fileFor(env), 'utf8')) as Shared;

const cache = new Map<EnvironmentName, Shared>();

function shared(env: EnvironmentName): Shared {
  let found = cache.get(env);
  if (!found) {
    found = SYNTHESIZE_IN_TEST_FILE ? synthesizeShared(env) : readShared(env);
    cache.set(env, found);
  }
  return found;
}

/** The environment's template from the run's one synthesis. Read-only: do not synthesize again for it. */
export function templateFor(env: EnvironmentName): Template {
  return Template.fromJSON(shared(env).template);
}

/** The environment's stack facts from the same synthesis. */
export function stackFactsFor(env: EnvironmentName): StackFacts {
  return shared(env).facts;
}
