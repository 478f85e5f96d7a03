#!/usr/bin/env node
// Prints `tests: N passed, N failed` from jest's JSON report. A test file that fails to load
// runs no test (jest then counts `0 total`), so each such suite counts as one failure.
const { readFileSync } = require('node:fs');

const file = process.argv[2];
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.log(`test report ${file} could not be read: ${error.message}`);
  console.log('tests: 0 passed, 1 failed');
  process.exit(0);
}
const failed = report.numFailedTests + report.numRuntimeErrorTestSuites;
console.log(`tests: ${report.numPassedTests} passed, ${failed} failed`);
