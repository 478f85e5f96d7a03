/**
 * Seed and size of the fuzz tests. `npm test` runs them with a fixed seed and a few hundred
 * cases; `npm run fuzz` (test/fuzz/run-fuzz.js) sets FUZZ_SEED to a random seed and FUZZ_RUNS
 * to thousands and prints the seed, so any failure can be replayed exactly:
 *   FUZZ_SEED=<seed> FUZZ_RUNS=<runs> npx jest test/fuzz
 * fast-check also prints the seed and the shrunk counterexample of a failure.
 */
import type { Parameters } from 'fast-check';

const DEFAULT_SEED = 20_261_129;

function envInteger(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(`${name} must be an integer >= ${min}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** fast-check parameters: FUZZ_SEED and FUZZ_RUNS when set, else the fixed seed and `defaultRuns`. */
export function fuzzParameters<T>(defaultRuns: number): Parameters<T> {
  return {
    seed: envInteger('FUZZ_SEED', DEFAULT_SEED, -(2 ** 31)),
    numRuns: envInteger('FUZZ_RUNS', defaultRuns, 1),
  };
}

/** How long a fuzz test may take: a bounded run in npm test, longer for npm run fuzz. */
export function fuzzTimeoutMs(defaultMs: number): number {
  return process.env.FUZZ_RUNS ? Math.max(defaultMs, envInteger('FUZZ_RUNS', 0, 1) * 50) : defaultMs;
}
