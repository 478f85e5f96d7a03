import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { parseCommandLine, UsageError, usage } from '../../../tools/cli/command-line';
import { ALL_COMMANDS, START_COMMAND } from '../../../tools/cli/commands';
import { writeMisbehavingAssembly } from '../../fixtures/misbehaving-assembly';

const ROOT = join(__dirname, '..', '..', '..');
const ENTRY_POINTS: Record<keyof typeof ALL_COMMANDS, string> = {
  start: 'tools/local-gateway/start.ts',
  gateway: 'tools/local-gateway/cli.ts',
  idp: 'tools/local-idp/cli.ts',
  backend: 'tools/local-backend/cli.ts',
  doctor: 'tools/doctor/cli.ts',
  smoke: 'tools/smoke/smoke.ts',
  bench: 'tools/bench/run.ts',
};

function run(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.each(Object.entries(ENTRY_POINTS))('%s (real process)', (tool, script) => {
  const spec = ALL_COMMANDS[tool as keyof typeof ALL_COMMANDS];

  test('--help lists every flag with its default and exits 0', async () => {
    const result = await run(script, ['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(usage(spec));
    for (const [name, flag] of Object.entries(spec.flags)) {
      // A flag's entry: its line and the indented lines that continue it.
      const flagsPart = result.stdout.split('\n\nflags:\n')[1].split('\n\n')[0];
      const entries = flagsPart.split(/\n(?= {2}-)/).map((entry) => entry.replace(/\n\s+/g, ' '));
      const entry = entries.find((text) => new RegExp(`^  (-., )?--${name}( |$)`).test(text));
      expect(entry).toContain(flag.description);
      expect(entry).toMatch(/\(default: [^)]+\)$/);
    }
  }, 60_000);

  test('an unknown flag prints the usage and exits 2, without a stack trace', async () => {
    const result = await run(script, ['--no-such-flag']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('unknown flag --no-such-flag');
    expect(result.stderr).toContain(usage(spec));
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});

describe('the one parser', () => {
  const parse = (argv: string[]) => parseCommandLine(START_COMMAND, argv);

  test('defaults, typed values, -c pairs as cdk takes them, absolute paths', () => {
    const { values, help } = parse(['-c', 'env=staging', '--context=audiences=a,b', '--port', '0', '--out-dir', 'x']);
    expect(help).toBe(false);
    expect(values).toEqual({
      context: { env: 'staging', audiences: 'a,b' },
      port: 0,
      'idp-port': 9443,
      host: '127.0.0.1',
      'out-dir': join(process.cwd(), 'x'),
      'skip-synth': false,
      'no-watch': false,
      'runtimes-per-function': 4,
    });
  });

  test.each<[string[], string]>([
    [['--port', '65536'], '--port must be an integer from 0 to 65535, got "65536"'],
    [['--idp-port', 'abc'], '--idp-port must be an integer from 0 to 65535, got "abc"'],
    [['--runtimes-per-function', '0'], '--runtimes-per-function must be an integer from 1 to up, got "0"'],
    [['-c', 'env'], '-c needs key=value, got "env"'],
    [['--port'], '--port needs a value'],
    [['--port', '--skip-synth'], '--port needs a value'],
    [['--skip-synth=yes'], '--skip-synth takes no value'],
    [['--prot', '1'], 'unknown flag --prot'],
    [['stray'], 'unexpected argument stray: every value belongs to a flag'],
    [['--out-dir', ''], '--out-dir needs a path, got an empty string'],
  ])('%j is refused: %s', (argv, message) => {
    expect(() => parse(argv)).toThrow(new UsageError(message));
  });

  test('-h and --help ask for the usage', () => {
    expect(parse(['-h']).help).toBe(true);
    expect(parse(['--help']).help).toBe(true);
  });
});

test('docs/local-tools.md lists every npm start flag exactly as --help prints it', () => {
  const page = readFileSync(join(ROOT, 'docs', 'local-tools.md'), 'utf8');
  expect(page).toContain(`\`\`\`text\n${usage(START_COMMAND)}\`\`\``);
});

describe('a busy port names the flag that changes it', () => {
  test.each([
    ['start', 'tools/local-gateway/start.ts', '--idp-port', "port PORT (the identity provider's) is already in use"],
    ['gateway', 'tools/local-gateway/cli.ts', '--port', 'port PORT is already in use'],
    ['idp', 'tools/local-idp/cli.ts', '--port', 'port PORT is already in use'],
  ])(
    '%s',
    async (_tool, script, flag, message) => {
      const busy = createServer();
      await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
      const port = String((busy.address() as AddressInfo).port);
      const assembly = writeMisbehavingAssembly();
      try {
        const extra = script.endsWith('local-gateway/cli.ts') ? ['--cdk-out', assembly] : [];
        const result = await run(script, [flag, port, ...extra]);
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(message.replace('PORT', port));
        expect(result.stderr).toMatch(new RegExp(`pick another port with ${flag}\\b`));
        expect(result.stderr).not.toMatch(/\n\s+at /);
      } finally {
        busy.close();
        rmSync(assembly, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
