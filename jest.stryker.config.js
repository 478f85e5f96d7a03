/**
 * jest as Stryker runs it (npm run mutate). The same as jest.config.js except the roots:
 * with `roots: ['<rootDir>/test']` jest's findRelatedTests cannot see that a test reaches
 * rules/ or lib/ through another module, so Stryker would run no test for most mutants.
 * @type {import('jest').Config}
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>'],
  setupFiles: ['<rootDir>/test/fuzz/stryker-setup.js'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // Tests whose code under test runs in child processes, or that synthesize a bundle per run,
  // cannot see an active mutant and cost seconds each: they stay in npm test only.
  testPathIgnorePatterns: [
    '/node_modules/',
    '<rootDir>/.stryker-tmp/',
    '<rootDir>/test/e2e/',
    '<rootDir>/test/fuzz/gateway.fuzz.test.ts',
  ],
};
