const { availableParallelism } = require('node:os');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // One worker per core: jest's default (cores - 1) runs one file at a time on a 2-core machine.
  // Measured on 2 cores: 2, 3 and 4 workers give the same wall time (the suite is CPU-bound) and 2
  // the least CPU. A number: jest reads a percentage above 100 as a worker count.
  maxWorkers: availableParallelism(),
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
  // V8's code cache for node_modules: aws-cdk-lib is compiled once, not once per test file.
  runtime: '<rootDir>/test/support/jest-runtime.js',
  snapshotSerializers: ['<rootDir>/test/support/asset-hash-serializer.ts'],
};
