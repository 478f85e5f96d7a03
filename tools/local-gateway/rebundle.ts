import { build } from 'esbuild';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { LAMBDA_BUNDLE_FILE, lambdaBundleOptions } from '../../lib/bundled-function';

/** Which sources went into a function's bundle, read from the bundle's own source map. */
export interface BundleSources {
  /** The function's folder under lambda/ (its entry is lambda/<folder>/handler.ts). */
  readonly folder: string;
  /** Absolute paths of every source file in the bundle. */
  readonly files: ReadonlySet<string>;
}

/**
 * The source files of a synthesized asset, from its `index.js.map` (NodejsFunction writes one with
 * `sourceMap: true`): a change to any of them, and only those, calls for a rebundle.
 * @returns undefined when the asset has no source map or its entry is not lambda/<folder>/handler.ts
 */
export function bundleSources(assetDir: string, root: string): BundleSources | undefined {
  const mapFile = join(assetDir, 'index.js.map');
  if (!existsSync(mapFile)) return undefined;
  const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources?: string[]; sourceRoot?: string };
  const files = new Set((map.sources ?? []).map((source) => resolve(assetDir, map.sourceRoot ?? '', source)));
  for (const file of files) {
    const match = /^lambda\/([^/]+)\/handler\.ts$/.exec(relative(root, file).split(sep).join('/'));
    if (match) return { folder: match[1], files };
  }
  return undefined;
}

/**
 * Bundles lambda/<folder> with the options `cdk synth` uses (lambdaBundleOptions of
 * lib/bundled-function.ts, so they cannot drift) into a fresh folder under `outRoot`, and returns
 * that folder.
 */
export async function rebundle(folder: string, outRoot: string): Promise<string> {
  mkdirSync(outRoot, { recursive: true });
  const outDir = mkdtempSync(join(outRoot, `${folder}-`));
  try {
    await build({ ...lambdaBundleOptions(folder, join(outDir, LAMBDA_BUNDLE_FILE)), logLevel: 'silent' });
    return outDir;
  } catch (error) {
    rmSync(outDir, { recursive: true, force: true });
    throw error;
  }
}
