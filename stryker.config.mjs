/**
 * Mutation testing (npm run mutate): which changes to the code no test notices.
 * Not part of .ci/run (a full run takes tens of minutes); see docs/testing.md.
 * Run one folder or a comma-separated list of files at a time, e.g.
 * `npm run mutate -- --mutate 'lambda/api/**\/*.ts'` (no braces: Stryker splits on commas).
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'jest',
  jest: { configFile: 'jest.stryker.config.js', enableFindRelatedTests: true },
  // TypeScript 7 has no JavaScript API, so Stryker's TypeScript checker cannot load it:
  // `tsc --noEmit` stays the type check, and mutants that do not compile simply fail tests.
  checkers: [],
  // Stryker rewrites tsconfig.json's paths with the TypeScript API, which TypeScript 7 lacks;
  // the sandbox needs no rewrite (no `extends` or references), so point it at no file.
  tsconfigFile: 'stryker-skips-tsconfig.json',
  coverageAnalysis: 'perTest',
  mutate: [
    'rules/**/*.ts',
    // The fix texts: tests compare them by reference (FIX.x), so a changed word cannot be
    // noticed and is no behaviour change; the checks that choose a fix are mutated.
    '!rules/issuer/fixes.ts',
    // The construct, the app stack and everything they are built from, and the configuration.
    'lib/**/*.ts',
    // Re-exports only: no code to mutate.
    '!lib/index.ts',
    // cdk-nag's suppressions: a mutant changes a reason text (no behaviour) or which routes are
    // acknowledged, which only a synth under cdk-nag's pack can tell (nag.test.ts: three per run,
    // tens of seconds per mutant); nag.test.ts stays in npm test.
    '!lib/nag.ts',
    'lambda/**/*.ts',
  ],
  // Only the changed code is tested again; the file is in reports/ (git-ignored).
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  // The machine is shared: one or two jest workers, and patience.
  concurrency: 1,
  timeoutMS: 20000,
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['cdk.out*', '.local-certs', 'reports', 'coverage'],
};
