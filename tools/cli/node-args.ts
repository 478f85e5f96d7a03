import { join } from 'node:path';

/**
 * How Node runs this project's TypeScript: with tsx's CommonJS hook, as cdk.json's app does, through
 * `register-typescript.cjs`, which leaves aws-cdk-lib, constructs and cdk-nag to Node (a third less
 * CPU per synth; see that file). The project compiles to CommonJS, so tsx's ESM hook (`--import
 * tsx`) is not needed, and it starts a loader thread that cost about 0.15 s of CPU per process
 * (`--help` of the gateway: 0.25 s, now 0.08 s). The one catch: a module is loaded lazily with
 * `require`, never with `import()`, which the CommonJS hook does not see.
 */
export const TYPESCRIPT_NODE_ARGS: readonly string[] = ['--require', join(__dirname, 'register-typescript.cjs')];

/** The same, as package.json's scripts, cdk.json's app and the workflows write it (from the project root). */
export const TYPESCRIPT_NODE_COMMAND = 'node --require ./tools/cli/register-typescript.cjs';
