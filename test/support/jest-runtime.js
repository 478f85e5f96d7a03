/**
 * jest's module runtime, with V8's code cache for the modules under node_modules.
 *
 * jest gives every test file its own module registry, so each file that synthesizes a stack
 * compiles aws-cdk-lib again: about 1,200 modules, the largest part of a lib test file's CPU.
 * V8 can skip that work with the code it compiled before (its "code cache", what Node 22's
 * module.enableCompileCache uses; Node 20 has no such switch). Here each module's cache is made
 * after its first test file ran, so it holds the functions that file called too, and is kept in
 * memory for the worker's later files and on disk, in jest's cacheDirectory, for other workers
 * and later runs (`jest --clearCache` removes it with the rest).
 *
 * A worker also keeps each module's compiled script: its later test files run it in their own
 * context instead of compiling it again (about 4 s of CPU less per npm test on a 2-core machine).
 *
 * Only node_modules: they do not change between runs, and the project's own files stay compiled
 * exactly as jest compiles them (Stryker instruments those). A cache is found by a hash of the
 * module's source; V8 checks its own version and flags, and compiles from source on a mismatch
 * (under Stryker the snapshot test's --liftoff-only makes its worker rewrite the caches it used once).
 * jest-runtime 30 compiles in `executor.compile(source, filename)`; if a jest upgrade moves it,
 * this runtime changes nothing, jest works as it does without it, and jest-runtime.test.ts fails.
 */
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { join, sep } = require('node:path');
const { Script } = require('node:vm');
const Runtime = require('jest-runtime').default;

const NODE_MODULES = `${sep}node_modules${sep}`;
/** Set on each test file's global when the code cache is in place. */
const ACTIVE = Symbol.for('wso2-jwt-http-api.test.v8CodeCache');
/** On each test file's global: how many times this worker ran a compiled script again (jest-runtime.test.ts). */
const REUSED = Symbol.for('wso2-jwt-http-api.test.v8CodeCache.reused');
let reusedRuns = 0;

/** Caches this worker read or made, by file: its later test files find them here without hashing. */
const known = new Map();
/**
 * Scripts this worker compiled, by file: a later test file runs the same compiled code in its own
 * context (a vm.Script runs in any context), so V8 neither reads the cache again nor compiles again
 * the functions an earlier file already called. Kept for the worker's life; one copy of the code
 * instead of one per test file lowered the largest process's peak memory (651 -> 468 MB).
 */
const compiled = new Map();

class CodeCachingRuntime extends Runtime {
  constructor(config, environment, ...rest) {
    super(config, environment, ...rest);
    /** Scripts compiled without a usable cache: their cache is made at teardown. */
    this.uncached = new Map();
    this.cacheDir = join(config.cacheDirectory, 'v8-code-cache');
    const executor = this.executor;
    if (typeof executor?.compile !== 'function') return;
    // What jest-runtime.test.ts reads: a jest upgrade that moves compile fails a test, not only the bench.
    environment.global[ACTIVE] = true;
    environment.global[REUSED] = () => reusedRuns;
    const compile = executor.compile.bind(executor);
    executor.compile = (source, filename) => {
      if (!filename.includes(NODE_MODULES)) return compile(source, filename);
      try {
        return this.compileWithCache(executor, source, filename);
      } catch {
        // A module V8 cannot compile this way (ESM syntax, a syntax error): jest's own error.
        return compile(source, filename);
      }
    };
  }

  /** Compiles as jest does (a function of jest's module parameters), from V8's cache when there is one. */
  compileWithCache(executor, source, filename) {
    const context = executor.environment.getVmContext();
    if (context == null) return null;
    const prefix = `(function (${executor.injectedModuleParameters.join(', ')}) {`;
    // A module that may import() is compiled for each test file: its imports resolve in that file.
    const shared = !/\bimport\s*\(/.test(source);
    const reused = shared ? compiled.get(filename) : undefined;
    if (reused?.source === source && reused.prefix === prefix) {
      reusedRuns += 1;
      return reused.script.runInContext(context);
    }
    const seen = known.get(filename);
    // On disk a cache is found by a hash of the file's name, jest's module parameters and the
    // source: V8 itself only checks the source's length.
    const key =
      seen?.source === source
        ? seen.key
        : createHash('sha1').update(filename).update('\0').update(prefix).update(source).digest('hex');
    const cachedData = seen?.key === key ? seen.data : this.readCache(key);
    const script = new Script(`${prefix}${source}\n})`, {
      filename,
      // Stack traces show the module's own columns on its first line.
      columnOffset: -prefix.length,
      cachedData,
      ...(!shared && {
        importModuleDynamically: (specifier, _script, attributes, phase) =>
          executor.dynamicImport(specifier, filename, context, attributes, phase),
      }),
    });
    if (shared) compiled.set(filename, { source, prefix, script });
    if (cachedData === undefined || script.cachedDataRejected) this.uncached.set(key, { filename, source, script });
    else known.set(filename, { key, source, data: cachedData });
    return script.runInContext(context);
  }

  readCache(key) {
    try {
      return readFileSync(join(this.cacheDir, `${key}.bin`));
    } catch {
      return undefined;
    }
  }

  teardown() {
    try {
      this.writeCaches();
    } finally {
      super.teardown();
    }
  }

  /** Best effort: a cache that cannot be written (full or read-only disk) only costs speed. */
  writeCaches() {
    for (const [key, { filename, source, script }] of this.uncached) {
      const data = script.createCachedData();
      known.set(filename, { key, source, data });
      // Written under another name, then renamed: another worker never reads half a file.
      const file = join(this.cacheDir, `${key}.bin`);
      const partial = `${file}.${process.pid}`;
      try {
        mkdirSync(this.cacheDir, { recursive: true });
        writeFileSync(partial, data);
        renameSync(partial, file);
      } catch {
        rmSync(partial, { force: true });
      }
    }
    this.uncached.clear();
  }
}

module.exports = CodeCachingRuntime;
