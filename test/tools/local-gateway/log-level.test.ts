import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalFunction } from '../../../tools/local-gateway/lambda-runtime';
import { silencedMethods } from '../../../tools/local-gateway/log-level';

describe("the function's application log level, as Lambda applies it", () => {
  test.each([
    ['TRACE', []],
    ['DEBUG', ['trace']],
    ['INFO', ['trace', 'debug']],
    ['WARN', ['trace', 'debug', 'log', 'info']],
    ['ERROR', ['trace', 'debug', 'log', 'info', 'warn']],
    ['FATAL', ['trace', 'debug', 'log', 'info', 'warn', 'error']],
  ] as const)('%s silences %j', (level, methods) => {
    expect(silencedMethods(level)).toEqual(methods);
  });

  test('a function at INFO does not write its console.debug lines, and still writes console.info', async () => {
    // GIVEN a bundled asset that logs at two levels
    const assetDir = mkdtempSync(join(tmpdir(), 'log-level-'));
    writeFileSync(
      join(assetDir, 'index.js'),
      "exports.handler = async () => { console.debug('dropped'); console.info('kept'); return { ok: true }; };\n",
    );
    const debug = jest.fn();
    const info = jest.fn();
    console.debug = debug;
    console.info = info;
    try {
      // WHEN
      const fn = new LocalFunction({
        logicalId: 'Fn',
        assetDir,
        handler: 'index.handler',
        environment: {},
        timeoutSeconds: 3,
        applicationLogLevel: 'INFO',
      });
      const result = await fn.invoke({}, 'req-1');

      // THEN
      expect(result).toEqual({ ok: true });
      expect(debug).not.toHaveBeenCalled();
      expect(info).toHaveBeenCalledWith('kept');
    } finally {
      rmSync(assetDir, { recursive: true, force: true });
    }
  });
});
