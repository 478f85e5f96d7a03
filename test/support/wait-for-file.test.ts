import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testTempDir } from './temp-dir';
import { waitForFile } from './wait-for-file';

describe('waitForFile', () => {
  test('a file already there is found at once, the first of the names given', async () => {
    const dir = testTempDir('wait-for-file-');
    writeFileSync(join(dir, 'b'), '');
    writeFileSync(join(dir, 'a'), '');

    await expect(waitForFile(dir, ['a', 'b'], 10_000)).resolves.toBe('a');
  });

  test('a file written later is found when it appears', async () => {
    const dir = testTempDir('wait-for-file-');
    const waiting = waitForFile(dir, ['ready', 'failed'], 10_000);

    writeFileSync(join(dir, 'other'), '');
    writeFileSync(join(dir, 'failed'), 'synth failed');

    await expect(waiting).resolves.toBe('failed');
  });

  test('none within the bound: an error naming the files and the bound', async () => {
    const dir = testTempDir('wait-for-file-');

    await expect(waitForFile(dir, ['ready', 'failed'], 50)).rejects.toThrow(
      new Error('none of ready, failed appeared within 50 ms'),
    );
  });
});
