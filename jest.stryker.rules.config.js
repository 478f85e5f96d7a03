/**
 * jest as `npm run mutate:rules` runs it: rules/ measured by its own unit tests (test/rules/)
 * alone. The tests of lib/ and lambda/ reach rules/ too, but through synthesized stacks and
 * loopback identity providers: on a shared 2-core machine that made a rules/ mutant cost
 * 5-20 s, and a run of the folder hours. A score measured this way is a lower bound (fewer
 * tests can only kill fewer mutants), and the survivors it shows are behaviours that rules/'s
 * own tests do not pin.
 * @type {import('jest').Config}
 */
const base = require('./jest.stryker.config.js');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/rules/**/*.test.ts'],
  // No test under test/rules/ reads a synthesized template or the run's temporary directory;
  // without the global setup a test process that Stryker restarts (after a timeout) starts at once.
  globalSetup: undefined,
  globalTeardown: undefined,
};
