import { existsSync, watch } from 'node:fs';
import { join } from 'node:path';

/**
 * Waits until one of `names` exists in `dir` and returns the first found (in the order given):
 * on the folder's events, not on a timer. Rejects after `timeoutMs`, naming the files and the bound.
 */
export function waitForFile(dir: string, names: readonly string[], timeoutMs: number): Promise<string> {
  const present = () => names.find((name) => existsSync(join(dir, name)));
  return new Promise<string>((resolve, reject) => {
    const watcher = watch(dir);
    const settle = (found: string | undefined, error?: Error) => {
      clearTimeout(timer);
      watcher.close();
      if (found !== undefined) resolve(found);
      else reject(error);
    };
    const timer = setTimeout(
      () => settle(undefined, new Error(`none of ${names.join(', ')} appeared within ${timeoutMs} ms`)),
      timeoutMs,
    );
    watcher.on('change', () => {
      const found = present();
      if (found !== undefined) settle(found);
    });
    watcher.on('error', (error) => settle(undefined, error));
    // Looked for after the watcher exists: a file made meanwhile is seen either way.
    const found = present();
    if (found !== undefined) settle(found);
  });
}

/**
 * waitForFile for callers that cannot await (a test file's top level reading a shared template):
 * blocks the thread, looking again every `pollMs` (Atomics.wait sleeps without spinning). Throws
 * after `timeoutMs`, naming the files and the bound.
 */
export function waitForFileSync(dir: string, names: readonly string[], timeoutMs: number, pollMs = 20): string {
  const deadline = Date.now() + timeoutMs;
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    const found = names.find((name) => existsSync(join(dir, name)));
    if (found !== undefined) return found;
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`none of ${names.join(', ')} appeared within ${timeoutMs} ms`);
    Atomics.wait(sleeper, 0, 0, Math.min(pollMs, left));
  }
}
