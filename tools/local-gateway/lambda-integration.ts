import type { Answer, IntegrationRequest } from './answer';
import { jsonAnswer } from './answer';
import type { FunctionModel } from './cloud-assembly';
import { LocalFunction } from './lambda-runtime';
import { buildEventV2, resultToHttp } from './payload-v2';
import type { InvokeOutcome } from './runtime/function-runtime';
import { FunctionPool, type PoolOptions } from './runtime/pool';

/** What runs a function: a pool of isolated runtimes, or (for comparison) the gateway's own process. */
export interface FunctionInvoker {
  readonly model: FunctionModel;
  invoke(event: unknown, requestId: string): Promise<InvokeOutcome>;
  /** Where log lines go that no answer carries (written after the request was answered). */
  log(line: string): void;
  replace(model: FunctionModel): void;
  close(): void;
}

export type FunctionRuntimeKind = 'isolated' | 'in-process';

export function functionInvoker(
  model: FunctionModel,
  kind: FunctionRuntimeKind,
  options: PoolOptions,
): FunctionInvoker {
  return kind === 'isolated' ? new FunctionPool(model, options) : new InProcessInvoker(model);
}

/**
 * A Lambda proxy integration (payload 2.0): the event API Gateway builds, the function invoked,
 * its result mapped back to HTTP. A function error, crash or timeout is API Gateway's 500; an
 * integration that outlasts its TimeoutInMillis is API Gateway's 503 (docs/local-tools.md,
 * "Fidelity notes").
 */
export function lambdaProxyIntegration(fn: FunctionInvoker): (request: IntegrationRequest) => Promise<Answer> {
  return async (request) => {
    const event = buildEventV2(request.facts, {
      routeKey: request.route.routeKey,
      stageName: request.stageName,
      apiId: 'local',
      pathParameters: request.pathParameters,
      ...(request.jwt && { jwt: request.jwt }),
    });
    const integrationTimeoutMs = request.route.integrationTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const invocation = fn.invoke(event, request.facts.requestId);
    const outcome = await Promise.race([
      invocation,
      new Promise<'integration-timeout'>((resolve) => {
        timer = setTimeout(() => resolve('integration-timeout'), integrationTimeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
    if (outcome === 'integration-timeout') {
      // The function runs on (to its own Timeout): what it logs still reaches the developer, late.
      void invocation.then((late) => {
        for (const line of late.logs) fn.log(line);
      });
      return jsonAnswer(503, 'Service Unavailable', {
        errorMessage: `the integration did not answer within its timeout of ${integrationTimeoutMs} ms`,
      });
    }
    if (outcome.kind !== 'result') {
      return jsonAnswer(500, 'Internal Server Error', { errorMessage: outcome.reason, functionLogs: outcome.logs });
    }
    try {
      const http = resultToHttp(outcome.result);
      return { status: http.status, headers: http.headers, body: http.body, functionLogs: outcome.logs };
    } catch (error) {
      return jsonAnswer(500, 'Internal Server Error', {
        errorMessage: `the function's response cannot be mapped: ${(error as Error).message}`,
        functionLogs: outcome.logs,
      });
    }
  };
}

/** The former in-process runtime, kept so benchmarks can show what isolation costs. */
class InProcessInvoker implements FunctionInvoker {
  private fn: LocalFunction;

  constructor(readonly model: FunctionModel) {
    this.fn = new LocalFunction(model);
  }

  async invoke(event: unknown, requestId: string): Promise<InvokeOutcome> {
    try {
      return { kind: 'result', result: await this.fn.invoke(event, requestId), logs: [] };
    } catch (error) {
      return { kind: 'error', reason: (error as Error).message, logs: [] };
    }
  }

  replace(model: FunctionModel): void {
    this.fn = new LocalFunction(model);
  }

  log(line: string): void {
    process.stdout.write(`${line}\n`);
  }

  close(): void {}
}
