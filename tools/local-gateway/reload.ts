import { rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ApiModel } from './cloud-assembly';
import { type BundleSources, bundleSources, rebundle } from './rebundle';
import type { RunningGateway } from './server';
import { type SynthRequest, synthesize } from './synth';

export interface ReloaderOptions extends SynthRequest {
  readonly gateway: RunningGateway;
  /** Where rebundled functions go (one fresh folder per rebundle). */
  readonly bundleDir: string;
  /** One line per reload; an error's details follow it. */
  readonly print: (text: string) => void;
}

/**
 * Hot reload of `npm start`: a change that only touches the sources of some functions rebundles
 * just those and serves them; any other change (lib/, bin/, cdk.json, rules/ used outside the
 * functions) re-synthesizes and swaps the served model. A failing bundle or synth prints the
 * error and the last good build keeps serving. Reloads run one at a time; changes that arrive
 * meanwhile are merged into the next one.
 */
export class Reloader {
  private sources = new Map<string, BundleSources>();
  private readonly bundles = new Map<string, string>();
  private queued = new Set<string>();
  private running: Promise<void> | undefined;

  constructor(private readonly options: ReloaderOptions) {
    this.indexSources(options.gateway.current());
  }

  /** Resolves when every change reported so far has been handled. */
  changed(paths: readonly string[]): Promise<void> {
    for (const path of paths) this.queued.add(path);
    if (!this.running) {
      this.running = this.drain().finally(() => {
        this.running = undefined;
      });
    }
    return this.running;
  }

  close(): void {
    for (const dir of this.bundles.values()) rmSync(dir, { recursive: true, force: true });
  }

  private async drain(): Promise<void> {
    while (this.queued.size > 0) {
      const paths = [...this.queued];
      this.queued = new Set();
      await this.reload(paths);
    }
  }

  private async reload(paths: string[]): Promise<void> {
    const started = performance.now();
    const what = paths.map((path) => relative(this.options.root, path)).join(', ');
    const functions = this.functionsOnlyChange(paths);
    const took = () => `${Math.round(performance.now() - started)} ms`;
    if (functions) {
      try {
        for (const [logicalId, folder] of functions) {
          const dir = await rebundle(folder, this.options.bundleDir);
          this.options.gateway.replaceFunctionCode(logicalId, dir);
          // The new bundle may import files the old one did not.
          const sources = bundleSources(dir, this.options.root);
          if (sources) this.sources.set(logicalId, sources);
          const previous = this.bundles.get(logicalId);
          this.bundles.set(logicalId, dir);
          if (previous) rmSync(previous, { recursive: true, force: true });
        }
        this.options.print(`reload: ${what} changed; rebundled ${[...functions.keys()].join(', ')} in ${took()}\n`);
      } catch (error) {
        this.options.print(
          `reload FAILED: ${what} changed; the bundle failed after ${took()}, the last good build keeps serving:\n` +
            `${(error as Error).message}\n`,
        );
      }
      return;
    }
    const outcome = await synthesize(this.options);
    if (!outcome.ok) {
      this.options.print(
        `reload FAILED: ${what} changed; the synth failed after ${took()}, the last good build keeps serving:\n` +
          `${outcome.error}\n`,
      );
      return;
    }
    await this.options.gateway.serve(outcome.model);
    this.indexSources(outcome.model);
    for (const dir of this.bundles.values()) rmSync(dir, { recursive: true, force: true });
    this.bundles.clear();
    this.options.print(`reload: ${what} changed; re-synthesized ${this.options.stackName} in ${took()}\n`);
  }

  /** The functions to rebundle (logical id -> lambda folder) when every path is theirs; else undefined. */
  private functionsOnlyChange(paths: readonly string[]): Map<string, string> | undefined {
    const functions = new Map<string, string>();
    for (const path of paths) {
      const owners = [...this.sources].filter(
        ([, sources]) =>
          sources.files.has(path) || path.startsWith(`${join(this.options.root, 'lambda', sources.folder)}/`),
      );
      if (owners.length === 0) return undefined;
      for (const [logicalId, sources] of owners) functions.set(logicalId, sources.folder);
    }
    return functions;
  }

  private indexSources(model: ApiModel): void {
    this.sources = new Map();
    for (const route of model.routes) {
      // HTTP proxy routes have no code to rebundle.
      if (!route.function) continue;
      const sources = bundleSources(route.function.assetDir, this.options.root);
      if (sources) this.sources.set(route.function.logicalId, sources);
    }
  }
}
