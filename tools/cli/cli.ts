import { parseArgs } from 'node:util';

type OptionSpecs = Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>;

/** Parses the flags; `--help` prints the usage, a bad flag is a usage error (exit 2), never a stack trace. */
export function parseArgsOrExit<T extends OptionSpecs>(tool: string, usage: string, options: T) {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(usage);
    process.exit(0);
  }
  try {
    return parseArgs({ options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    console.error(`${tool}: ${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
}

/** A port flag, or exit 2 naming it. */
export function portOrExit(tool: string, value: string | undefined): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`${tool}: --port must be an integer from 0 to 65535, got ${JSON.stringify(value)}`);
    process.exit(2);
  }
  return port;
}

/** Ctrl-C and SIGTERM close the server, and exit even if a connection hangs on. */
export function closeOnSignals(close: () => Promise<void>): void {
  const stop = () => {
    close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
