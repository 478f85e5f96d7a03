/** How tools outside `cdk synth` read cdk.json's context, with `-c key=value` overrides on top. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contextReaderFor, ENVIRONMENTS_CONTEXT_KEY, PROJECT_ROOT, readCdkJsonContext } from '../../lib/config';
import { testTempDir } from '../support/temp-dir';

function cdkJson(content: unknown): string {
  const path = join(testTempDir('cdk-json-'), 'cdk.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
}

test('the project root holds the cdk.json the CDK CLI reads, with every environment', () => {
  expect(readCdkJsonContext(join(PROJECT_ROOT, 'cdk.json'))).toEqual(readCdkJsonContext());
  expect(Object.keys(readCdkJsonContext()[ENVIRONMENTS_CONTEXT_KEY] as object)).toEqual(['dev', 'staging', 'prod']);
});

test('a cdk.json without context has an empty one', () => {
  expect(readCdkJsonContext(cdkJson({ app: 'npx tsx bin/app.ts' }))).toEqual({});
});

test('overrides win over cdk.json, keys not overridden read through, unknown keys are undefined', () => {
  const read = contextReaderFor({ env: 'prod' }, cdkJson({ context: { env: 'dev', flag: true } }));
  expect(read('env')).toBe('prod');
  expect(read('flag')).toBe(true);
  expect(read('missing')).toBeUndefined();
});

test('without overrides or a path, the reader is the project’s cdk.json as it is', () => {
  const read = contextReaderFor();
  expect(read(ENVIRONMENTS_CONTEXT_KEY)).toEqual(readCdkJsonContext()[ENVIRONMENTS_CONTEXT_KEY]);
  expect(read('env')).toBeUndefined();
});
