/**
 * The README and docs/ are instructions: every `npm run X`, `npm start`, `npm test` and `npx X`
 * they show must work. This reads those commands and checks the npm script exists, each flag
 * given after `--` is one the tool's `--help` lists, and each npx binary is installed. Flags of
 * third-party CLIs (cdk, jest, tsc, biome) are theirs to check.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { commandsIn, type DocCommand, flagsInSource, flagsInUsage, flagsOf, toolOf } from './support/doc-commands';

const ROOT = join(__dirname, '..');
const SCRIPTS = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
  .scripts;
const PAGES = ['README.md', ...readdirSync(join(ROOT, 'docs')).map((name) => `docs/${name}`)].filter((page) =>
  page.endsWith('.md'),
);
const COMMANDS = PAGES.flatMap((page) => commandsIn(page, readFileSync(join(ROOT, page), 'utf8')));

/** What each tool prints for `--help` (stdout and stderr: some print usage on an unknown flag). */
async function usageOf(tool: string): Promise<Set<string>> {
  const run = promisify(execFile);
  let text: string;
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', tool, '--help'], {
      cwd: ROOT,
      timeout: 60_000,
    });
    text = `${stdout}\n${stderr}`;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    text = `${failed.stdout ?? ''}\n${failed.stderr ?? ''}`;
  }
  // A usage text answers --help, so --help itself is a flag the tool knows.
  if (/(^|\()usage:/im.test(text)) return new Set([...flagsInUsage(text), '--help']);
  return flagsInSource(readFileSync(join(ROOT, tool), 'utf8'));
}

describe('commands in README.md and docs/', () => {
  const usages = new Map<string, Set<string>>();

  beforeAll(async () => {
    const tools = [
      ...new Set(
        COMMANDS.filter((command) => command.flags.length > 0)
          .map((command) => toolOf(SCRIPTS[command.name] ?? ''))
          .filter((tool): tool is string => tool !== undefined),
      ),
    ];
    const found = await Promise.all(tools.map(async (tool) => [tool, await usageOf(tool)] as const));
    for (const [tool, flags] of found) usages.set(tool, flags);
  }, 90_000);

  test('the pages show commands at all (the reader works)', () => {
    expect(COMMANDS.some((command) => command.text.startsWith('npm start'))).toBe(true);
    expect(COMMANDS.some((command) => command.text.startsWith('npx cdk synth'))).toBe(true);
  });

  test('every npm script they name is in package.json', () => {
    const missing = COMMANDS.filter((command) => command.kind === 'npm-script' && !(command.name in SCRIPTS));
    expect(missing.map(located)).toEqual([]);
  });

  test("every flag they pass to one of the project's tools is one its --help lists", () => {
    const unknown = COMMANDS.flatMap((command) => {
      const tool = command.kind === 'npm-script' ? toolOf(SCRIPTS[command.name] ?? '') : undefined;
      const known = tool ? usages.get(tool) : undefined;
      if (!known) return [];
      return command.flags.filter((flag) => !known.has(flag)).map((flag) => `${located(command)}: ${flag}`);
    });
    expect(unknown).toEqual([]);
  });

  test('every npx binary they name is installed by package.json', () => {
    const missing = COMMANDS.filter(
      (command) => command.kind === 'npx' && !existsSync(join(ROOT, 'node_modules', '.bin', command.name)),
    );
    expect(missing.map(located)).toEqual([]);
  });
});

describe('reading commands out of Markdown', () => {
  test('npm scripts, their flags after --, and npx binaries; comments and pipes end a command', () => {
    const markdown = [
      'Run `npm run doctor -- -c env=prod --token-file t.jwt` first.',
      'npm start -- --port=0   # a free port',
      'npx cdk synth -c env=dev | tee out.txt',
      'npm test',
    ].join('\n');
    expect(commandsIn('page.md', markdown)).toEqual([
      {
        where: 'page.md:1',
        text: 'npm run doctor -- -c env=prod --token-file t.jwt',
        kind: 'npm-script',
        name: 'doctor',
        flags: ['-c', '--token-file'],
      },
      { where: 'page.md:2', text: 'npm start -- --port=0', kind: 'npm-script', name: 'start', flags: ['--port'] },
      { where: 'page.md:3', text: 'npx cdk synth -c env=dev', kind: 'npx', name: 'cdk', flags: [] },
      { where: 'page.md:4', text: 'npm test', kind: 'npm-script', name: 'test', flags: [] },
    ]);
    expect(flagsOf('-c env=prod')).toEqual([]);
  });

  test("a script's tool, a usage text's flags and a parseArgs call's options", () => {
    expect(toolOf('node --import tsx tools/doctor/cli.ts')).toBe('tools/doctor/cli.ts');
    expect(toolOf('tsx tools/smoke/smoke.ts')).toBe('tools/smoke/smoke.ts');
    expect(toolOf('biome check .')).toBeUndefined();
    expect([...flagsInUsage('usage: npm run x -- [-c key=value] [--token-file <path>] [--json]')]).toEqual([
      '-c',
      '--token-file',
      '--json',
    ]);
    expect([
      ...flagsInSource("parseArgs({ options: { only: { type: 'string' }, context: { type: 'string', short: 'c' } } })"),
    ]).toEqual(['--only', '--context', '-c']);
  });
});

function located(command: DocCommand): string {
  return `${command.where} ${command.text}`;
}
