import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesize } from '../../../tools/local-gateway/synth';

/**
 * A stand-in project whose bin/app.ts copies a prepared cloud assembly into CDK_OUTDIR (or fails):
 * what synthesize() does around the app, without the cost of the real synth.
 */
function fakeProject(app: string): string {
  const root = mkdtempSync(join(tmpdir(), 'synth-swap-'));
  mkdirSync(join(root, 'bin'));
  writeFileSync(join(root, 'cdk.json'), JSON.stringify({ context: { fromCdkJson: 'yes' } }));
  writeFileSync(join(root, 'bin', 'app.ts'), app);
  symlinkSync(join(__dirname, '..', '..', '..', 'node_modules'), join(root, 'node_modules'));
  return root;
}

const MISBEHAVING_ASSEMBLY = join(__dirname, '..', '..', 'fixtures', 'misbehaving-assembly');
const WRITES_ASSEMBLY = `
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { writeMisbehavingAssembly } from ${JSON.stringify(MISBEHAVING_ASSEMBLY)};
const out = process.env.CDK_OUTDIR as string;
const context = JSON.parse(process.env.CDK_CONTEXT_JSON as string);
if (context.fromCdkJson !== 'yes' || context.env !== 'dev') throw new Error('context not merged');
const assembly = writeMisbehavingAssembly();
cpSync(assembly, out, { recursive: true });
rmSync(assembly, { recursive: true, force: true });
writeFileSync(out + '/context-seen.json', process.env.CDK_CONTEXT_JSON as string);
`;

/** The context the stand-in app was given, as it wrote it into the synthesis. */
const contextSeen = (outDir: string) => JSON.parse(readFileSync(join(outDir, 'context-seen.json'), 'utf8'));

describe('npm start synthesizes through a temporary folder renamed into place', () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const request = (outDir: string) => ({ root, context: { env: 'dev' }, stackName: 'Fixture', outDir });
  const siblings = () => readdirSync(join(root, '.local')).sort();

  test('a good synthesis replaces the folder whole, with -c values on top of cdk.json', async () => {
    root = fakeProject(WRITES_ASSEMBLY);
    const outDir = join(root, '.local', 'cdk.out');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'stale.json'), '{}');
    const outcome = await synthesize(request(outDir));
    expect(outcome.ok && outcome.model.routes.length).toBeGreaterThan(0);
    expect(existsSync(join(outDir, 'stale.json'))).toBe(false);
    expect(existsSync(join(outDir, 'manifest.json'))).toBe(true);
    expect(siblings()).toEqual(['cdk.out']);
    expect(contextSeen(outDir)).toMatchObject({ fromCdkJson: 'yes', env: 'dev', nagChecks: false });
  }, 60_000);

  test('cdk-nag is off unless -c nagChecks says otherwise', async () => {
    root = fakeProject(WRITES_ASSEMBLY);
    const outDir = join(root, '.local', 'cdk.out');
    const outcome = await synthesize({ ...request(outDir), context: { env: 'dev', nagChecks: 'true' } });
    expect(outcome.ok).toBe(true);
    expect(contextSeen(outDir)).toMatchObject({ nagChecks: 'true' });
  }, 60_000);

  test.each([
    ['the app fails', "throw new Error('synth broke');\n", /synth failed \(exit 1\):[\s\S]*synth broke/],
    [
      'the app writes an assembly without an HTTP API',
      // The fixture app's own source: its join() calls read CDK_OUTDIR when it runs.
      "import { writeFileSync } from 'node:fs';\n" +
        "import { join } from 'node:path';\n" +
        'const out = process.env.CDK_OUTDIR as string;\n' +
        "writeFileSync(join(out, 'manifest.json'), JSON.stringify({ artifacts: { Fixture: { type: " +
        "'aws:cloudformation:stack' } } }));\n" +
        "writeFileSync(join(out, 'Fixture.template.json'), '{\"Resources\":{}}');\n",
      /must hold exactly one AWS::ApiGatewayV2::Api, found 0/,
    ],
  ])(
    '%s: the last good build stays as it was and nothing is left behind',
    async (_name, app, error) => {
      root = fakeProject(app);
      const outDir = join(root, '.local', 'cdk.out');
      mkdirSync(outDir, { recursive: true });
      writeFileSync(join(outDir, 'manifest.json'), '{"last":"good"}');
      const outcome = await synthesize(request(outDir));
      expect(outcome.ok).toBe(false);
      expect(outcome.ok ? '' : outcome.error).toMatch(error);
      expect(readFileSync(join(outDir, 'manifest.json'), 'utf8')).toBe('{"last":"good"}');
      expect(siblings()).toEqual(['cdk.out']);
    },
    60_000,
  );
});
