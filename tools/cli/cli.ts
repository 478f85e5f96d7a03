/** Ctrl-C and SIGTERM close the server, and exit even if a connection hangs on. */
export function closeOnSignals(close: () => Promise<void>): void {
  const stop = () => {
    close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
