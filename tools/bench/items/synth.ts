/**
 * Item 3: `cdk synth` of dev with this project's cdk.json against the same project set up the
 * way `cdk init app --language typescript` does (its app command `npx tsc && npx tsx bin/<app>.ts`
 * and its default settings), round-robin in the same run. When main's cdk.json has another app
 * command than this checkout's, that one runs too, as the "before" of a before/after.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  log,
  ms,
  msSpread,
  ratios,
  ratioSpread,
  roundRobin,
  type RunResult,
  summarize,
  timeProcessOk,
} from '../support/measure';
import { cdkNagStatus, childEnv, ROOT, tempDir } from '../support/project';
import type { Row } from '../support/report';

/** What `cdk init app --language typescript` writes into cdk.json besides the context. */
const INIT_TEMPLATE = join(
  ROOT,
  'node_modules',
  'aws-cdk',
  'lib',
  'init-templates',
  'app',
  'typescript',
  'cdk.template.json',
);
const STACK = 'Wso2JwtHttpApi-dev';
const GOAL = 0.7;

/** Files that are not part of the app (or are machine state) stay out of the copies. */
const NOT_COPIED = new Set([
  'node_modules',
  '.git',
  'reports',
  'coverage',
  'dist',
  '.local',
  '.cdk.staging',
  '.local-certs',
]);

type CdkJson = Record<string, unknown> & { app: string; context?: unknown };

function readCdkJson(): CdkJson {
  return JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as CdkJson;
}

/** A copy of the project (node_modules linked) with the given cdk.json. */
function projectCopy(name: string, cdkJson: Record<string, unknown>): string {
  const dir = tempDir(name);
  cpSync(ROOT, dir, {
    recursive: true,
    filter: (source) => {
      const top = relative(ROOT, source).split(/[\\/]/)[0];
      return !(NOT_COPIED.has(top) || top.startsWith('cdk.out'));
    },
  });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'cdk.json'), `${JSON.stringify(cdkJson, null, 2)}\n`);
  return dir;
}

/**
 * cdk.json as `cdk init` writes it (`app` with our entry for `%name%`, its `watch`) plus our
 * context unchanged (feature flags, environments). Our other top-level settings are dropped,
 * except `notices: false`, which keeps the CLI off the network in both.
 */
export function initStyleCdkJson(ours: CdkJson): CdkJson {
  const template = JSON.parse(readFileSync(INIT_TEMPLATE, 'utf8')) as { app: string; watch: unknown };
  return { app: template.app.replace('%name%', 'app'), watch: template.watch, notices: false, context: ours.context };
}

/** main's app command, when it differs from this checkout's (the "before" of a change to it). */
function mainAppCommand(ours: CdkJson): string | undefined {
  try {
    const main = JSON.parse(
      execFileSync('git', ['-C', ROOT, 'show', 'main:cdk.json'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    ) as CdkJson;
    return main.app !== ours.app ? main.app : undefined;
  } catch {
    return undefined;
  }
}

export async function synthOnce(cwd: string, outdir: string): Promise<RunResult> {
  const result = await timeProcessOk('npx', ['cdk', 'synth', '-q', '-o', outdir], { cwd, env: childEnv() });
  if (!existsSync(join(outdir, `${STACK}.template.json`)))
    throw new Error(`cdk synth in ${cwd} wrote no ${STACK} template`);
  return result;
}

export interface SynthResult {
  readonly rows: Row[];
  /** An output directory of our synth, for the bundle item. */
  readonly ourOutdir: string;
}

function cpuNote(results: readonly RunResult[]): string {
  const cpu = results.map((result) => result.cpuMs).filter((value): value is number => value !== undefined);
  return cpu.length === results.length ? `CPU ${ms(summarize(cpu).median)} (${msSpread(summarize(cpu))})` : '';
}

export async function benchSynth(rounds: number): Promise<SynthResult> {
  const ours = readCdkJson();
  const init = initStyleCdkJson(ours);
  const initDir = projectCopy('init-style', init);
  const before = mainAppCommand(ours);
  const beforeDir = before ? projectCopy('before', { ...ours, app: before }) : undefined;
  const outdirs: string[] = [];
  log(
    `synth: ours "${ours.app}" vs cdk-init style "${init.app}"${before ? ` vs main's "${before}"` : ''}, ${rounds} ` +
      `rounds`,
  );
  const variants = [
    {
      name: 'ours',
      run: async () => {
        const outdir = tempDir('synth-ours');
        outdirs.push(outdir);
        return synthOnce(ROOT, outdir);
      },
    },
    { name: 'init', run: async () => synthOnce(initDir, tempDir('synth-init')) },
    ...(beforeDir ? [{ name: 'before', run: async () => synthOnce(beforeDir, tempDir('synth-before')) }] : []),
  ];
  const results = await roundRobin(rounds, variants, (round, r) =>
    log(
      `synth round ${round + 1}/${rounds}: ${Object.entries(r)
        .map(([name, result]) => `${name} ${ms(result.ms)}`)
        .join(', ')}`,
    ),
  );
  const wall = (name: string) => results[name].map((result) => result.ms);
  const cpu = (name: string) => results[name].map((result) => result.cpuMs ?? Number.NaN);
  const ourOutdir = outdirs[0];
  const validated = existsSync(join(ourOutdir, 'validation-report.json'));
  const nag = cdkNagStatus();
  const nagNote = nag.applied
    ? 'cdk-nag applied in our synth'
    : 'cdk-nag NOT in this checkout yet (issue 5 not merged): measured without it, re-run after the merge';
  const ratio = ratios(wall('ours'), wall('init'));
  const cpuRatio = ratios(cpu('ours'), cpu('init'));
  const rows: Row[] = [
    {
      item: '3',
      measure: `cdk synth dev, ours (\`${ours.app}\`)`,
      result: ms(summarize(wall('ours')).median),
      spread: msSpread(summarize(wall('ours'))),
      goal: '',
      verdict: 'info',
      note:
        `built-in CloudFormation validation ${validated ? 'on (validation-report.json written)' : 'OFF?'}; ` +
        `${nagNote}; ${cpuNote(results.ours)}`,
      data: results.ours,
    },
    {
      item: '3',
      measure: `cdk synth dev, cdk-init style (\`${init.app}\`)`,
      result: ms(summarize(wall('init')).median),
      spread: msSpread(summarize(wall('init'))),
      goal: '',
      verdict: 'info',
      note:
        `same project, feature flags and context; only cdk.json's app command and settings are the init ` +
        `template's; ${cpuNote(results.init)}`,
      data: results.init,
    },
  ];
  if (before) {
    const beforeRatio = ratios(wall('before'), wall('init'));
    rows.push({
      item: '3',
      measure: `before: cdk synth dev with main's app command (\`${before}\`)`,
      result: ms(summarize(wall('before')).median),
      spread: msSpread(summarize(wall('before'))),
      goal: '',
      verdict: 'info',
      note:
        `ratio to cdk-init style ${beforeRatio.median.toFixed(2)} (${ratioSpread(beforeRatio)}); ours / before ` +
        `${ratios(wall('ours'), wall('before')).median.toFixed(2)}; ${cpuNote(results.before)}`,
      data: results.before,
    });
  }
  rows.push({
    item: '3',
    measure: 'synth ratio ours / cdk-init style (wall, pairwise per round)',
    result: ratio.median.toFixed(2),
    spread: ratioSpread(ratio),
    goal: `≤ ${GOAL}`,
    verdict: nag.applied
      ? ratio.median <= GOAL
        ? 'met'
        : 'missed'
      : ratio.median <= GOAL
        ? 'met without cdk-nag'
        : 'missed without cdk-nag',
    note:
      `CPU-time ratio ` +
      `${Number.isNaN(cpuRatio.median) ? 'n/a' : `${cpuRatio.median.toFixed(2)} (${ratioSpread(cpuRatio)})`}` +
      (nag.applied ? '' : '; the goal is defined with cdk-nag on: not measurable with it until issue 5 lands'),
    data: { wall: ratio, cpu: cpuRatio },
  });
  return { ourOutdir, rows };
}
