import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../../tools/cli/command-line';
import { readToken, type TokenIo, tokenSourceOf } from '../../../tools/cli/token-input';
import { parseArgs as parseDoctorArgs } from '../../../tools/doctor/args';

const TOOL = { command: 'npm run doctor --', envName: 'DOCTOR_TOKEN' };

function io(overrides: Partial<TokenIo> = {}): TokenIo & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    readStdin: async () => '',
    stdinIsTty: true,
    env: {},
    warn: (line) => warnings.push(line),
    warnings,
    ...overrides,
  };
}

describe('tokens come from places that never echo them', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'token-input-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the environment variable, when no flag names a source', async () => {
    const source = tokenSourceOf({}, { DOCTOR_TOKEN: 'Bearer a.b.c' }, 'DOCTOR_TOKEN');
    expect(source).toEqual({ kind: 'env', name: 'DOCTOR_TOKEN' });
    const sink = io({ env: { DOCTOR_TOKEN: 'Bearer a.b.c' } });
    if (!source) throw new Error('no token source');
    await expect(readToken(source, sink, TOOL)).resolves.toBe('a.b.c');
    expect(sink.warnings).toEqual([]);
  });

  test('a file, trimmed, Bearer prefix accepted', async () => {
    const file = join(dir, 'token.jwt');
    writeFileSync(file, 'Bearer x.y.z\n');
    await expect(readToken({ kind: 'file', path: file }, io(), TOOL)).resolves.toBe('x.y.z');
  });

  test('standard input, when piped', async () => {
    const sink = io({ stdinIsTty: false, readStdin: async () => 'p.q.r\n' });
    await expect(readToken({ kind: 'stdin' }, sink, TOOL)).resolves.toBe('p.q.r');
  });

  test('--token still works, with a warning that names the ways that do not echo, never the token', async () => {
    const sink = io();
    await expect(readToken({ kind: 'inline', value: 'secret.token.value' }, sink, TOOL)).resolves.toBe(
      'secret.token.value',
    );
    expect(sink.warnings).toEqual([
      'WARNING: --token puts the token on the command line, where npm prints it and the shell history keeps it. ' +
        'Use DOCTOR_TOKEN=..., --token-file <path> or --token-stdin instead.',
    ]);
  });

  test.each<[string, Parameters<typeof readToken>[0], Partial<TokenIo>, string]>([
    [
      'an empty variable',
      { kind: 'env', name: 'DOCTOR_TOKEN' },
      { env: { DOCTOR_TOKEN: ' ' } },
      'DOCTOR_TOKEN: the token is empty',
    ],
    [
      'stdin on a terminal',
      { kind: 'stdin' },
      {},
      '--token-stdin needs the token piped in, e.g. echo "$TOKEN" | npm run doctor -- --token-stdin',
    ],
    [
      'white space inside',
      { kind: 'stdin' },
      { stdinIsTty: false, readStdin: async () => 'a.b c.d' },
      '--token-stdin: the token contains white space (pass the access_token value alone)',
    ],
  ])('%s is refused', async (_name, source, overrides, message) => {
    await expect(readToken(source, io(overrides), TOOL)).rejects.toThrow(new UsageError(message));
  });

  test('a flag wins over the variable; two flags are a usage error', () => {
    expect(parseDoctorArgs(['--token-stdin'], { DOCTOR_TOKEN: 't' }).token).toEqual({ kind: 'stdin' });
    expect(() => parseDoctorArgs(['--token-file', 'f', '--token-stdin'])).toThrow(
      new UsageError('give one token: --token, --token-file and --token-stdin exclude each other'),
    );
  });
});
