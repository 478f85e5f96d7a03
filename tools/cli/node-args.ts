/**
 * How Node runs this project's TypeScript: with tsx's CommonJS hook, as cdk.json's app does.
 * The project compiles to CommonJS, so tsx's ESM hook (`--import tsx`) is not needed, and it
 * starts a loader thread that cost about 0.15 s of CPU per process (`--help` of the gateway:
 * 0.25 s, now 0.08 s). The one catch: a module is loaded lazily with `require`, never with
 * `import()`, which the CommonJS hook does not see.
 */
export const TYPESCRIPT_NODE_ARGS: readonly string[] = ['--require', 'tsx/cjs'];
