import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import {
  type CliIo,
  type CommandSpec,
  commandLineOrExit,
  parseCommandLine,
  UsageError,
  usage,
} from '../../../tools/cli/command-line';
import { ALL_COMMANDS, ENTRY_POINTS, START_COMMAND } from '../../../tools/cli/commands';
import { runDoctorCli } from '../../../tools/doctor/doctor';
import { main as smokeMain } from '../../../tools/smoke/smoke';
import { toolOf } from '../../support/doc-commands';
import { writeMisbehavingAssembly } from '../../fixtures/misbehaving-assembly';
import { TYPESCRIPT_NODE_ARGS } from '../../../tools/cli/node-args';

const ROOT = join(__dirname, '..', '..', '..');
const SCRIPTS = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
  .scripts;
const TOOLS = Object.keys(ALL_COMMANDS) as (keyof typeof ALL_COMMANDS)[];

function run(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...TYPESCRIPT_NODE_ARGS, script, ...args], {
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

/** What a tool's entry point writes and the exit code it asks for, without a process. */
function captured(): { io: CliIo; out: { stdout: string; stderr: string; code?: number } } {
  const out: { stdout: string; stderr: string; code?: number } = { stdout: '', stderr: '' };
  class Exit extends Error {}
  const io: CliIo = {
    stdout: (text) => (out.stdout += text),
    stderr: (text) => (out.stderr += text),
    exit: (code) => {
      out.code = code;
      throw new Exit();
    },
  };
  return { io, out };
}

// One real process per entry point: the wiring (its npm script, its spec, exit 0). What the shared
// parser does with each spec is tested in process below, so no tool is started twice.
describe.each(TOOLS)('%s (real process)', (tool) => {
  test('its npm script runs its entry point, whose --help prints its usage and exits 0', async () => {
    expect(toolOf(SCRIPTS[tool])).toBe(ENTRY_POINTS[tool]);
    const result = await run(ENTRY_POINTS[tool], ['--help']);
    expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({
      code: 0,
      stdout: usage(ALL_COMMANDS[tool]),
      stderr: '',
    });
  }, 60_000);
});

describe.each(TOOLS)('%s usage', (tool) => {
  const spec = ALL_COMMANDS[tool];

  test('lists every flag with its description and default', () => {
    const text = usage(spec);
    // A flag's entry: its line and the indented lines that continue it.
    const flagsPart = text.split('\n\nflags:\n')[1].split('\n\n')[0];
    const entries = flagsPart.split(/\n(?= {2}-)/).map((entry) => entry.replace(/\n\s+/g, ' '));
    for (const [name, flag] of Object.entries(spec.flags)) {
      const entry = entries.find((line) => new RegExp(`^  (-., )?--${name}( |$)`).test(line));
      expect(entry).toContain(flag.description);
      expect(entry).toMatch(/\(default: [^)]+\)$/);
    }
  });
});

describe('an unknown flag: the mistake and the usage on standard error, exit 2, no stack trace', () => {
  const expectRefusal = (out: { stdout: string; stderr: string; code?: number }, tool: keyof typeof ALL_COMMANDS) => {
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain('unknown flag --no-such-flag');
    expect(out.stderr).toContain(usage(ALL_COMMANDS[tool]));
    expect(out.stderr).not.toMatch(/\n\s+at /);
  };

  test.each(['start', 'gateway', 'idp', 'backend', 'bench'] as const)('%s (the shared commandLineOrExit)', (tool) => {
    const { io, out } = captured();
    const spec: CommandSpec = ALL_COMMANDS[tool];
    expect(() => commandLineOrExit(tool, spec, ['--no-such-flag'], io)).toThrow();
    expectRefusal(out, tool);
  });

  test('doctor', async () => {
    const { io, out } = captured();
    const code = await runDoctorCli(['--no-such-flag'], {
      stdout: io.stdout,
      stderr: io.stderr,
      env: {},
      readStdin: () => Promise.reject(new Error('no standard input here')),
      stdinIsTty: true,
    });
    expectRefusal({ ...out, code }, 'doctor');
    expect(out.stderr).toBe(`doctor: unknown flag --no-such-flag\n\n${usage(ALL_COMMANDS.doctor)}`);
  });

  test('smoke', async () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const logs = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const written = (spy: jest.SpyInstance) => spy.mock.calls.map((call) => String(call[0])).join('\n');
    try {
      const code = await smokeMain(['--no-such-flag'], {});
      expectRefusal({ stdout: written(logs), stderr: written(errors), code }, 'smoke');
    } finally {
      errors.mockRestore();
      logs.mockRestore();
    }
  });
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
