/**
 * `npm run backend -- [--port 8090] [--host 127.0.0.1]`: the echo backend behind the demo's HTTP
 * proxy route. Prints one line `local-backend listening {json}` when ready.
 */
import { closeOnSignals, parseArgsOrExit, portOrExit } from '../cli/cli';
import { DEFAULT_BACKEND_PORT, startEchoBackend } from './server';

const USAGE = `usage: npm run backend -- [--port ${DEFAULT_BACKEND_PORT}] [--host 127.0.0.1]`;

async function main(): Promise<void> {
  const values = parseArgsOrExit('local-backend', USAGE, {
    port: { type: 'string', default: String(DEFAULT_BACKEND_PORT) },
    host: { type: 'string', default: '127.0.0.1' },
  });
  const backend = await startEchoBackend({ port: portOrExit('local-backend', values.port), host: values.host });
  console.log(`local-backend listening ${JSON.stringify({ url: backend.url, port: backend.port })}`);
  closeOnSignals(() => backend.close());
}

main().catch((error: unknown) => {
  console.error(`local-backend: ${(error as Error).message}`);
  process.exit(1);
});
