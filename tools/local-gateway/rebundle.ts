import { build } from 'esbuild';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { bundledFunctionProps } from '../../lib/bundled-function';

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
 * Bundles lambda/<folder> with the options NodejsFunction gets from lib/bundled-function.ts (read
 * from it, so they cannot drift) into a fresh folder under `outRoot`, and returns that folder.
 * NodejsFunction itself adds `--bundle --platform=node --outfile=index.js`.
 */
export async function rebundle(folder: string, outRoot: string): Promise<string> {
  const props = bundledFunctionProps(folder);
  const bundling = props.bundling ?? {};
  mkdirSync(outRoot, { recursive: true });
  const outDir = mkdtempSync(join(outRoot, `${folder}-`));
  try {
    await build({
      entryPoints: [props.entry ?? join('lambda', folder, 'handler.ts')],
      bundle: true,
      platform: 'node',
      outfile: join(outDir, 'index.js'),
      target: bundling.target,
      minify: bundling.minify,
      sourcemap: bundling.sourceMap,
      format: bundling.format === OutputFormat.ESM ? 'esm' : 'cjs',
      external: bundling.externalModules ?? [],
      logLevel: 'silent',
    });
    return outDir;
  } catch (error) {
    rmSync(outDir, { recursive: true, force: true });
    throw error;
  }
}
