import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContextReader } from './environment-config';

/** The project root, where cdk.json lives. */
export const PROJECT_ROOT = join(__dirname, '..', '..');

/** cdk.json's `context`, as the CDK CLI hands it to the app. */
export function readCdkJsonContext(cdkJsonPath = join(PROJECT_ROOT, 'cdk.json')): Record<string, unknown> {
  const parsed = JSON.parse(readFileSync(cdkJsonPath, 'utf8')) as { context?: Record<string, unknown> };
  return parsed.context ?? {};
}

/**
 * For tools that run outside `cdk synth` (local identity provider, doctor): cdk.json's
 * context with `-c key=value` overrides on top, read the way the CDK CLI reads them.
 */
export function contextReaderFor(overrides: Record<string, string> = {}, cdkJsonPath?: string): ContextReader {
  const context = { ...readCdkJsonContext(cdkJsonPath), ...overrides };
  return (key) => context[key];
}
