/**
 * jest as Stryker runs it (npm run mutate). The same as jest.config.js except the roots:
 * with `roots: ['<rootDir>/test']` jest's findRelatedTests cannot see that a test reaches
 * rules/ or lib/ through another module, so Stryker would run no test for most mutants.
 * @type {import('jest').Config}
 */
const base = require('./jest.config.js');

// MUTATE_TESTS (optional): a comma-separated list of test files or globs, from the root, that
// alone run. For each mutant jest loads every test file related to the mutated file, even when
// none of its tests covers the mutant: for lib/ that is a dozen files importing aws-cdk-lib,
// about a second each. A narrowed run can only understate the score (fewer tests to kill).
const only = process.env.MUTATE_TESTS?.split(',')
  .map((glob) => glob.trim())
  .filter(Boolean)
  .map((glob) => `<rootDir>/${glob}`);

module.exports = {
  ...base,
  roots: ['<rootDir>'],
  setupFiles: ['<rootDir>/test/stryker/setup.js'],
  // The shared templates synthesized with no mutant active, and never the end-to-end tests'
  // shared services (see the file for why).
  globalSetup: '<rootDir>/test/stryker/global-setup.ts',
  testMatch: only?.length ? only : ['<rootDir>/test/**/*.test.ts'],
  // Left to npm test: tests whose code under test runs in child processes (no mutant is
  // active there), the gateway fuzz test (it needs the shared services), and the tools' tests,
  // which reach rules/ only through a synthesized stack and loopback servers (seconds per
  // mutant; tools/ itself is not mutated). rules/, lib/ and lambda/ have their own unit tests.
  testPathIgnorePatterns: [
    '/node_modules/',
    '<rootDir>/.stryker-tmp/',
    '<rootDir>/test/e2e/',
    '<rootDir>/test/tools/',
    '<rootDir>/test/fuzz/gateway.fuzz.test.ts',
    // npm pack, tsc and a synth of the packed library, all in child processes: tens of seconds
    // for each lib/ mutant it is related to; the entry point's own test stays.
    '<rootDir>/test/package/packed-library.test.ts',
  ],
};
