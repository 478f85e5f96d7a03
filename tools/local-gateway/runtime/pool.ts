import type { FunctionModel } from '../cloud-assembly';
import { FunctionRuntime, type InvokeOutcome, type RuntimeOptions } from './function-runtime';

export interface PoolOptions extends RuntimeOptions {
  /** Runtimes at most per function (Lambda's concurrency, capped locally). @default 4 */
  readonly maxRuntimes?: number;
}

export const DEFAULT_RUNTIMES_PER_FUNCTION = 4;

/**
 * The execution environments of one function: a warm runtime is reused, a busy one is never
 * shared, a new one starts while fewer than `maxRuntimes` exist, and beyond that invocations wait
 * their turn. New code (a rebundle, a re-synth) is served by fresh runtimes; old ones finish what
 * they run and stop.
 */
export class FunctionPool {
  private readonly idle: FunctionRuntime[] = [];
  private readonly busy = new Set<FunctionRuntime>();
  private readonly waiting: ((runtime: FunctionRuntime) => void)[] = [];
  private readonly maxRuntimes: number;
  private closed = false;

  constructor(
    private modelInUse: FunctionModel,
    private readonly options: PoolOptions,
  ) {
    this.maxRuntimes = options.maxRuntimes ?? DEFAULT_RUNTIMES_PER_FUNCTION;
  }

  get model(): FunctionModel {
    return this.modelInUse;
  }

  log(line: string): void {
    this.options.log(line);
  }

  /** Runtimes alive now (idle or busy). */
  get size(): number {
    return this.idle.length + this.busy.size;
  }

  async invoke(event: unknown, requestId: string): Promise<InvokeOutcome> {
    const runtime = await this.acquire();
    try {
      return await runtime.invoke(event, requestId);
    } finally {
      this.release(runtime);
    }
  }

  /** Serves new code from now on; idle runtimes of the old code stop now, busy ones when done. */
  replace(model: FunctionModel): void {
    this.modelInUse = model;
    for (const runtime of this.idle.splice(0)) runtime.kill();
  }

  close(): void {
    this.closed = true;
    for (const runtime of [...this.idle.splice(0), ...this.busy]) runtime.kill();
    this.busy.clear();
  }

  private acquire(): Promise<FunctionRuntime> {
    if (this.closed) throw new Error(`function ${this.modelInUse.logicalId}: the gateway is closing`);
    let runtime = this.idle.pop();
    while (runtime && !runtime.alive) runtime = this.idle.pop();
    if (!runtime && this.busy.size < this.maxRuntimes) runtime = new FunctionRuntime(this.modelInUse, this.options);
    if (runtime) {
      this.busy.add(runtime);
      return Promise.resolve(runtime);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(runtime: FunctionRuntime): void {
    this.busy.delete(runtime);
    const reusable = runtime.alive && runtime.model === this.modelInUse && !this.closed;
    if (!reusable) runtime.kill();
    const next = this.waiting.shift();
    if (next) {
      const handed = reusable ? runtime : new FunctionRuntime(this.modelInUse, this.options);
      this.busy.add(handed);
      next(handed);
    } else if (reusable) this.idle.push(runtime);
  }
}
