import { join } from 'node:path';
import type { Test } from '@jest/test-result';
import SharedSynthesisLast, { VALIDATED_SYNTHESIS_READERS } from './test-sequencer';

const ROOT = join(__dirname, '..', '..');

/** A test as jest hands it to the sequencer: no cached durations, so jest orders by file size. */
function testFile(file: string, size: number): Test {
  const context = {
    config: { cache: false, cacheDirectory: ROOT, id: 'sequencer-test', rootDir: ROOT },
    hasteFS: { getSize: () => size },
  };
  return { path: join(ROOT, file), context, duration: undefined } as unknown as Test;
}

test("keeps jest's order, but runs the readers of the validated synthesis last", async () => {
  const sequencer = new SharedSynthesisLast({ contexts: [], globalConfig: {} } as never);
  const tests = [
    testFile('test/lib/small.test.ts', 10),
    testFile(VALIDATED_SYNTHESIS_READERS[0], 1_000),
    testFile('test/lib/large.test.ts', 100),
  ];

  const sorted = await sequencer.sort(tests);

  expect(sorted.map((test) => test.path.slice(ROOT.length + 1))).toEqual([
    'test/lib/large.test.ts',
    'test/lib/small.test.ts',
    VALIDATED_SYNTHESIS_READERS[0],
  ]);
});
