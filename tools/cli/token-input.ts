import { readFileSync } from 'node:fs';
import { UsageError } from './command-line';

/**
 * Where a tool's token comes from. The documented ways never put the token on a command line
 * (npm prints the whole command line, the shell history keeps it): an environment variable,
 * a file, or standard input. `--token` still works, with a warning.
 */
export type TokenSource =
  | { readonly kind: 'inline'; readonly value: string }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'stdin' }
  | { readonly kind: 'env'; readonly name: string };

export interface TokenFlags {
  readonly token?: string;
  readonly 'token-file'?: string;
  readonly 'token-stdin'?: boolean;
}

/** One source at most; the environment variable only when no flag names one. */
export function tokenSourceOf(flags: TokenFlags, env: NodeJS.ProcessEnv, envName: string): TokenSource | undefined {
  const sources: TokenSource[] = [];
  if (flags.token !== undefined) {
    if (flags.token.trim() === '') throw new UsageError('--token needs a value, got an empty string');
    sources.push({ kind: 'inline', value: flags.token });
  }
  if (flags['token-file'] !== undefined) sources.push({ kind: 'file', path: flags['token-file'] });
  if (flags['token-stdin']) sources.push({ kind: 'stdin' });
  if (sources.length > 1)
    throw new UsageError('give one token: --token, --token-file and --token-stdin exclude each other');
  if (sources.length === 0 && env[envName]) return { kind: 'env', name: envName };
  return sources[0];
}

export function inlineTokenWarning(envName: string): string {
  return (
    'WARNING: --token puts the token on the command line, where npm prints it and the shell history keeps it. ' +
    `Use ${envName}=..., --token-file <path> or --token-stdin instead.`
  );
}

export interface TokenIo {
  readonly readStdin: () => Promise<string>;
  /** Standard input is a terminal: --token-stdin would wait forever. */
  readonly stdinIsTty: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly warn: (line: string) => void;
}

/** The token as API Gateway reads the Authorization header: bare, or after `Bearer `. */
export function normalizeToken(raw: string): string {
  return raw
    .trim()
    .replace(/^Bearer\s+/i, '')
    .trim();
}

/**
 * Reads and checks the token; a UsageError names the source.
 * @param tool `command` shows how to pipe a token in; `envName` is the variable the tool reads.
 */
export async function readToken(
  source: TokenSource,
  io: TokenIo,
  tool: { readonly command: string; readonly envName: string },
): Promise<string> {
  const { command } = tool;
  let raw: string;
  let label: string;
  switch (source.kind) {
    case 'inline':
      io.warn(inlineTokenWarning(tool.envName));
      raw = source.value;
      label = '--token';
      break;
    case 'env':
      raw = io.env[source.name] ?? '';
      label = source.name;
      break;
    case 'file':
      label = `--token-file ${source.path}`;
      try {
        raw = readFileSync(source.path, 'utf8');
      } catch (error) {
        throw new UsageError(
          `${label}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
        );
      }
      break;
    default:
      label = '--token-stdin';
      if (io.stdinIsTty)
        throw new UsageError(`--token-stdin needs the token piped in, e.g. echo "$TOKEN" | ${command} --token-stdin`);
      raw = await io.readStdin();
  }
  const token = normalizeToken(raw);
  if (token === '') throw new UsageError(`${label}: the token is empty`);
  if (/\s/.test(token))
    throw new UsageError(`${label}: the token contains white space (pass the access_token value alone)`);
  return token;
}

export async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
