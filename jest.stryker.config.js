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
  // The environments are synthesized on the first of Stryker's jest runs only, not per mutant.
  globalSetup: '<rootDir>/test/fuzz/stryker-global-setup.ts',
  globalTeardown: '<rootDir>/test/fuzz/stryker-global-teardown.ts',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // Left to npm test: tests whose code under test runs in child processes (no mutant is
  // active there), the gateway fuzz test (a synth per run), and the tools' tests, which reach
  // rules/ only through a synthesized stack and loopback servers (seconds per mutant; tools/
  // itself is not mutated). rules/, lib/ and lambda/ have their own unit tests.
  testPathIgnorePatterns: [
    '/node_modules/',
    '<rootDir>/.stryker-tmp/',
    '<rootDir>/test/e2e/',
    '<rootDir>/test/tools/',
    '<rootDir>/test/fuzz/gateway.fuzz.test.ts',
  ],
};
