/** Item 5: `npm test` wall time, and the slowest test files (jest --json), over several runs. */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { log, ms, msSpread, summarize, timeProcessOk } from '../lib/measure';
import { childEnv, ROOT, tempDir } from '../lib/project';
import type { Row } from '../lib/report';

interface JestJson {
  numTotalTests: number;
  numFailedTests: number;
  testResults: { name: string; startTime: number; endTime: number }[];
}

export async function benchTests(runs: number, slowest = 3): Promise<Row[]> {
  const wall: number[] = [];
  const perFile = new Map<string, number[]>();
  let last: JestJson | undefined;
  for (let run = 0; run < runs; run += 1) {
    const output = join(tempDir('jest'), 'jest.json');
    // A failing test is reported, not thrown: a benchmark never fails on what it measures.
    const result = await timeProcessOk('npm', ['test', '--silent', '--', '--ci', '--json', `--outputFile=${output}`], {
      cwd: ROOT,
      env: childEnv(),
    }).catch((error: Error) => {
      log(`npm test failed: ${error.message.split('\n')[0]}`);
      return undefined;
    });
    let json: JestJson;
    try {
      json = JSON.parse(readFileSync(output, 'utf8')) as JestJson;
    } catch {
      return [{ item: '5', measure: 'npm test', result: 'failed', spread: '', goal: '', verdict: 'skipped', note: 'jest wrote no JSON report' }];
    }
    last = json;
    if (result) wall.push(result.ms);
    for (const file of json.testResults) {
      const name = relative(ROOT, file.name);
      perFile.set(name, [...(perFile.get(name) ?? []), file.endTime - file.startTime]);
    }
    log(`npm test run ${run + 1}/${runs}: ${result ? ms(result.ms) : 'failed'}, ${json.numTotalTests} tests`);
  }
  const files = [...perFile].map(([name, times]) => ({ name, summary: summarize(times) }))
    .sort((a, b) => b.summary.median - a.summary.median);
  const summary = summarize(wall);
  const rows: Row[] = [
    {
      item: '5',
      measure: '`npm test` wall time',
      result: wall.length ? ms(summary.median) : 'failed',
      spread: wall.length ? msSpread(summary) : '',
      goal: '',
      verdict: 'info',
      note: `${last?.numTotalTests ?? 0} tests in ${perFile.size} files, ${last?.numFailedTests ?? 0} failed; jest on ${
        // jest runs files in parallel workers: per-file times overlap and do not add up to the wall time.
        'parallel workers'}`,
      data: { wall: summary, files: files.map((file) => ({ name: file.name, ...file.summary })) },
    },
  ];
  for (const file of files.slice(0, slowest)) {
    rows.push({
      item: '5',
      measure: `slow test file: ${file.name}`,
      result: ms(file.summary.median),
      spread: msSpread(file.summary),
      goal: '',
      verdict: 'info',
      note: 'jest\'s per-file time (start to end, in its worker)',
    });
  }
  return rows;
}
