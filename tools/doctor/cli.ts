#!/usr/bin/env node
/** Entry of `npm run doctor`: runs the doctor and exits with its code (0 ok, 1 failed, 2 usage). */
import { runDoctorCli } from './doctor';

const readStdin = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

runDoctorCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin,
  stdinIsTty: process.stdin.isTTY === true,
}).then(
  // Exit explicitly: a DNS lookup abandoned at its timeout must not keep the process alive.
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`doctor: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
