/**
 * Item 1: the Lambda bundle as `cdk synth` builds it. Bytes come from the asset a real
 * `cdk synth` wrote; the dependency count from the metafile of an esbuild run with the same
 * options, as `npm run build` runs it for the package (checked to produce the same bytes).
 */
import { buildSync, type Metafile } from 'esbuild';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { lambdaBundleOptions } from '../../../lib/bundled-function';
import { tempDir } from '../support/project';
import type { Row } from '../support/report';

const GOAL_BYTES = 4 * 1024;

/**
 * The directory of the shared API function's asset in a cloud assembly: the `aws:asset:path` of
 * the template's `ApiFunction*` resource (the stack has other functions, with assets of their own).
 */
export function lambdaAssetDir(outdir: string): string {
  const templates = readdirSync(outdir).filter((name) => name.endsWith('.template.json'));
  for (const name of templates) {
    const template = JSON.parse(readFileSync(join(outdir, name), 'utf8')) as {
      Resources?: Record<string, { Type?: string; Metadata?: Record<string, unknown> }>;
    };
    for (const [id, resource] of Object.entries(template.Resources ?? {})) {
      const path = resource.Metadata?.['aws:asset:path'];
      if (id.startsWith('ApiFunction') && resource.Type === 'AWS::Lambda::Function' && typeof path === 'string') {
        const dir = join(outdir, path);
        if (existsSync(join(dir, 'index.js'))) return dir;
      }
    }
  }
  throw new Error(`no ApiFunction asset with index.js in ${outdir}`);
}

/** The bundle `npm run build` ships (the same options as synth's, lambdaBundleOptions), plus a metafile. */
function esbuildAsPackaged(outdir: string): { bundle: Buffer; meta: Metafile } {
  const outfile = join(outdir, 'index.js');
  const result = buildSync({ ...lambdaBundleOptions('api', outfile), metafile: true });
  if (!result.metafile) throw new Error('esbuild returned no metafile although asked for one');
  return { bundle: readFileSync(outfile), meta: result.metafile };
}

function packageOf(input: string): string | undefined {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return match?.[1];
}

export function benchBundle(outdir: string): { rows: Row[]; bundlePath: string } {
  const assetDir = lambdaAssetDir(outdir);
  const bundlePath = join(assetDir, 'index.js');
  const asset = readFileSync(bundlePath);
  const gzipped = gzipSync(asset, { level: 9 }).length;
  const built = esbuildAsPackaged(tempDir('esbuild'));
  // The asset's last line names its source map the same way; compare everything else.
  const identical = built.bundle.equals(asset);
  const bundled = [
    ...new Set(
      Object.keys(built.meta.inputs)
        .map(packageOf)
        .filter((name): name is string => Boolean(name)),
    ),
  ];
  const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
  const external = [...new Set(Object.values(built.meta.outputs).flatMap((output) => output.imports))]
    .filter((entry) => entry.external && !builtins.has(entry.path))
    .map((entry) => entry.path);
  const runtimeDeps = [...new Set([...bundled, ...external])];
  const inputs = Object.keys(built.meta.inputs).length;
  const sourceMap = existsSync(`${bundlePath}.map`) ? readFileSync(`${bundlePath}.map`).length : 0;
  return {
    bundlePath,
    rows: [
      {
        item: '1',
        measure: 'Lambda bundle, minified (index.js of the synthesized asset)',
        result: `${asset.length.toLocaleString('en')} B`,
        spread: 'exact',
        goal: `≤ ${GOAL_BYTES.toLocaleString('en')} B (4 KB)`,
        verdict: asset.length <= GOAL_BYTES ? 'met' : 'missed',
        note:
          `gzip -9: ${gzipped.toLocaleString('en')} B; source map ${sourceMap.toLocaleString('en')} B beside it; ` +
          `the packaged bundle (npm run build) is the same bytes: ${identical ? 'yes' : 'NO'}`,
        data: { minified: asset.length, gzipped, sourceMap, identical },
      },
      {
        item: '1',
        measure: 'runtime dependencies in the bundle',
        result: String(runtimeDeps.length),
        spread: 'exact',
        goal: '0',
        verdict: runtimeDeps.length === 0 ? 'met' : 'missed',
        note:
          `esbuild metafile: ${inputs} inputs, ${bundled.length} from node_modules` +
          `${runtimeDeps.length ? ` (${runtimeDeps.join(', ')})` : ''}, ${external.length} non-builtin externals`,
        data: { inputs: Object.keys(built.meta.inputs), bundled, external },
      },
    ],
  };
}
