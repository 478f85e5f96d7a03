/**
 * Timing primitives: wall time of a child process, summaries (median with min-max and IQR)
 * and side-by-side (interleaved) comparisons whose ratio is taken pair by pair.
 */
import { spawn, type SpawnOptions } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly q1: number;
  readonly q3: number;
  readonly samples: readonly number[];
}

/** Linear-interpolated quantile of sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
    samples: [...samples],
  };
}

export interface RunResult {
  readonly ms: number;
  /** User + system CPU time of the process and every descendant it waited for (GNU time), when available. */
  readonly cpuMs?: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const GNU_TIME = '/usr/bin/time';

/** Process groups of the children running now, so an interrupted bench leaves none behind. */
const running = new Set<number>();

export function killRunningChildren(): void {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  running.clear();
}

/**
 * Runs a command to completion and returns its wall time in milliseconds (spawn to exit) and,
 * where GNU time exists, the CPU time of the whole process tree: on a shared machine wall time
 * moves with the neighbours' load, CPU time much less.
 */
export function timeProcess(command: string, args: readonly string[], options: SpawnOptions = {}): Promise<RunResult> {
  const cpuDir = existsSync(GNU_TIME) ? mkdtempSync(join(tmpdir(), 'wso2-bench-cpu-')) : undefined;
  const cpuFile = cpuDir && join(cpuDir, 'cpu');
  const [file, argv] = cpuFile ? [GNU_TIME, ['-f', '%U %S', '-o', cpuFile, command, ...args]] : [command, [...args]];
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    // Its own process group: the whole tree (npx, cdk, the app, esbuild) can be stopped at once.
    const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...options });
    if (child.pid) running.add(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => (stdout += chunk));
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (child.pid) running.delete(child.pid);
      let cpuMs: number | undefined;
      if (cpuFile && cpuDir) {
        try {
          const lastLine = readFileSync(cpuFile, 'utf8').trim().split('\n').at(-1) ?? '';
          const [user, system] = lastLine.split(' ').map(Number);
          if (Number.isFinite(user) && Number.isFinite(system)) cpuMs = (user + system) * 1000;
        } catch {
          // GNU time wrote nothing (killed): no CPU figure.
        }
        rmSync(cpuDir, { recursive: true, force: true });
      }
      resolve({ ms, cpuMs, code, stdout, stderr });
    });
  });
}

/** Like timeProcess, but a non-zero exit is an error that carries the command's output. */
export async function timeProcessOk(
  command: string,
  args: readonly string[],
  options: SpawnOptions = {},
): Promise<RunResult> {
  const result = await timeProcess(command, args, options);
  if (result.code !== 0) {
    const tail = (result.stderr || result.stdout).trim().split('\n').slice(-15).join('\n');
    throw new Error(`${command} ${args.join(' ')} exited with ${result.code}:\n${tail}`);
  }
  return result;
}

export interface Comparison {
  readonly a: Summary;
  readonly b: Summary;
  /** a/b of each pair, so both sides of a ratio saw the same machine load. */
  readonly ratio: Summary;
}

/**
 * Runs two variants side by side: pair i runs A then B when i is even and B then A when odd
 * (ABBA), so neither variant always runs first, warm or cold.
 */
export async function interleave(
  pairs: number,
  runA: (index: number) => Promise<number>,
  runB: (index: number) => Promise<number>,
  onPair?: (index: number, a: number, b: number) => void,
): Promise<Comparison> {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < pairs; i += 1) {
    let msA: number;
    let msB: number;
    if (i % 2 === 0) {
      msA = await runA(i);
      msB = await runB(i);
    } else {
      msB = await runB(i);
      msA = await runA(i);
    }
    a.push(msA);
    b.push(msB);
    onPair?.(i, msA, msB);
  }
  return { a: summarize(a), b: summarize(b), ratio: summarize(a.map((value, i) => value / b[i])) };
}

export function ms(value: number): string {
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  if (value >= 100) return `${value.toFixed(0)} ms`;
  return `${value.toFixed(1)} ms`;
}

/** "median (min-max, n=5)" for times. */
export function msSpread(summary: Summary): string {
  return `${ms(summary.min)}–${ms(summary.max)}, IQR ${ms(summary.q1)}–${ms(summary.q3)}, n=${summary.n}`;
}

export function ratioSpread(summary: Summary): string {
  return (
    `${summary.min.toFixed(2)}–${summary.max.toFixed(2)}, IQR ` +
    `${summary.q1.toFixed(2)}–${summary.q3.toFixed(2)}, n=${summary.n}`
  );
}

/**
 * Runs several variants round-robin, rotating which goes first each round, and returns each
 * variant's samples in round order (so sample i of two variants can be paired into a ratio).
 */
export async function roundRobin<T>(
  rounds: number,
  variants: readonly { readonly name: string; readonly run: (round: number) => Promise<T> }[],
  onRound?: (round: number, results: Record<string, T>) => void,
): Promise<Record<string, T[]>> {
  const out: Record<string, T[]> = Object.fromEntries(variants.map((variant) => [variant.name, [] as T[]]));
  for (let round = 0; round < rounds; round += 1) {
    const results: Record<string, T> = {};
    for (let i = 0; i < variants.length; i += 1) {
      const variant = variants[(i + round) % variants.length];
      results[variant.name] = await variant.run(round);
    }
    for (const variant of variants) out[variant.name].push(results[variant.name]);
    onRound?.(round, results);
  }
  return out;
}

export function ratios(a: readonly number[], b: readonly number[]): Summary {
  return summarize(a.map((value, i) => value / b[i]));
}

export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
