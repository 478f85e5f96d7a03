import { type FSWatcher, watch } from 'node:fs';
import { join } from 'node:path';

/** The folders and files whose changes npm start reloads. */
export const WATCHED = ['lambda', 'rules', 'lib', 'bin', 'cdk.json'] as const;
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs|json)$/;
/** Editors save in bursts (write, rename, chmod): one reload per burst. */
const SETTLE_MS = 100;

/**
 * Watches the sources with `fs.watch` (recursive watching works on Linux since Node.js 19.1, and
 * on macOS and Windows natively) and reports each burst of changes once, as absolute paths.
 * Not a polling watcher: it costs nothing while nothing changes.
 */
export function watchSources(root: string, onChanges: (paths: string[]) => void): { close(): void } {
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const changed = (path: string) => {
    if (!SOURCE.test(path) || path.endsWith('.d.ts')) return;
    pending.add(path);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const paths = [...pending];
      pending.clear();
      onChanges(paths);
    }, SETTLE_MS);
  };
  const watchers: FSWatcher[] = [];
  for (const entry of WATCHED) {
    if (entry === 'cdk.json') {
      // The folder, not the file: an editor that saves by rename would leave a file watcher behind.
      watchers.push(watch(root, (_event, name) => name === 'cdk.json' && changed(join(root, 'cdk.json'))));
    } else {
      const folder = join(root, entry);
      watchers.push(watch(folder, { recursive: true }, (_event, name) => name && changed(join(folder, name))));
    }
  }
  return {
    close: () => {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}
