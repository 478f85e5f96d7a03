import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created: string[] = [];

/**
 * A fresh temporary directory, removed after the calling test file's tests: nothing a test
 * writes outlives the file (the global teardown fails the run on any leftover).
 */
export function testTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

// Registered when a test file imports this module (at the file's top level, where jest allows hooks).
if (typeof afterAll === 'function') {
  afterAll(() => {
    for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
}
