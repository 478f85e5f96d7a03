const { availableParallelism } = require('node:os');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // One worker more than the cores: jest's default (cores - 1) runs one file at a time on a 2-core
  // machine, and a file waiting on a timer (API Gateway's 1500 ms bound, a function's 1 s Timeout)
  // leaves its core idle, which the extra worker fills. Measured on 2 cores (median of 4 runs each):
  // 2 workers 36.9 s, 3 workers 35.4 s, for 3 s more CPU.
  maxWorkers: availableParallelism() + 1,
  // A bound that only catches a hang: speed is measured by npm run bench, not asserted here, and
  // jest's 5 s default failed key-generating hooks on this 2-core machine under load.
  testTimeout: 30_000,
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // swc strips types without checking them (tsc --noEmit does the checking in CI);
  // it is what works with TypeScript 7, which has no JavaScript API for ts-jest.
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // jose 6 ships ESM only: let swc turn it into CommonJS for jest's module system.
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  modulePathIgnorePatterns: ['<rootDir>/cdk.out'],
  // The run's own TMPDIR (leftovers fail the run) and each environment synthesized once.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // jest's order, but the files that wait for the shared synthesis's last step run last.
  testSequencer: '<rootDir>/test/support/test-sequencer.js',
  // V8's code cache for node_modules: aws-cdk-lib is compiled once, not once per test file.
  runtime: '<rootDir>/test/support/jest-runtime.js',
  snapshotSerializers: ['<rootDir>/test/support/asset-hash-serializer.ts'],
};
