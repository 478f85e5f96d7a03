/**
 * test/support/jest-runtime.js wraps a step of jest-runtime's own (`executor.compile`): after a jest
 * upgrade that moves it, the suite still passes, only slower. This test says so instead.
 */
test("jest's module runtime compiles node_modules with V8's code cache (jest.config.js `runtime`)", () => {
  expect((globalThis as Record<symbol, unknown>)[Symbol.for('wso2-jwt-http-api.test.v8CodeCache')]).toBe(true);
});
