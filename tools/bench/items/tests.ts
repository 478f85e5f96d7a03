/** Item 5: `npm test` wall time, and the slowest test files (jest --json), over several runs. */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { log, ms, msSpread, summarize, timeProcess } from '../support/measure';
import { childEnv, ROOT, tempDir } from '../support/project';
import type { Row } from '../support/report';

interface JestJson {
  numTotalTests: number;
  numFailedTests: number;
  testResults: {
    name: string;
    startTime: number;
    endTime: number;
    assertionResults?: { fullName: string; status: string }[];
  }[];
}

export async function benchTests(runs: number, slowest = 3): Promise<Row[]> {
  const wall: number[] = [];
  const perFile = new Map<string, number[]>();
  let last: JestJson | undefined;
  const failedRuns: string[] = [];
  for (let run = 0; run < runs; run += 1) {
    const output = join(tempDir('jest'), 'jest.json');
    // A failing test is reported, not thrown: a benchmark never fails on what it measures.
    const result = await timeProcess('npm', ['test', '--silent', '--', '--ci', '--json', `--outputFile=${output}`], {
      cwd: ROOT,
      env: childEnv(),
    });
    if (result.code !== 0) log(`npm test run ${run + 1} exited with ${result.code}`);
    let json: JestJson;
    try {
      json = JSON.parse(readFileSync(output, 'utf8')) as JestJson;
    } catch {
      return [
        {
          item: '5',
          measure: 'npm test',
          result: 'failed',
          spread: '',
          goal: '',
          verdict: 'skipped',
          note: 'jest wrote no JSON report',
        },
      ];
    }
    last = json;
    // A failed run's time is still a run of npm test: kept, and the failures named.
    wall.push(result.ms);
    if (json.numFailedTests > 0 || result.code !== 0) {
      const names = json.testResults.flatMap((file) =>
        (file.assertionResults ?? [])
          .filter((test) => test.status === 'failed')
          .map((test) => `${relative(ROOT, file.name)}: ${test.fullName}`),
      );
      failedRuns.push(
        `run ${run + 1}: ${json.numFailedTests} failed${names.length ? ` (${names.slice(0, 3).join('; ')})` : ''}`,
      );
    }
    for (const file of json.testResults) {
      const name = relative(ROOT, file.name);
      perFile.set(name, [...(perFile.get(name) ?? []), file.endTime - file.startTime]);
    }
    log(
      `npm test run ${run + 1}/${runs}: ${ms(result.ms)}, ${json.numTotalTests} tests, ${json.numFailedTests} failed`,
    );
  }
  const files = [...perFile]
    .map(([name, times]) => ({ name, summary: summarize(times) }))
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
      // jest runs files in parallel workers: per-file times overlap and do not add up to the wall time.
      note:
        `${last?.numTotalTests ?? 0} tests in ${perFile.size} files (jest, parallel workers); ` +
        (failedRuns.length
          ? `FAILURES in ${failedRuns.length} of ${runs} runs: ${failedRuns.join(' / ')}`
          : `all passed in all ${runs} runs`),
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
      note: "jest's per-file time (start to end, in its worker)",
    });
  }
  return rows;
}
