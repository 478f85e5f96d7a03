import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replaceAtomically } from '../../tools/local-idp/certificates';
import { sharedDir } from './run-temp';

export interface SharedChildOptions {
  /** Node's arguments (the script and its flags); the child is `process.execPath`. */
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Its standard output and error, in the shared folder. */
  readonly log: string;
  /** Written in the shared folder when it exits 0; absent when the child writes its own outcome. */
  readonly ready?: string;
  /** Written in the shared folder when it fails, unless the child wrote it: why, and its output. */
  readonly failed: string;
  /** Killed after this long, and reported failed. */
  readonly timeoutMs: number;
}

/**
 * Global setup only: a child process working for the run, whose outcome the test files read as
 * files in the shared folder. It never talks to them.
 *
 * Its output goes to a file, not a pipe: a run of one test file waits for it in jest's own process
 * (jest runs it in band), which could then not drain a pipe. `close` kills a child still running
 * and waits for it, so nothing writes into a folder the teardown is removing; after `close`, no
 * outcome is written, as there is no reader left to tell.
 */
export function startSharedChild(options: SharedChildOptions): { close(): Promise<void> } {
  const log = join(sharedDir(), options.log);
  const output = openSync(log, 'w');
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn(process.execPath, options.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', output, output],
    });
  } finally {
    closeSync(output);
  }
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
  let closed = false;
  const write = (name: string, content: string) => {
    try {
      replaceAtomically(join(sharedDir(), name), content);
    } catch (error) {
      // The waiting test files then fail on their own bound, and this says why.
      console.error(`${name} could not be written in ${sharedDir()}: ${(error as Error).message}`);
    }
  };
  const done = new Promise<void>((resolve) => {
    const settle = (problem: string | undefined) => {
      clearTimeout(timer);
      if (!closed) {
        if (problem === undefined) {
          if (options.ready) write(options.ready, '');
        } else if (!existsSync(join(sharedDir(), options.failed))) {
          write(options.failed, `${problem}:\n${readFileSync(log, 'utf8')}`.trim());
        }
      }
      resolve();
    };
    child.once('error', (error) => settle(`could not start: ${error.message}`));
    child.once('close', (code, signal) => settle(code === 0 ? undefined : `exited with ${signal ?? code}`));
  });
  return {
    close: async () => {
      closed = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await done;
    },
  };
}
