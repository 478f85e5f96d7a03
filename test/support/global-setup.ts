import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from 'jest';
import { OUTER_TMPDIR_VARIABLE, RUN_DIR_VARIABLE, SHARED_DIR_NAME, TSX_CACHE_NAME } from './run-temp';
import { SHARED_SERVICES_CLOSE, startSharedServices } from './shared-services';
import { synthesizeSharedTemplates } from './templates';

/**
 * jest globalSetup: the run's own TMPDIR (see run-temp.ts), each environment synthesized once, and
 * the end-to-end tests' identity provider, echo backend and bundled assembly (shared-services.ts)
 * unless the config's `globals.sharedServices` is false (Stryker's jest runs no end-to-end test).
 */
export default async function globalSetup(_global: unknown, project: { globals?: Config['globals'] }): Promise<void> {
  const outer = tmpdir();
  const dir = mkdtempSync(join(outer, 'wso2-jwt-http-api-test-'));
  let close: (() => Promise<void>) | undefined;
  try {
    mkdirSync(join(dir, SHARED_DIR_NAME));
    mkdirSync(join(outer, TSX_CACHE_NAME), { recursive: true });
    symlinkSync(join(outer, TSX_CACHE_NAME), join(dir, TSX_CACHE_NAME));
    process.env[OUTER_TMPDIR_VARIABLE] = process.env.TMPDIR ?? '';
    process.env[RUN_DIR_VARIABLE] = dir;
    process.env.TMPDIR = dir;
    // The bundled synth runs in a child process while this one synthesizes the templates.
    const services = project.globals?.sharedServices === false ? undefined : await startSharedServices();
    close = services?.close;
    synthesizeSharedTemplates();
    await services?.ready;
    (globalThis as Record<symbol, unknown>)[SHARED_SERVICES_CLOSE] = close;
  } catch (error) {
    // The teardown does not run when the setup fails: leave nothing behind here either.
    await close?.();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
