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
   * aws-cdk-lib's built-in CloudFormation validation costs seconds per file: the snapshot
   * test keeps it on, the fine-grained tests turn it off.
   * @default false
   */
  readonly validation?: boolean;
  /** Stack props on top of the environment's, e.g. a longer route table. */
  readonly stackProps?: Partial<Wso2JwtApiStackProps>;
}

/** Builds an environment's stack exactly as `cdk synth` does, with cdk.json's context. */
export function synthEnvironment(options: SynthOptions = {}): { stack: Wso2JwtApiStack; template: Template } {
  const validation = options.validation ?? false;
  const app = new App({
    context: {
      ...CDK_JSON_CONTEXT,
      // esbuild bundling is what the snapshot test reviews; the fine-grained tests skip it.
      ...(!validation && { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
    builtinCloudFormationValidation: validation,
  });
  const stack = addEnvironmentStack(app, options.stackProps);
  return { stack, template: Template.fromStack(stack) };
}
