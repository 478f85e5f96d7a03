/** The bench's one table: rows, machine description, console/Markdown/JSON output, README section. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

/** met/missed compare with a goal; info has no goal; skipped says why in the note. */
export type Verdict = 'met' | 'missed' | 'info' | 'skipped' | 'met without cdk-nag' | 'missed without cdk-nag';

export interface Row {
  readonly item: string;
  readonly measure: string;
  readonly result: string;
  readonly spread: string;
  readonly goal: string;
  readonly verdict: Verdict;
  readonly note: string;
  /** Raw numbers for the JSON report. */
  readonly data?: unknown;
}

export interface Machine {
  readonly nproc: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly platform: string;
  readonly loadAverageAtStart: readonly number[];
  readonly date: string;
  readonly commit: string;
}

export function describeMachine(root: string): Machine {
  let nproc = cpus().length;
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  } catch {
    // nproc is coreutils; os.cpus() is the fallback.
  }
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['-C', root, 'status', '--porcelain', '--', '.', ':!reports'], {
      encoding: 'utf8',
    }).trim();
    if (dirty) commit += '+dirty';
  } catch {
    // not a git checkout
  }
  return {
    nproc,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverageAtStart: loadavg().map((value) => Math.round(value * 100) / 100),
    date: new Date().toISOString(),
    commit,
  };
}

export function machineLine(machine: Machine): string {
  return (
    `${machine.date.slice(0, 16).replace('T', ' ')} UTC, commit ${machine.commit}: ` +
    `nproc ${machine.nproc}, ${machine.cpuModel}, Node ${machine.node}, ${machine.platform}, ` +
    `load average at start ${machine.loadAverageAtStart.join(' / ')}`
  );
}

const COLUMNS: readonly (keyof Row)[] = ['item', 'measure', 'result', 'spread', 'goal', 'verdict', 'note'];
const HEADERS = ['#', 'measure', 'result (median)', 'spread', 'goal', 'verdict', 'note'];

function cell(value: string): string {
  return value.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Each column's widest cell over the lines given, at least `minimum`. */
function columnWidths(lines: readonly (readonly string[])[], minimum = 0): number[] {
  return lines[0].map((_, i) => Math.max(minimum, ...lines.map((cells) => cells[i].length)));
}

/** Columns padded to their widest cell (at least `---`), as Biome formats a Markdown table: the lint passes. */
export function markdownTable(rows: readonly Row[]): string {
  const body = rows.map((row) => COLUMNS.map((column) => cell(String(row[column] ?? ''))));
  const widths = columnWidths([HEADERS, ...body], 3);
  const line = (cells: readonly string[]) => `| ${cells.map((text, i) => text.padEnd(widths[i])).join(' | ')} |`;
  return [line(HEADERS), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)].join('\n');
}

/** A plain-text table for the terminal (the note goes on its own line to keep rows short). */
export function consoleTable(rows: readonly Row[]): string {
  const columns = COLUMNS.filter((column) => column !== 'note');
  const headers = HEADERS.slice(0, columns.length);
  const widths = columnWidths([headers, ...rows.map((row) => columns.map((column) => String(row[column])))]);
  const line = (values: readonly string[]) =>
    values
      .map((value, i) => value.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const out = [line(headers), line(widths.map((width) => '-'.repeat(width)))];
  for (const row of rows) {
    out.push(line(columns.map((column) => String(row[column]))));
    if (row.note) out.push(`${' '.repeat(widths[0] + 2)}↳ ${row.note}`);
  }
  return out.join('\n');
}

export function markdownReport(rows: readonly Row[], machine: Machine): string {
  return `Measured ${machineLine(machine)}.\n\n${markdownTable(rows)}\n`;
}

export function writeReports(root: string, rows: readonly Row[], machine: Machine): { json: string; markdown: string } {
  const dir = join(root, 'reports');
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'bench.json');
  const markdown = join(dir, 'bench.md');
  writeFileSync(json, `${JSON.stringify({ machine, rows }, null, 2)}\n`);
  writeFileSync(markdown, `# npm run bench\n\n${markdownReport(rows, machine)}`);
  return { json, markdown };
}

export const README_START = '<!-- bench:start (written by `npm run bench -- --readme`) -->';
export const README_END = '<!-- bench:end -->';
/** The page that holds the latest table (the README links to it). */
export const BENCHMARKS_PAGE = join('docs', 'benchmarks.md');

/**
 * Replaces the bench section of docs/benchmarks.md (between the markers) with the latest
 * table. The page keeps the latest run only, and no commit id (it would go stale).
 */
export function updateReadme(root: string, rows: readonly Row[], machine: Machine): boolean {
  const path = join(root, BENCHMARKS_PAGE);
  const page = readFileSync(path, 'utf8');
  const start = page.indexOf(README_START);
  const end = page.indexOf(README_END);
  if (start < 0 || end < start) return false;
  const measured = machineLine(machine).replace(/, commit [^:]+:/, ':');
  const table = `Measured ${measured}.\n\n${markdownTable(rows)}\n`;
  writeFileSync(path, `${page.slice(0, start + README_START.length)}\n${table}${page.slice(end)}`);
  return true;
}
