import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OWNER_FILE_NAME, RUN_DIR_PREFIX, sweepAbandonedRuns } from './run-temp';
import { testTempDir } from './temp-dir';

/** The id of a process that has exited. */
function exitedPid(): number {
  const { pid, status } = spawnSync(process.execPath, ['-e', '0']);
  expect(status).toBe(0);
  return pid;
}

describe('sweepAbandonedRuns', () => {
  test('removes only the run directories whose process is gone, and says which', () => {
    // GIVEN a temporary directory with a killed run, a live run, a run being created and another tool's folder
    const outer = testTempDir('sweep-');
    const run = (suffix: string, owner?: string) => {
      const dir = join(outer, `${RUN_DIR_PREFIX}${suffix}`);
      mkdirSync(join(dir, 'shared'), { recursive: true });
      if (owner !== undefined) writeFileSync(join(dir, OWNER_FILE_NAME), owner);
    };
    run('killed', String(exitedPid()));
    run('live', String(process.pid));
    run('creating');
    run('garbled', 'not a pid');
    mkdirSync(join(outer, 'other-tool-abc'));
    writeFileSync(join(outer, 'other-tool-abc', OWNER_FILE_NAME), String(exitedPid()));

    // WHEN
    const removed = sweepAbandonedRuns(outer);

    // THEN
    expect(removed).toEqual([`${RUN_DIR_PREFIX}killed`]);
    expect(readdirSync(outer).sort()).toEqual(
      [`${RUN_DIR_PREFIX}creating`, `${RUN_DIR_PREFIX}garbled`, `${RUN_DIR_PREFIX}live`, 'other-tool-abc'].sort(),
    );
  });
});
