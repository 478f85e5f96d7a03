/**
 * `npm start -- [flags]` (see --help): the local stack with hot reload (start-session.ts).
 */
import { failureLine } from '../cli/cli';
import { commandLineOrExit } from '../cli/command-line';
import { START_COMMAND } from '../cli/commands';

async function main(): Promise<void> {
  const values = commandLineOrExit('npm start', START_COMMAND);
  // Loaded once the flags are read: --help and a mistyped flag answer without loading the CDK app,
  // the servers and the watcher.
  const { runStart } = require('./start-session') as typeof import('./start-session');
  await runStart(values);
}

main().catch((error: unknown) => {
  console.error(failureLine('npm start', error));
  process.exit(1);
});
