#!/usr/bin/env node
/**
 * `npm run fuzz`: the fuzz tests of test/fuzz with a random seed and many cases, printing the
 * seed first and again on failure so the run can be replayed exactly:
 *   FUZZ_SEED=<seed> FUZZ_RUNS=<runs> npm run fuzz
 * and the robustness test at its full load (ROBUSTNESS_LOAD=full, test/support/load.ts). npm test
 * runs the same tests with a fixed seed, a few hundred cases and a bounded load.
 */
const { spawnSync } = require('node:child_process');
const { randomInt } = require('node:crypto');
const { join } = require('node:path');

const seed = process.env.FUZZ_SEED || String(randomInt(-(2 ** 31), 2 ** 31 - 1));
const runs = process.env.FUZZ_RUNS || '5000';
const replay = `FUZZ_SEED=${seed} FUZZ_RUNS=${runs} npm run fuzz`;

console.log(`fuzz: seed ${seed}, ${runs} cases per property (replay: ${replay})`);
const jest = require.resolve('jest/bin/jest');
const tests = ['test/fuzz', 'test/e2e/robustness.test.ts'];
const result = spawnSync(process.execPath, [jest, '--runInBand', ...tests, ...process.argv.slice(2)], {
  cwd: join(__dirname, '..', '..'),
  stdio: 'inherit',
  env: { ...process.env, FUZZ_SEED: seed, FUZZ_RUNS: runs, ROBUSTNESS_LOAD: 'full' },
});
if (result.status !== 0) {
  console.error(`\nfuzz: FAILED with seed ${seed}. Replay it: ${replay}`);
  console.error('(fast-check prints the shrunk counterexample and its path above.)');
}
process.exit(result.status ?? 1);
