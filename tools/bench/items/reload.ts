/**
 * Item 7: hot reload of `npm start` (issue 10). In a throwaway copy of the project, `npm start`
 * runs; each handler edit is timed from the write to the first response carrying the new body
 * (goal ≤ 1 s, median of several edits); an infrastructure edit (cdk.json) is timed from the write
 * to the reload line, against the synth time npm start printed at start-up (goal ≤ synth + 1 s).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { log, ms, summarize } from '../support/measure';
import { childEnv, copyProjectSources, tempDir } from '../support/project';
import type { Row } from '../support/report';
import { TYPESCRIPT_NODE_ARGS } from '../../cli/node-args';

const GOAL_HANDLER_MS = 1000;
const POLL_MS = 10;

async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`nothing within ${timeoutMs} ms`);
}

export async function benchReload(edits: number): Promise<Row[]> {
  const project = copyProjectSources(tempDir('reload-project'));
  const lines: string[] = [];
  const child: ChildProcess = spawn(
    process.execPath,
    [...TYPESCRIPT_NODE_ARGS, 'tools/local-gateway/start.ts', '--port', '0', '--idp-port', '0'],
    { cwd: project, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const { stdout, stderr } = child;
  if (!stdout || !stderr) throw new Error('the child has no output pipes');
  createInterface({ input: stdout }).on('line', (line) => lines.push(line));
  createInterface({ input: stderr }).on('line', (line) => lines.push(line));
  try {
    const ready = await waitFor(() => lines.find((line) => line.startsWith('npm-start ready ')), 120_000);
    const gateway = String(JSON.parse(ready.slice('npm-start ready '.length)).gateway);
    const synthMs = Number(/Synthesized in (\d+) ms/.exec(lines.join('\n'))?.[1]);
    const health = async () => {
      const response = await fetch(`${gateway}/health`);
      return ((await response.json()) as { status?: string }).status;
    };

    const routes = join(project, 'lambda', 'api', 'routes.ts');
    const original = readFileSync(routes, 'utf8');
    const handlerMs: number[] = [];
    for (let edit = 1; edit <= edits; edit += 1) {
      const status = `edit-${edit}`;
      const started = performance.now();
      writeFileSync(routes, original.replace("status: 'ok'", `status: '${status}'`));
      await waitFor(async () => ((await health()) === status ? true : undefined), 30_000);
      handlerMs.push(performance.now() - started);
      log(`reload: handler edit ${edit}: ${ms(handlerMs.at(-1) ?? 0)}`);
    }

    const cdkJson = join(project, 'cdk.json');
    const before = lines.length;
    const started = performance.now();
    writeFileSync(cdkJson, `${readFileSync(cdkJson, 'utf8').trimEnd()}\n\n`);
    await waitFor(() => lines.slice(before).find((line) => line.includes('re-synthesized')), 120_000);
    await waitFor(async () => ((await health()) !== undefined ? true : undefined), 10_000);
    const infraMs = performance.now() - started;
    log(`reload: infrastructure edit: ${ms(infraMs)} (synth at start-up: ${ms(synthMs)})`);

    const handler = summarize(handlerMs);
    return [
      {
        item: '7',
        measure: 'npm start hot reload: handler edit to first response with the new body',
        result: ms(handler.median),
        spread: `${ms(handler.min)}–${ms(handler.max)}, n=${handler.n} edits`,
        goal: `≤ ${ms(GOAL_HANDLER_MS)}`,
        verdict: handler.median <= GOAL_HANDLER_MS ? 'met' : 'missed',
        note: 'rebundle of that function only (esbuild, options of lib/bundled-function.ts) + fresh runtime',
        data: handlerMs,
      },
      {
        item: '7',
        measure: 'npm start hot reload: cdk.json edit to the re-synthesized model served',
        result: ms(infraMs),
        spread: `synth at start-up ${ms(synthMs)}`,
        goal: `≤ synth + 1 s (${ms(synthMs + 1000)})`,
        verdict: infraMs <= synthMs + 1000 ? 'met' : 'missed',
        note: 'one edit; synth time varies with machine load',
        data: [infraMs, synthMs],
      },
    ];
  } catch (error) {
    const reason =
      `npm start could not be measured: ${(error as Error).message}; ` + `output: ${lines.slice(-5).join(' / ')}`;
    log(`reload: skipped: ${reason}`);
    return [
      {
        item: '7',
        measure: 'npm start hot reload',
        result: 'skipped',
        spread: '',
        goal: `≤ ${ms(GOAL_HANDLER_MS)}`,
        verdict: 'skipped',
        note: reason,
      },
    ];
  } finally {
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  }
}
