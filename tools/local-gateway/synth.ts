import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { NAG_CHECKS_KEY, readCdkJsonContext } from '../../lib/config';
import { type ApiModel, loadApiModel } from './cloud-assembly';
import { TYPESCRIPT_NODE_ARGS } from '../cli/node-args';

export interface SynthRequest {
  /** The project root (holds cdk.json and bin/app.ts). */
  readonly root: string;
  /** `-c` values on top of cdk.json's context, as the CDK CLI merges them. */
  readonly context: Readonly<Record<string, string>>;
  readonly stackName: string;
  /** The folder that holds the last good synthesis; replaced whole, only by a good one. */
  readonly outDir: string;
}

export type SynthOutcome =
  | { readonly ok: true; readonly model: ApiModel }
  | { readonly ok: false; readonly error: string };

/**
 * Synthesizes the app the way the CDK CLI runs it (CDK_OUTDIR + CDK_CONTEXT_JSON with cdk.json's
 * context and the -c values), into a temporary folder beside `outDir`; only a synthesis whose
 * API the gateway can read replaces `outDir` (by renames, so `outDir` is never half-written).
 * Running the app directly spares the CDK CLI's own start-up, and built-in template validation
 * and cdk-nag are off (CI's own `cdk synth` runs them): about 0.8 s against 3.7 s for `npx cdk
 * synth` of dev (`npm run bench`, items 7 and 3).
 */
export async function synthesize(request: SynthRequest): Promise<SynthOutcome> {
  mkdirSync(dirname(request.outDir), { recursive: true });
  const temp = mkdtempSync(join(dirname(request.outDir), `.${basename(request.outDir)}.synth-`));
  try {
    const context = {
      ...readCdkJsonContext(join(request.root, 'cdk.json')),
      // Served here, never deployed: cdk-nag is cdk synth's (CI's), as the template validation is.
      // `-c nagChecks=true` brings it back.
      [NAG_CHECKS_KEY]: false,
      ...request.context,
      // The asset paths in the template are how the gateway finds each function's bundle.
      'aws:cdk:enable-asset-metadata': true,
    };
    const failure = await runApp(request.root, temp, context);
    if (failure) return { ok: false, error: failure };
    // Read before it replaces anything: a template the gateway cannot serve is a failed build too.
    loadApiModel(temp, request.stackName);
    replaceDirectory(temp, request.outDir);
    return { ok: true, model: loadApiModel(request.outDir, request.stackName) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

function runApp(root: string, outDir: string, context: Record<string, unknown>): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...TYPESCRIPT_NODE_ARGS, join(root, 'bin', 'app.ts')], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        CDK_OUTDIR: outDir,
        CDK_CONTEXT_JSON: JSON.stringify(context),
        CDK_VALIDATION: 'false',
        CDK_DISABLE_VERSION_CHECK: '1',
      },
    });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('error', (error) => resolve(`the app could not start: ${error.message}`));
    child.on('close', (code, signal) =>
      resolve(
        code === 0
          ? undefined
          : `synth failed (exit ${code ?? signal}):\n${Buffer.concat(output).toString('utf8').trim()}`,
      ),
    );
  });
}

/** `from` takes the place of `to`; what was at `to` is removed only after the swap. */
export function replaceDirectory(from: string, to: string): void {
  const old = existsSync(to) ? `${to}.old-${process.pid}-${Date.now()}` : undefined;
  if (old) renameSync(to, old);
  renameSync(from, to);
  if (old) rmSync(old, { recursive: true, force: true });
}
