#!/usr/bin/env node
/**
 * `npm run build` (and `npm pack`, through `prepack`): the library's entry point in `dist/`.
 * tsc (TypeScript 7, native) emits the JavaScript and the type declarations of lib/ and the rules
 * it imports; esbuild bundles each of the package's own Lambda functions with the options
 * `cdk synth` uses in this repository, so an installed package deploys them without esbuild or
 * their dependencies. See docs/library.md.
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LAMBDA_BUNDLE_FILE, LAMBDA_SOURCE_FILE, lambdaBundleOptions } from '../../lib/bundled-function';

const ROOT = join(__dirname, '..', '..');
export const DIST = join(ROOT, 'dist');
const BUILD_TSCONFIG = 'tsconfig.build.json';
/** What the package's `main` and `types` point at: the build fails rather than pack without them. */
const ENTRY_POINT = ['lib/index.js', 'lib/index.d.ts'];

class BuildError extends Error {}

/** Nothing of an earlier build survives: a file removed from lib/ must not linger in the package. */
function clean(): void {
  rmSync(DIST, { recursive: true, force: true });
}

function compileLibrary(): void {
  // TypeScript 7 has no JavaScript API and exports no bin path: its package.json leads to the launcher.
  const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', BUILD_TSCONFIG], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new BuildError(`tsc -p ${BUILD_TSCONFIG} failed (exit ${result.status})`);
  const missing = ENTRY_POINT.filter((file) => !existsSync(join(DIST, file)));
  if (missing.length > 0) throw new BuildError(`tsc did not emit ${missing.join(', ')} in ${DIST}`);
}

/** Every folder of lambda/ holding a handler: a function added there is bundled without listing it. */
export function functionFolders(lambdaDir: string = join(ROOT, 'lambda')): string[] {
  return readdirSync(lambdaDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(lambdaDir, entry.name, LAMBDA_SOURCE_FILE)))
    .map((entry) => entry.name)
    .sort();
}

/** The same esbuild options `cdk synth` uses in this repository (lambdaBundleOptions). */
async function bundleFunction(folder: string): Promise<void> {
  await build(lambdaBundleOptions(folder, join(DIST, 'lambda', folder, LAMBDA_BUNDLE_FILE)));
}

async function main(): Promise<void> {
  clean();
  compileLibrary();
  const folders = functionFolders();
  for (const folder of folders) await bundleFunction(folder);
  console.log(`Built ${DIST}: lib/index.js, lib/index.d.ts; Lambda bundles: ${folders.join(', ')}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    // esbuild has already printed its own diagnostics; this names the step that stopped.
    console.error(`Error: build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
