import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { FunctionModel } from '../cloud-assembly';
import { type EnvironmentOptions, lambdaEnvironment } from './environment';

const BOOTSTRAP = join(__dirname, 'bootstrap.cjs');
// Lambda's init phase may take 10 s before the invocation fails.
const INIT_TIMEOUT_MS = 10_000;

/** How one invocation ended, with the log lines the function wrote during it. */
export type InvokeOutcome =
  | { readonly kind: 'result'; readonly result: unknown; readonly logs: readonly string[] }
  /** The handler threw or rejected, the runtime crashed or exited, or the code could not load. */
  | { readonly kind: 'error'; readonly reason: string; readonly logs: readonly string[] }
  /** The function ran past its Timeout; its runtime was stopped. */
  | { readonly kind: 'timeout'; readonly reason: string; readonly logs: readonly string[] };

type SerializedError = { errorType?: string; errorMessage?: string };
type FromRuntime =
  | { type: 'ready' }
  | { type: 'init-error'; error: SerializedError }
  | { type: 'log'; requestId?: string; line: string }
  | { type: 'result'; requestId: string; result: unknown }
  | { type: 'error'; requestId: string; error: SerializedError };

export interface RuntimeOptions extends EnvironmentOptions {
  /** Where log lines written outside an invocation (init, after a timeout) go. */
  readonly log: (line: string) => void;
}

/**
 * One execution environment: a Node.js process of its own running the function's bundle, serving
 * one invocation at a time. It stays warm between invocations and is never reused after a crash
 * or a timeout (it is dead then, and the pool starts a fresh one).
 */
export class FunctionRuntime {
  private readonly child: ChildProcess;
  private readonly ready: Promise<string | undefined>;
  private current:
    | { requestId: string; logs: string[]; settle: (outcome: InvokeOutcome) => void; timer: NodeJS.Timeout }
    | undefined;
  private dead = false;

  constructor(
    readonly model: FunctionModel,
    private readonly options: RuntimeOptions,
  ) {
    this.child = fork(BOOTSTRAP, [JSON.stringify(this.bootstrapConfig())], {
      cwd: model.assetDir,
      env: lambdaEnvironment(model, options),
      // Never the gateway's own flags (tsx...): MemorySize is the heap limit, as in Lambda.
      execArgv: [`--max-old-space-size=${model.memorySizeMb ?? 128}`],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    // Writes that bypass console (process.stdout.write, V8's out-of-memory report) still reach the
    // developer, through the same sink as the function's log lines: never the gateway's own stderr,
    // where a host process (a test runner) could take a function's "heap out of memory" for its own.
    for (const stream of [this.child.stdout, this.child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        for (const line of chunk.split('\n')) if (line.trim() !== '') options.log(line);
      });
    }
    this.ready = new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.kill();
        resolve(`Runtime.InitTimeout: the function did not initialize within ${INIT_TIMEOUT_MS / 1000} s`);
      }, INIT_TIMEOUT_MS);
      this.child.on('message', (message: FromRuntime) => {
        if (message.type === 'ready' || message.type === 'init-error') {
          clearTimeout(timer);
          resolve(
            message.type === 'ready'
              ? undefined
              : `Runtime.ImportModuleError: ${message.error.errorType}: ${message.error.errorMessage}`,
          );
        } else this.onMessage(message);
      });
      this.child.once('exit', (code, signal) => {
        clearTimeout(timer);
        this.dead = true;
        const reason = `Runtime.ExitError: the runtime exited (${signal ?? `exit status ${code}`})`;
        resolve(reason);
        this.current?.settle({ kind: 'error', reason, logs: this.current.logs });
      });
    });
  }

  get alive(): boolean {
    return !this.dead;
  }

  /** Runs one invocation; the runtime must be idle. */
  async invoke(event: unknown, requestId: string): Promise<InvokeOutcome> {
    const initError = await this.ready;
    if (initError !== undefined || this.dead) {
      this.kill();
      return { kind: 'error', reason: initError ?? 'Runtime.ExitError: the runtime is gone', logs: [] };
    }
    const timeoutMs = this.model.timeoutSeconds * 1000;
    return new Promise<InvokeOutcome>((resolve) => {
      const logs: string[] = [];
      const timer = setTimeout(() => {
        const reason = `Task timed out after ${this.model.timeoutSeconds.toFixed(2)} seconds`;
        this.current?.settle({ kind: 'timeout', reason, logs });
        // A timed-out environment is not reused: Lambda starts the next invocation in a fresh one.
        this.kill();
      }, timeoutMs);
      this.current = {
        requestId,
        logs,
        timer,
        settle: (outcome) => {
          clearTimeout(timer);
          this.current = undefined;
          resolve(outcome);
        },
      };
      this.child.send({ type: 'invoke', requestId, event, deadline: Date.now() + timeoutMs });
    });
  }

  kill(): void {
    this.dead = true;
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private onMessage(message: FromRuntime): void {
    const current = this.current;
    if (message.type === 'log') {
      if (current && message.requestId === current.requestId) current.logs.push(message.line);
      else this.options.log(message.line);
    } else if ((message.type === 'result' || message.type === 'error') && current?.requestId === message.requestId) {
      current.settle(
        message.type === 'result'
          ? { kind: 'result', result: message.result, logs: current.logs }
          : {
              kind: 'error',
              reason: `${message.error.errorType ?? 'Error'}: ${message.error.errorMessage ?? ''}`,
              logs: current.logs,
            },
      );
    }
  }

  private bootstrapConfig() {
    return {
      assetDir: this.model.assetDir,
      handler: this.model.handler,
      functionName: this.model.logicalId,
      memorySizeMb: this.model.memorySizeMb ?? 128,
      logFormat: this.model.logFormat ?? 'Text',
      applicationLogLevel: this.model.logFormat === 'JSON' ? this.model.applicationLogLevel : undefined,
    };
  }
}
