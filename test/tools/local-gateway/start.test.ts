import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { copyProjectSources } from '../../../tools/bench/support/project';
import { seedCertDir } from '../../support/test-keys';
import { TYPESCRIPT_NODE_ARGS } from '../../../tools/cli/node-args';

/** Every file under `dir` with its content hash: equal trees give equal strings. */
function treeDigest(dir: string): string {
  const lines: string[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else lines.push(`${relative(dir, path)} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`);
    }
  };
  walk(dir);
  return lines.join('\n');
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  tries = 200,
  output: readonly string[] = [],
): Promise<T> {
  for (let i = 0; i < tries; i += 1) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}; output so far:\n${output.join('\n')}`);
}

describe('npm start: its own output folder and hot reload', () => {
  let project: string;
  let child: ChildProcess;
  const lines: string[] = [];
  let gatewayUrl: string;
  let cdkOutBefore: string;

  beforeAll(async () => {
    project = copyProjectSources(mkdtempSync(join(tmpdir(), 'npm-start-')));
    await seedCertDir(join(project, '.local-certs'));
    // A cdk.out of the developer's own, which npm start must not touch.
    mkdirSync(join(project, 'cdk.out', 'asset.mine'), { recursive: true });
    writeFileSync(join(project, 'cdk.out', 'manifest.json'), '{"mine":true}\n');
    writeFileSync(join(project, 'cdk.out', 'asset.mine', 'index.js'), 'exports.handler = () => 1;\n');
    cdkOutBefore = treeDigest(join(project, 'cdk.out'));

    child = spawn(
      process.execPath,
      [...TYPESCRIPT_NODE_ARGS, 'tools/local-gateway/start.ts', '--port', '0', '--idp-port', '0'],
      {
        cwd: project,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const { stdout, stderr } = child;
    if (!stdout || !stderr) throw new Error('the child has no output pipes');
    createInterface({ input: stderr }).on('line', (line) => lines.push(line));
    createInterface({ input: stdout }).on('line', (line) => lines.push(line));
    const ready = await until(
      'npm-start ready',
      () => lines.find((line) => line.startsWith('npm-start ready ')),
      600,
      lines,
    );
    gatewayUrl = JSON.parse(ready.slice('npm-start ready '.length)).gateway;
  }, 90_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(project, { recursive: true, force: true });
  });

  const health = async () => (await (await fetch(`${gatewayUrl}/health`)).json()) as { status: string };
  const linesAfter = (start: number) => lines.slice(start);

  test('serves the synthesized API from .local/cdk.out', async () => {
    expect(await health()).toEqual({ status: 'ok' });
    expect(readdirSync(join(project, '.local', 'cdk.out'))).toContain('manifest.json');
  });

  test('an edited handler is served without a restart, with one line saying what changed', async () => {
    const routes = join(project, 'lambda', 'api', 'routes.ts');
    const start = lines.length;
    writeFileSync(routes, readFileSync(routes, 'utf8').replace("status: 'ok'", "status: 'edited'"));
    await until('the new body', async () => ((await health()).status === 'edited' ? true : undefined));
    const reload = await until('the reload line', () => linesAfter(start).find((line) => line.startsWith('reload:')));
    expect(reload).toMatch(/^reload: lambda\/api\/routes\.ts changed; rebundled ApiFunction[0-9A-F]* in \d+ ms$/);
  }, 30_000);

  test('a broken edit prints the error and keeps the last good build serving', async () => {
    const routes = join(project, 'lambda', 'api', 'routes.ts');
    const start = lines.length;
    writeFileSync(routes, `${readFileSync(routes, 'utf8')}\nexport const broken = ;\n`);
    const failed = await until('the failure line', () =>
      linesAfter(start).find((line) => line.startsWith('reload FAILED:')),
    );
    expect(failed).toMatch(/^reload FAILED: lambda\/api\/routes\.ts changed; the bundle failed after \d+ ms/);
    expect(linesAfter(start).join('\n')).toMatch(/Unexpected ";"/);
    expect(await health()).toEqual({ status: 'edited' });
  }, 30_000);

  test('an infrastructure edit re-synthesizes and swaps the served model', async () => {
    const routes = join(project, 'lambda', 'api', 'routes.ts');
    writeFileSync(routes, readFileSync(routes, 'utf8').replace('\nexport const broken = ;\n', '\n'));
    const start = lines.length;
    const cdkJson = join(project, 'cdk.json');
    writeFileSync(cdkJson, `${readFileSync(cdkJson, 'utf8').trimEnd()}\n\n`);
    const reload = await until(
      'the re-synth line',
      () => linesAfter(start).find((line) => line.includes('re-synthesized')),
      600,
    );
    expect(reload).toMatch(/^reload: .*cdk\.json.* changed; re-synthesized Wso2JwtHttpApi-dev in \d+ ms$/);
    expect(await health()).toEqual({ status: 'edited' });
  }, 90_000);

  test('leaves cdk.out byte for byte as it was', () => {
    expect(treeDigest(join(project, 'cdk.out'))).toBe(cdkOutBefore);
  });
});
