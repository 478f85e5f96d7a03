/**
 * Each environment synthesized once per test run, shared with every test that only reads a
 * template: `templateFor('dev')`. A child process the jest global setup starts
 * (synthesize-shared.ts) writes them while the first test files run; a reader waits for its file
 * (shared-template-files.ts). Under Stryker (npm run mutate) each test file synthesizes the
 * environments it reads itself, in its own module registry, so the mutant under test is the code
 * that made the template (test/stryker/setup.js). A test that changes the app (context overrides,
 * other routes) synthesizes its own with synthEnvironment; CDK's built-in validation runs for the
 * snapshot test (validatedSynthesisFor) and cdk-nag's checks are asserted in the nag test, the
 * tests whose subject they are.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import {
  ENVIRONMENTS,
  type EnvironmentName,
  readSharedSynthesis,
  readValidatedSynthesis,
  type SharedSynthesis,
  type StackFacts,
  SYNTHESIZE_IN_TEST_FILE,
  type ValidatedSynthesis,
} from './shared-template-files';
import { synthEnvironment } from './synth';

export { ENVIRONMENTS, type EnvironmentName, type StackFacts, type ValidatedSynthesis };

/** The synth prints its warnings as `cdk synth` does; here they are data (StackFacts.warnings). */
function quietly<T>(synth: () => T): T {
  const { error, log } = console;
  console.error = () => undefined;
  console.log = () => undefined;
  try {
    return synth();
  } finally {
    Object.assign(console, { error, log });
  }
}

/** An environment as `cdk synth` makes it: no bundling, no validation. */
export function synthesizeShared(env: EnvironmentName): SharedSynthesis {
  return quietly(() => {
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
  });
}

/** What a validation report holds (aws-cdk-lib's validation-report.json), as far as read here. */
interface ValidationReport {
  readonly pluginReports: ReadonlyArray<{
    readonly pluginName: string;
    readonly violations: ReadonlyArray<{
      readonly ruleName: string;
      readonly severity: string;
      readonly description: string;
    }>;
  }>;
}

/** The construct annotations' plugin: its warnings are the stack's own (StackFacts.warnings). */
const ANNOTATIONS_PLUGIN = 'Construct Annotations';

/**
 * The findings of the synth's validation report, the construct annotations aside. aws-cdk-lib
 * writes no report when there is nothing to say, and leaves out a plugin that found nothing.
 */
function reportViolations(outdir: string): string[] {
  const file = join(outdir, 'validation-report.json');
  if (!existsSync(file)) return [];
  const report = JSON.parse(readFileSync(file, 'utf8')) as ValidationReport;
  return report.pluginReports
    .filter((plugin) => plugin.pluginName !== ANNOTATIONS_PLUGIN)
    .flatMap((plugin) =>
      plugin.violations.map((v) => `${plugin.pluginName} ${v.severity} ${v.ruleName}: ${v.description}`),
    );
}

/** An environment synthesized with CloudFormation validation on: what the snapshot test reads. */
export function synthesizeValidated(env: EnvironmentName): ValidatedSynthesis {
  return quietly(() => {
    try {
      const { stack, template } = synthEnvironment({ context: { env }, validation: true });
      const errors = Annotations.fromStack(stack)
        .findError('*', Match.anyValue())
        .map((message) => `${message.id}: ${String(message.entry.data)}`);
      const violations = reportViolations((stack.node.root as App).outdir);
      return { ok: true, template: template.toJSON(), errors, violations };
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
  });
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

/** The environment synthesized with CloudFormation validation on, from the run's shared synthesis. */
export function validatedSynthesisFor(env: EnvironmentName): ValidatedSynthesis {
  return SYNTHESIZE_IN_TEST_FILE ? synthesizeValidated(env) : readValidatedSynthesis(env);
}
