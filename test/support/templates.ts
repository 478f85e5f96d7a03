/**
 * Each environment synthesized once per test run (jest's global setup), shared with every
 * test that only reads a template: `templateFor('dev')`. Under Stryker (npm run mutate) each
 * test file synthesizes the environments it reads itself, in its own module registry, so the
 * mutant under test is the code that made the template (test/stryker/setup.js). A test that changes the app (context
 * overrides, other routes) synthesizes its own with synthEnvironment; CDK's built-in
 * validation runs in the snapshot test and cdk-nag's checks are asserted in the nag test,
 * the tests whose subject they are.
 */
import { writeFileSync } from 'node:fs';
import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  ENVIRONMENTS,
  type EnvironmentName,
  readSharedSynthesis,
  type SharedSynthesis,
  type StackFacts,
  SYNTHESIZE_IN_TEST_FILE,
  sharedSynthesisFile,
} from './shared-template-files';
import { removeSynthOutput, synthEnvironment } from './synth';

export { ENVIRONMENTS, type EnvironmentName, type StackFacts };

/** Global setup only: synthesizes every environment as `cdk synth` does (no bundling, no validation). */
export function synthesizeSharedTemplates(): void {
  try {
    for (const env of ENVIRONMENTS) writeFileSync(sharedSynthesisFile(env), JSON.stringify(synthesizeShared(env)));
  } finally {
    removeSynthOutput();
  }
}

function synthesizeShared(env: EnvironmentName): SharedSynthesis {
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

const cache = new Map<EnvironmentName, SharedSynthesis>();

function shared(env: EnvironmentName): SharedSynthesis {
  let found = cache.get(env);
  if (!found) {
    found = SYNTHESIZE_IN_TEST_FILE ? synthesizeShared(env) : readSharedSynthesis(env);
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
