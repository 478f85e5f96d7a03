/**
 * `npm run backend -- [flags]` (see --help): the echo backend behind the demo's HTTP proxy route.
 * Prints one line `local-backend listening {json}` when ready.
 */
import { closeOnSignals } from '../cli/cli';
import { commandLineOrExit } from '../cli/command-line';
import { BACKEND_COMMAND } from '../cli/commands';
import { startEchoBackend } from './server';

async function main(): Promise<void> {
  const values = commandLineOrExit('local-backend', BACKEND_COMMAND);
  const backend = await startEchoBackend({ port: values.port, host: values.host });
  console.log(`local-backend listening ${JSON.stringify({ url: backend.url, port: backend.port })}`);
  closeOnSignals(() => backend.close());
}

main().catch((error: unknown) => {
  console.error(`local-backend: ${(error as Error).message}`);
  process.exit(1);
});
