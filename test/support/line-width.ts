import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** The project's maximum line width (biome.json's formatter lineWidth; Biome does not split strings). */
export const MAX_LINE_WIDTH = 120;

/** Folders whose code is checked, and single files at the root. */
const FOLDERS = ['bin', 'lib', 'lambda', 'rules', 'tools', 'test', '.github', '.ci'];
const ROOT_FILES = ['jest.config.js', '.ci/run'];
/** Code, scripts and workflows; JSON data and Markdown prose are not code. */
const CHECKED = /\.(ts|js|mjs|cjs|ya?ml|sh)$/;
const SKIPPED_FOLDERS = new Set(['node_modules', '__snapshots__', 'cdk.out', 'reports']);

function files(root: string, folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) found.push(...files(root, path));
    } else if (entry.isFile() && CHECKED.test(entry.name)) {
      found.push(path);
    }
  }
  return found;
}

/** Every line over the maximum, as `file:line (width)`, widths counted in characters. */
export function longLines(root: string, maxWidth = MAX_LINE_WIDTH): string[] {
  const paths = [...FOLDERS.flatMap((folder) => files(root, folder)), ...ROOT_FILES];
  return [...new Set(paths)].flatMap((path) =>
    readFileSync(join(root, path), 'utf8')
      .split('\n')
      .flatMap((line, index) => {
        const width = [...line].length;
        const name = relative(root, join(root, path)).split(sep).join('/');
        return width > maxWidth ? [`${name}:${index + 1} (${width} characters)`] : [];
      }),
  );
}
