/**
 * The allowed directions between the layers of the tree:
 *   bin -> lib, rules;  lib -> rules;  lambda/<name> -> its own folder, rules;
 *   tools -> lib, rules;  rules -> nothing of the app.
 */
export type Layer = 'bin' | 'lib' | 'lambda' | 'rules' | 'tools';

const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  bin: ['bin', 'lib', 'rules'],
  lib: ['lib', 'rules'],
  lambda: ['lambda', 'rules'],
  rules: ['rules'],
  tools: ['tools', 'lib', 'rules'],
};

/** Packages that only belong to the infrastructure code: never in Lambda code or the rules. */
const INFRASTRUCTURE_PACKAGES = ['aws-cdk-lib', 'constructs', 'cdk-nag', 'aws-cdk', 'esbuild'];

function layerOf(path: string): Layer | undefined {
  const top = path.split('/')[0];
  return (Object.keys(MAY_IMPORT) as Layer[]).find((layer) => layer === top);
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export interface ImportEdge {
  /** The importing file, relative to the repository root with `/` separators. */
  readonly file: string;
  readonly specifier: string;
  /** For a relative specifier: the path it resolves to, relative to the root. */
  readonly target: string | undefined;
  readonly builtins: readonly string[];
}

/** Why this import crosses a boundary, or undefined when it is allowed. */
export function forbiddenImport({ file, specifier, target, builtins }: ImportEdge): string | undefined {
  const from = layerOf(file);
  if (!from) return undefined;
  if (target === undefined) {
    if (specifier.startsWith('node:') || builtins.includes(specifier)) return undefined;
    const name = packageName(specifier);
    if ((from === 'lambda' || from === 'rules') && INFRASTRUCTURE_PACKAGES.includes(name)) {
      return `${file} (${from}) must not import the package ${specifier}`;
    }
    return undefined;
  }
  const to = layerOf(target) ?? 'outside';
  const sameFunction = from !== 'lambda' || to !== 'lambda' || file.split('/')[1] === target.split('/')[1];
  if (to !== 'outside' && MAY_IMPORT[from].includes(to) && sameFunction) return undefined;
  return `${file} (${from}) must not import ${specifier} (${to})`;
}

/** Every module specifier a TypeScript or JavaScript source imports, re-exports or requires. */
export function importSpecifiers(source: string): string[] {
  const statement = /(?:\bimport|\bexport)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]/;
  const call = /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/;
  const pattern = new RegExp(`${statement.source}|${call.source}`, 'g');
  return [...source.matchAll(pattern)].map((match) => match[1] ?? match[2]);
}
