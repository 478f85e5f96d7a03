#!/usr/bin/env node
/** Entry of `npm run doctor`: runs the doctor and exits with its code (0 ok, 1 failed, 2 usage). */
import { readProcessStdin } from '../cli/token-input';
import { runDoctorCli } from './doctor';

runDoctorCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: readProcessStdin,
  stdinIsTty: process.stdin.isTTY === true,
  env: process.env,
}).then(
  // Exit explicitly: a DNS lookup abandoned at its timeout must not keep the process alive.
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`doctor: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
