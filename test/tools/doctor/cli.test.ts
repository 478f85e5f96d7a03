import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeToken, parseArgs, redactToken, USAGE } from '../../../tools/doctor/args';
import { runDoctor } from '../../support/run-doctor';
import { testTempDir } from '../../support/temp-dir';

describe('doctor usage errors: exit 2 with a message naming the flag or value', () => {
  const dir = testTempDir('doctor-cli-');
  const notPem = join(dir, 'not.pem');
  writeFileSync(notPem, 'hello');

  test.each<[string, string[], string]>([
    ['an unknown option', ['--tokne', 'x'], 'doctor: unknown flag --tokne'],
    ['a flag without its value', ['--token'], 'doctor: --token needs a value'],
    ['-c without key=value', ['-c', 'env'], 'doctor: -c needs key=value, got "env"'],
    [
      'two token sources',
      ['--token', 'a.b.c', '--token-stdin'],
      'doctor: give one token: --token, --token-file and --token-stdin exclude each other',
    ],
    [
      'an unknown environment',
      ['-c', 'env=qa'],
      'doctor: Unknown environment "qa" (-c env): known environments are dev, staging, prod',
    ],
    [
      'a non-https issuer override',
      ['-c', 'issuerUrl=http://is.example.com/oauth2/token'],
      'doctor: Environment "dev": issuerUrl (from -c issuerUrl) must use https (API Gateway only fetches keys over ' +
        'HTTPS), got "http://is.example.com/oauth2/token"',
    ],
    [
      'a missing token file',
      ['--token-file', join(dir, 'absent.jwt')],
      `doctor: --token-file ${join(dir, 'absent.jwt')}: cannot read the file (ENOENT)`,
    ],
    [
      'a CA file without a certificate',
      ['--ca-file', notPem],
      `doctor: --ca-file ${notPem}: holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
    ],
    [
      '--token-stdin on a terminal',
      ['--token-stdin'],
      'doctor: --token-stdin needs the token piped in, e.g. echo "$TOKEN" | npm run doctor -- --token-stdin',
    ],
    ['a flag that takes no value given one', ['--json=yes'], 'doctor: --json takes no value'],
  ])('%s', async (_name, argv, message) => {
    // WHEN
    const run = await runDoctor(argv);

    // THEN nothing was checked; a mistake on the command line comes with the usage
    expect(run.code).toBe(2);
    expect([`${message}\n`, `${message}\n\n${USAGE}`]).toContain(run.stderr);
    expect(run.stdout).toBe('');
  });

  test('an empty token from stdin', async () => {
    const run = await runDoctor(['--token-stdin'], { stdin: '  \n' });
    expect(run).toMatchObject({ code: 2, stderr: 'doctor: --token-stdin: the token is empty\n' });
  });

  test('--help prints the usage and exits 0', async () => {
    const run = await runDoctor(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(USAGE);
  });
});

describe('doctor arguments', () => {
  test('-c overrides are collected as cdk reads them, --flag=value accepted', () => {
    expect(
      parseArgs(['-c', 'env=prod', '--context=audiences=a,b', '--json', '--allow-private', '--ca-file=/x.pem']),
    ).toEqual({
      context: { env: 'prod', audiences: 'a,b' },
      json: true,
      caFile: '/x.pem',
      allowPrivate: true,
      help: false,
    });
  });

  test('a token is read as API Gateway reads the header: bare or after Bearer', () => {
    expect(normalizeToken('  Bearer abc.def.ghi\n')).toBe('abc.def.ghi');
    expect(normalizeToken('abc.def.ghi')).toBe('abc.def.ghi');
  });

  test('a token is never shown whole', () => {
    const token = `eyJhbGciOiJSUzI1NiJ9.${'a'.repeat(200)}.sig-end`;
    expect(redactToken(token)).toBe(`eyJhbGci...-end (${token.length} chars)`);
    expect(redactToken('short')).toBe('<5 chars>');
  });
});
