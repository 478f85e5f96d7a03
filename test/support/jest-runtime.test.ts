/**
 * test/support/jest-runtime.js wraps a step of jest-runtime's own (`executor.compile`): after a jest
 * upgrade that moves it, the suite still passes, only slower. This test says so instead.
 */
test("jest's module runtime compiles node_modules with V8's code cache (jest.config.js `runtime`)", () => {
  expect((globalThis as Record<symbol, unknown>)[Symbol.for('wso2-jwt-http-api.test.v8CodeCache')]).toBe(true);
});

test('a module under node_modules compiled for one module registry runs again, not compiled again, in the next', () => {
  const reusedRuns = (globalThis as Record<symbol, unknown>)[
    Symbol.for('wso2-jwt-http-api.test.v8CodeCache.reused')
  ] as () => number;
  jest.isolateModules(() => require('proxy-from-env'));
  const before = reusedRuns();

  jest.isolateModules(() => require('proxy-from-env'));

  expect(reusedRuns()).toBe(before + 1);
});
