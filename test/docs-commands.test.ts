/**
 * The README and docs/ are instructions: every `npm run X`, `npm start`, `npm test` and `npx X`
 * they show must work. This reads those commands and checks the npm script exists, each flag
 * given after `--` is one the tool's `--help` lists, and each npx binary is installed. Flags of
 * third-party CLIs (cdk, jest, tsc, biome) are theirs to check.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { usage } from '../tools/cli/command-line';
import { ALL_COMMANDS, ENTRY_POINTS } from '../tools/cli/commands';
import { commandsIn, type DocCommand, flagsInUsage, flagsOf, toolOf } from './support/doc-commands';

const ROOT = join(__dirname, '..');
const SCRIPTS = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
  .scripts;
const PAGES = ['README.md', ...readdirSync(join(ROOT, 'docs')).map((name) => `docs/${name}`)].filter((page) =>
  page.endsWith('.md'),
);
const COMMANDS = PAGES.flatMap((page) => commandsIn(page, readFileSync(join(ROOT, page), 'utf8')));

/**
 * The flags a tool's --help lists, from its spec: test/tools/cli/command-line.test.ts runs every
 * entry point with --help and checks it prints exactly `usage(spec)`. `--help` itself is a flag.
 */
function usageOf(tool: string): Set<string> | undefined {
  const name = (Object.keys(ENTRY_POINTS) as (keyof typeof ENTRY_POINTS)[]).find((key) => ENTRY_POINTS[key] === tool);
  return name === undefined ? undefined : new Set([...flagsInUsage(usage(ALL_COMMANDS[name])), '--help']);
}

describe('commands in README.md and docs/', () => {
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
      if (tool === undefined || command.flags.length === 0) return [];
      const known = usageOf(tool);
      if (!known) return [`${located(command)}: ${tool} has no command spec in tools/cli/commands.ts`];
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

  test("a script's tool and a usage text's flags", () => {
    expect(toolOf('node --require ./tools/cli/register-typescript.cjs tools/doctor/cli.ts')).toBe(
      'tools/doctor/cli.ts',
    );
    expect(toolOf('node --require tsx/cjs tools/doctor/cli.ts')).toBeUndefined();
    // tsx's ESM hook is not how this project runs (tools/cli/node-args.ts)
    expect(toolOf('node --import tsx tools/smoke/smoke.ts')).toBeUndefined();
    expect(toolOf('biome check .')).toBeUndefined();
    expect([...flagsInUsage('usage: npm run x -- [-c key=value] [--token-file <path>] [--json]')]).toEqual([
      '-c',
      '--token-file',
      '--json',
    ]);
  });
});

function located(command: DocCommand): string {
  return `${command.where} ${command.text}`;
}
