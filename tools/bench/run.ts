/**
 * `npm run bench`: measures the items of issue 6 and prints one table, written to
 * reports/bench.json and reports/bench.md (`-- --readme` also puts it into docs/benchmarks.md).
 * A benchmark reports: it exits 0 whatever the numbers are, and only fails when it cannot run.
 *
 *   npm run bench -- [flags] (see --help); the token for --gateway-url comes from BENCH_TOKEN or --token-file.
 */
import { readFileSync } from 'node:fs';
import { commandLineOrExit } from '../cli/command-line';
import { BENCH_COMMAND } from '../cli/commands';
import { normalizeToken } from '../cli/token-input';
import { benchBundle } from './items/bundle';
import { benchColdStart } from './items/coldstart';
import { benchGateway } from './items/gateway';
import { benchReload } from './items/reload';
import { benchScale } from './items/scale';
import { benchSynth } from './items/synth';
import { benchTests } from './items/tests';
import { killRunningChildren, log, ms, timeProcessOk } from './support/measure';
import { childEnv, cleanTempDirs, ROOT, tempDir } from './support/project';
import { consoleTable, describeMachine, machineLine, type Row, updateReadme, writeReports } from './support/report';

const values = commandLineOrExit('bench', BENCH_COMMAND);
const benchToken = values['token-file']
  ? normalizeToken(readFileSync(values['token-file'], 'utf8'))
  : process.env.BENCH_TOKEN && normalizeToken(process.env.BENCH_TOKEN);

const only = new Set(values.only.split(',').map((item) => item.trim()));
/** Runs per item: sized so the whole bench stays within about five minutes on 2 cores. */
const RUNS = values.quick
  ? { synthPairs: 1, coldStart: 5, scale: 1, tests: 1, gateway: 1, reloadEdits: 3 }
  : { synthPairs: 3, coldStart: 15, scale: 3, tests: 3, gateway: 3, reloadEdits: 7 };

async function main(): Promise<void> {
  const machine = describeMachine(ROOT);
  log(machineLine(machine));
  const started = Date.now();
  const rows: Row[] = [];
  let ourOutdir: string | undefined;

  if (only.has('3')) {
    const synth = await benchSynth(RUNS.synthPairs);
    ourOutdir = synth.ourOutdir;
    rows.push(...synth.rows);
  }
  if (only.has('1') || only.has('2')) {
    if (!ourOutdir) {
      // Only the asset is needed: one synth of our app, validation off to save time.
      ourOutdir = tempDir('synth-asset');
      await timeProcessOk('npx', ['cdk', 'synth', '-q', '--no-validation', '-o', ourOutdir], {
        cwd: ROOT,
        env: childEnv(),
      });
    }
    const bundle = benchBundle(ourOutdir);
    if (only.has('1')) rows.unshift(...bundle.rows);
    if (only.has('2'))
      rows.splice(only.has('1') ? 2 : 0, 0, ...(await benchColdStart(bundle.bundlePath, RUNS.coldStart)));
  }
  if (only.has('4')) rows.push(...(await benchScale([1, 50, 250], RUNS.scale)));
  if (only.has('5')) rows.push(...(await benchTests(RUNS.tests)));
  if (only.has('6')) {
    rows.push(
      ...(await benchGateway({
        gatewayUrl: values['gateway-url'],
        token: benchToken || undefined,
        runs: RUNS.gateway,
        // Little's law: 2,000 rps with c requests in flight means c/2000 s mean latency, so the
        // p99 < 10 ms goal needs a small c; 8 keeps both cores busy without queueing in the client.
        concurrency: 8,
        maxRequests: 20_000,
        maxSeconds: 5,
      })),
    );
  }

  if (only.has('7')) rows.push(...(await benchReload(RUNS.reloadEdits)));

  const files = writeReports(ROOT, rows, machine);
  console.log(`\n${machineLine(machine)}\n`);
  console.log(consoleTable(rows));
  console.log(`\nwritten: ${files.json}, ${files.markdown}; bench took ${ms(Date.now() - started)}`);
  if (values.readme)
    console.log(
      updateReadme(ROOT, rows, machine)
        ? 'docs/benchmarks.md updated'
        : 'docs/benchmarks.md has no bench markers: not updated',
    );
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killRunningChildren();
    cleanTempDirs();
    process.exit(130);
  });
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exitCode = 1;
  })
  .finally(() => {
    if (!values['keep-temp']) cleanTempDirs();
  });
