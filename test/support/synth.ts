import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readCdkJsonContext } from '../../lib/config';
import { addEnvironmentStack } from '../../lib/environment-stack';
import type { Wso2JwtApiStack } from '../../lib/wso2-jwt-api-stack';

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
}

/** Builds an environment's stack exactly as `cdk synth` does, with cdk.json's context. */
export function synthEnvironment(options: SynthOptions = {}): { stack: Wso2JwtApiStack; template: Template } {
  const app = new App({
    context: { ...CDK_JSON_CONTEXT, ...options.context },
    builtinCloudFormationValidation: options.validation ?? false,
  });
  const stack = addEnvironmentStack(app);
  return { stack, template: Template.fromStack(stack) };
}
