import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readCdkJsonContext } from '../../lib/config';
import { addEnvironmentStack } from '../../lib/environment-stack';
import type { Wso2JwtApiStack, Wso2JwtApiStackProps } from '../../lib/wso2-jwt-api-stack';

/** cdk.json's context (feature flags included), read once per test file. */
export const CDK_JSON_CONTEXT = readCdkJsonContext();

export interface SynthOptions {
  /** `-c key=value` overrides, e.g. `{ env: 'prod' }`. */
  readonly context?: Record<string, unknown>;
  /**
   * aws-cdk-lib's built-in CloudFormation validation costs seconds per file: only the synthesis
   * the snapshot test reads turns it on (templates.ts, synthesizeValidated).
   * @default false
   */
  readonly validation?: boolean;
  /**
   * esbuild bundling of the functions, seconds per stack. Templates do not show it (asset
   * hashes are normalized); the end-to-end tests run the bundle the real app builds.
   * @default false
   */
  readonly bundling?: boolean;
  /**
   * cdk-nag's AwsSolutions pack, as `cdk synth` runs it: about 0.6 s per synth. The nag test
   * keeps it on; a template does not show it.
   * @default false
   */
  readonly nag?: boolean;
  /** Stack props on top of the environment's, e.g. a longer route table. */
  readonly stackProps?: Partial<Wso2JwtApiStackProps>;
}

/**
 * Builds an environment's stack as `cdk synth` does, with cdk.json's context (validation,
 * bundling and cdk-nag only when asked for). For an
 * environment as committed, prefer templateFor (test/support/templates.ts): it is synthesized
 * once per run.
 */
export function synthEnvironment(options: SynthOptions = {}): { stack: Wso2JwtApiStack; template: Template } {
  return synthInto(testAppOutdir(), options.validation ?? false, options.bundling ?? false, options);
}

/** A fresh outdir for a test's own `new App({ outdir })`, removed after the test file. */
export function testAppOutdir(): string {
  return mkdtempSync(join(synthOutputRoot(), 'app-'));
}

/*
 * Every app gets an explicit outdir (without one CDK leaves a cdk.out* folder in the temporary
 * directory per app), all under one folder per test file, removed after the file's tests:
 * Annotations.fromStack and app.synth() may write the assembly again after the template is read.
 */
let outputRoot: string | undefined;

function synthOutputRoot(): string {
  outputRoot ??= mkdtempSync(join(tmpdir(), 'cdk.out-test-'));
  return outputRoot;
}

/** Removes what this module's apps wrote; runs after each test file, and the shared synthesis calls it. */
export function removeSynthOutput(): void {
  if (outputRoot) rmSync(outputRoot, { recursive: true, force: true });
  outputRoot = undefined;
}

// Registered when a test file imports this module (at the file's top level, where jest allows hooks).
if (typeof afterAll === 'function') afterAll(removeSynthOutput);

function synthInto(
  outdir: string,
  validation: boolean,
  bundling: boolean,
  options: SynthOptions,
): { stack: Wso2JwtApiStack; template: Template } {
  const app = new App({
    outdir,
    context: {
      ...CDK_JSON_CONTEXT,
      ...(!bundling && { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
    builtinCloudFormationValidation: validation,
  });
  const stack = addEnvironmentStack(app, options.stackProps, { nagChecks: options.nag ?? false });
  return { stack, template: Template.fromStack(stack) };
}
