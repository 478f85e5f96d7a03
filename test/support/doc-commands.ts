/**
 * The commands the README and docs/ tell people to type, read out of the Markdown, and the
 * checks that keep them true: the npm script exists, each flag is one the tool lists in its
 * `--help`, each `npx` binary is installed.
 */

import { TYPESCRIPT_NODE_COMMAND } from '../../tools/cli/node-args';

export interface DocCommand {
  /** `README.md:12`. */
  readonly where: string;
  /** `npm run doctor -- -c env=prod`, as written. */
  readonly text: string;
  readonly kind: 'npm-script' | 'npx';
  /** The npm script (`start`, `test`, `doctor`...) or the npx binary (`cdk`, `tsc`...). */
  readonly name: string;
  /** Flags passed to the script after `--` (npm scripts only): `--token-file`, `-c`. */
  readonly flags: readonly string[];
}

// A command ends at the end of the line, an inline-code backtick, a comment or a shell operator.
const REST = String.raw`([^\x60#|;&)\n]*)`;
const NPM = new RegExp(String.raw`\bnpm (?:run ([\w:-]+)|(start|test))\b${REST}`, 'g');
const NPX = new RegExp(String.raw`\bnpx ([\w@./-]+)${REST}`, 'g');

/** Flags after the ` -- ` that npm passes on to the script. */
export function flagsOf(args: string): string[] {
  const passed = /(?:^|\s)--(?:\s|$)(.*)$/.exec(args);
  if (!passed) return [];
  return passed[1]
    .split(/\s+/)
    .filter((word) => /^--?[A-Za-z][\w-]*/.test(word))
    .map((word) => word.replace(/=.*$/, ''));
}

export function commandsIn(page: string, markdown: string): DocCommand[] {
  return markdown.split('\n').flatMap((line, index) => {
    const where = `${page}:${index + 1}`;
    const npm = [...line.matchAll(NPM)].map(
      (match): DocCommand => ({
        where,
        text: match[0].trim(),
        kind: 'npm-script',
        name: match[1] ?? match[2],
        flags: flagsOf(match[3]),
      }),
    );
    const npx = [...line.matchAll(NPX)].map(
      (match): DocCommand => ({ where, text: match[0].trim(), kind: 'npx', name: match[1], flags: [] }),
    );
    return [...npm, ...npx];
  });
}

/** `node --require ./tools/cli/register-typescript.cjs <tool>.ts`, as package.json's scripts run a tool. */
const TOOL_SCRIPT = new RegExp(
  `(?:^|\\s)${TYPESCRIPT_NODE_COMMAND.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\s+(\\S+\\.ts)\\b`,
);

/** The tool file an npm script runs as TYPESCRIPT_NODE_COMMAND (`tools/doctor/cli.ts`), if it runs one. */
export function toolOf(script: string): string | undefined {
  return TOOL_SCRIPT.exec(script)?.[1];
}

/** The flags a usage text names: `--token-file`, `-c`. */
export function flagsInUsage(usage: string): Set<string> {
  return new Set([...usage.matchAll(/(?<![\w-])(--?[A-Za-z][\w-]*)/g)].map((match) => match[1]));
}
