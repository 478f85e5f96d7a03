/** Where the project is, temp dirs, and the environment every child process of the bench gets. */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..', '..');

const tempDirs: string[] = [];

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `wso2-bench-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

export function cleanTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** What the app and `npm start` run from (sources and manifests; node_modules is linked, not copied). */
const PROJECT_SOURCES = [
  'bin',
  'lib',
  'lambda',
  'rules',
  'tools',
  'cdk.json',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
];

/** Copies the project into `dir` (an empty folder) to be edited freely; returns `dir`. */
export function copyProjectSources(dir: string): string {
  for (const entry of PROJECT_SOURCES) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

/**
 * The bench runs offline: no version check, no telemetry (cdk.json turns notices and telemetry
 * off too). NODE_OPTIONS is dropped so nothing of the bench's own loader leaks into what it times.
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CDK_DISABLE_VERSION_CHECK: '1',
    CDK_DISABLE_CLI_TELEMETRY: '1',
    ...extra,
  };
  delete env.NODE_OPTIONS;
  return env;
}

/** Whether cdk-nag (issue 5) is wired into this checkout's synth: a dependency, imported by bin/ or lib/. */
export function cdkNagStatus(root = ROOT): { installed: boolean; applied: boolean } {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<
    string,
    Record<string, string> | undefined
  >;
  const installed = Boolean(pkg.dependencies?.['cdk-nag'] ?? pkg.devDependencies?.['cdk-nag']);
  const sources = [...listFiles(join(root, 'bin')), ...listFiles(join(root, 'lib'))].filter((file) =>
    file.endsWith('.ts'),
  );
  const applied = sources.some((file) =>
    /from ['"]cdk-nag['"]|require\(['"]cdk-nag['"]\)/.test(readFileSync(file, 'utf8')),
  );
  return { installed, applied };
}

export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
