// Under Stryker (npm run mutate) each mutant re-runs the tests that cover it: a short fuzz
// run per mutant is enough to catch what the fuzz tests catch, and keeps a run to minutes.
process.env.FUZZ_RUNS = process.env.FUZZ_RUNS || '40';
// Each test file synthesizes the environments it reads, with the mutant active, instead of
// reading the run's shared synthesis (test/support/templates.ts).
process.env.SHARED_TEMPLATES = 'per-test-file';
