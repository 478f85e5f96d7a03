/**
 * A failure whose message says everything a person needs (a port in use, an assembly without the
 * stack): an entry point prints the message alone. Any other error is a bug: printed with its stack.
 */
export class ToolError extends Error {}

/** The line an entry point prints for the error that stopped it. */
export function failureLine(tool: string, error: unknown): string {
  if (error instanceof ToolError) return `${tool}: ${error.message}`;
  return `${tool}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
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
