import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FunctionModel } from './cloud-assembly';
import { applyApplicationLogLevel } from './log-level';

type Handler = (event: unknown, context: unknown, callback?: (error: unknown, result?: unknown) => void) => unknown;

/** The function's code threw, timed out or could not be loaded: API Gateway answers 500. */
export class FunctionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FunctionError';
  }
}

/**
 * Runs a bundled Lambda asset in this process, loaded once and kept, like a warm Lambda
 * (module-level state survives between invocations). The function's environment variables
 * are set before loading and before each invocation.
 */
export class LocalFunction {
  private handler: Promise<Handler> | undefined;

  constructor(readonly model: FunctionModel) {}

  private load(): Promise<Handler> {
    if (this.handler) return this.handler;
    this.handler = (async () => {
      const dot = this.model.handler.lastIndexOf('.');
      const file = this.model.handler.slice(0, dot);
      const exportName = this.model.handler.slice(dot + 1);
      const candidates = ['.js', '.cjs', '.mjs'].map((ext) => join(this.model.assetDir, `${file}${ext}`));
      const path = candidates.find((candidate) => existsSync(candidate));
      if (!path)
        throw new FunctionError(`function ${this.model.logicalId}: no ${file}.js/.cjs/.mjs in ${this.model.assetDir}`);
      this.applyEnvironment();
      if (this.model.applicationLogLevel) applyApplicationLogLevel(this.model.applicationLogLevel);
      const module = path.endsWith('.mjs') ? await import(pathToFileURL(path).href) : require(path);
      const handler = module?.[exportName] ?? module?.default?.[exportName];
      if (typeof handler !== 'function')
        throw new FunctionError(`function ${this.model.logicalId}: ${path} exports no function ${exportName}`);
      return handler as Handler;
    })();
    // A failed load is retried on the next request (the asset may have been re-synthesized).
    this.handler.catch(() => (this.handler = undefined));
    return this.handler;
  }

  private applyEnvironment(): void {
    Object.assign(process.env, this.model.environment, {
      AWS_LAMBDA_FUNCTION_NAME: this.model.logicalId,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
    });
  }

  async invoke(event: unknown, requestId: string): Promise<unknown> {
    let handler: Handler;
    try {
      handler = await this.load();
    } catch (error) {
      throw error instanceof FunctionError
        ? error
        : new FunctionError(`function ${this.model.logicalId} failed to load: ${(error as Error).message}`, {
            cause: error,
          });
    }
    this.applyEnvironment();
    const timeoutMs = this.model.timeoutSeconds * 1000;
    const deadline = Date.now() + timeoutMs;
    const context = {
      functionName: this.model.logicalId,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:local:123456789012:function:${this.model.logicalId}`,
      memoryLimitInMB: '256',
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${this.model.logicalId}`,
      logStreamName: 'local',
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    };
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        new Promise((resolve, reject) => {
          const callback = (error: unknown, result?: unknown) => (error ? reject(error) : resolve(result));
          try {
            const returned = handler(event, context, callback);
            if (returned && typeof (returned as Promise<unknown>).then === 'function')
              (returned as Promise<unknown>).then(resolve, reject);
            else if (handler.length < 3) resolve(returned);
          } catch (error) {
            reject(error);
          }
        }),
        new Promise((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new FunctionError(`function ${this.model.logicalId} timed out after ${this.model.timeoutSeconds} s`),
              ),
            timeoutMs,
          );
        }),
      ]);
    } catch (error) {
      throw error instanceof FunctionError
        ? error
        : new FunctionError(`function ${this.model.logicalId} failed: ${(error as Error)?.message ?? String(error)}`, {
            cause: error,
          });
    } finally {
      clearTimeout(timer);
    }
  }
}
