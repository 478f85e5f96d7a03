/**
 * `npm run mutate:rules`: stryker.config.mjs for rules/ alone, measured by test/rules/ (see
 * jest.stryker.rules.config.js), with its own incremental file and report so that runs of
 * lib/ and lambda/ with the main config do not discard its results.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
import base from './stryker.config.mjs';

export default {
  ...base,
  jest: { ...base.jest, configFile: 'jest.stryker.rules.config.js' },
  mutate: ['rules/**/*.ts', '!rules/issuer/fixes.ts'],
  incrementalFile: 'reports/stryker-incremental-rules.json',
  htmlReporter: { fileName: 'reports/mutation/rules.html' },
};
