import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testTempDir } from './temp-dir';
import { waitForFile, waitForFileSync } from './wait-for-file';

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

describe('waitForFileSync', () => {
  test('a file already there is found at once, the first of the names given', () => {
    const dir = testTempDir('wait-for-file-');
    writeFileSync(join(dir, 'b'), '');
    writeFileSync(join(dir, 'a'), '');

    expect(waitForFileSync(dir, ['a', 'b'], 10_000)).toBe('a');
  });

  test('a file another process writes later is found while this thread is blocked', async () => {
    const dir = testTempDir('wait-for-file-');
    // Another process: this thread does nothing else until the file is there.
    const writer = spawn(process.execPath, [
      '-e',
      `setTimeout(() => require('fs').writeFileSync(${JSON.stringify(join(dir, 'ready'))}, ''), 200)`,
    ]);
    const exited = new Promise((resolve) => writer.once('exit', resolve));
    try {
      expect(waitForFileSync(dir, ['ready', 'failed'], 10_000)).toBe('ready');
    } finally {
      await exited;
    }
  });

  test('none within the bound: an error naming the files and the bound', () => {
    const dir = testTempDir('wait-for-file-');

    expect(() => waitForFileSync(dir, ['ready', 'failed'], 50)).toThrow(
      new Error('none of ready, failed appeared within 50 ms'),
    );
  });
});
