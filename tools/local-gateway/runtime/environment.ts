import type { FunctionModel } from '../cloud-assembly';

/** What the local Lambda environment needs beyond the function's template. */
export interface EnvironmentOptions {
  /** AWS_REGION and AWS_DEFAULT_REGION. */
  readonly region: string;
}

/**
 * The environment a function's process starts with: only the template's variables plus the ones
 * Lambda defines itself ("Defined runtime environment variables", Lambda developer guide).
 * Nothing of the gateway's own environment leaks in, except PATH (the runtime needs one).
 * No credentials are set: the local runtime has no execution role.
 */
export function lambdaEnvironment(model: FunctionModel, options: EnvironmentOptions): Record<string, string> {
  const memory = String(model.memorySizeMb ?? 128);
  return {
    // Unreserved: a template may override them.
    LANG: 'en_US.UTF-8',
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    TZ: ':UTC',
    ...model.environment,
    // Reserved: Lambda refuses a template that sets them, so they always win.
    _HANDLER: model.handler,
    AWS_REGION: options.region,
    AWS_DEFAULT_REGION: options.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${model.runtime ?? 'nodejs24.x'}`,
    AWS_LAMBDA_FUNCTION_NAME: model.logicalId,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: memory,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${model.logicalId}`,
    AWS_LAMBDA_LOG_STREAM_NAME: 'local',
    LAMBDA_TASK_ROOT: model.assetDir,
    ...(model.logFormat === 'JSON' && {
      AWS_LAMBDA_LOG_FORMAT: 'JSON',
      AWS_LAMBDA_LOG_LEVEL: model.applicationLogLevel ?? 'INFO',
    }),
  };
}
