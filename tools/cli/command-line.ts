import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';

/**
 * The one command-line parser of the project's tools, on `node:util` parseArgs: every tool
 * declares its flags once (kind, default, description) and gets the same `--help`, the same
 * checks of values, and the same answer to a mistake: the message, the usage, exit 2.
 */

export type FlagKind = 'string' | 'boolean' | 'port' | 'count' | 'path' | 'context';

export interface FlagSpec {
  readonly kind: FlagKind;
  readonly description: string;
  /** Shown in --help; absent: none (or off for a boolean). */
  readonly default?: string | number | boolean;
  /** The value's placeholder in --help, e.g. `<port>`. */
  readonly valueName?: string;
  /** A one-letter alias, e.g. `c` for `-c`. */
  readonly short?: string;
}

export interface CommandSpec {
  /** How the user runs it, e.g. `npm start --`. */
  readonly command: string;
  readonly summary: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  /** Lines after the flags (exit codes, examples). */
  readonly notes?: string;
}

type ValueOf<S extends FlagSpec> = S['kind'] extends 'boolean'
  ? boolean
  : S['kind'] extends 'port' | 'count'
    ? S extends { default: number }
      ? number
      : number | undefined
    : S['kind'] extends 'context'
      ? Record<string, string>
      : S extends { default: string }
        ? string
        : string | undefined;

export type FlagValues<F extends Readonly<Record<string, FlagSpec>>> = { -readonly [K in keyof F]: ValueOf<F[K]> };

/** A mistake on the command line: the message names the flag and the value. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function usage(spec: CommandSpec): string {
  const rows: (readonly [string, string])[] = Object.entries(spec.flags).map(([name, flag]) => {
    const value = flag.kind === 'boolean' ? '' : ` ${flag.valueName ?? placeholder(flag.kind)}`;
    const names = `${flag.short ? `-${flag.short}, ` : ''}--${name}${value}`;
    return [names, `${flag.description} (default: ${defaultText(flag)})`] as const;
  });
  rows.push(['-h, --help', 'print this help and exit']);
  const width = Math.max(...rows.map(([names]) => names.length)) + 2;
  return [
    `usage: ${spec.command} [flags]`,
    '',
    spec.summary,
    '',
    'flags:',
    ...rows.map(([names, text]) => wrap(`  ${names.padEnd(width)}`, text)),
    ...(spec.notes ? ['', spec.notes] : []),
    '',
  ].join('\n');
}

/** Help lines fit 100 columns: a long description continues under itself. */
function wrap(lead: string, text: string, columns = 100): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && lead.length + line.length + 1 + word.length > columns) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.map((part, index) => `${index === 0 ? lead : ' '.repeat(lead.length)}${part}`).join('\n');
}

function placeholder(kind: FlagKind): string {
  return { string: '<value>', boolean: '', port: '<port>', count: '<n>', path: '<path>', context: '<key=value>' }[kind];
}

function defaultText(flag: FlagSpec): string {
  if (flag.default !== undefined) return String(flag.default);
  if (flag.kind === 'boolean') return 'off';
  if (flag.kind === 'context') return 'none; repeatable';
  return 'none';
}

/** Parses `argv` against the spec; `help` is true when -h/--help was given. Throws UsageError. */
export function parseCommandLine<F extends Readonly<Record<string, FlagSpec>>>(
  spec: CommandSpec & { readonly flags: F },
  argv: readonly string[],
): { values: FlagValues<F>; help: boolean } {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, flag] of Object.entries(spec.flags)) {
    options[name] = {
      type: flag.kind === 'boolean' ? 'boolean' : 'string',
      ...(flag.short && { short: flag.short }),
      ...(flag.kind === 'context' && { multiple: true }),
    };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false, tokens: true });
  } catch (error) {
    throw new UsageError(parseArgsMessage(error as NodeJS.ErrnoException));
  }
  const raw = parsed.values as Record<string, string | boolean | string[] | undefined>;
  for (const token of parsed.tokens ?? []) {
    // parseArgs takes `--port --json` as the value "--json": a value never starts with "--".
    if (token.kind === 'option' && typeof token.value === 'string' && token.inlineValue === false) {
      if (token.value.startsWith('--')) throw new UsageError(`${token.rawName} needs a value`);
    }
    if (token.kind === 'option' && spec.flags[token.name]?.kind === 'boolean' && token.value !== undefined) {
      throw new UsageError(`${token.rawName} takes no value, got ${JSON.stringify(token.value)}`);
    }
  }
  const values: Record<string, unknown> = {};
  for (const [name, flag] of Object.entries(spec.flags)) {
    values[name] = convert(name, flag, raw[name]);
  }
  return { values: values as FlagValues<F>, help: raw.help === true };
}

function convert(name: string, flag: FlagSpec, raw: string | boolean | string[] | undefined): unknown {
  const flagName = `--${name}`;
  switch (flag.kind) {
    case 'boolean':
      return raw === true || (raw === undefined && flag.default === true);
    case 'context': {
      const pairs: Record<string, string> = {};
      for (const pair of (raw as string[] | undefined) ?? []) {
        const at = pair.indexOf('=');
        if (at <= 0)
          throw new UsageError(
            `${flag.short ? `-${flag.short}` : flagName} needs key=value, got ${JSON.stringify(pair)}`,
          );
        pairs[pair.slice(0, at)] = pair.slice(at + 1);
      }
      return pairs;
    }
    case 'port':
    case 'count': {
      const text = (raw as string | undefined) ?? (flag.default === undefined ? undefined : String(flag.default));
      if (text === undefined) return undefined;
      const value = Number(text);
      const [min, max] = flag.kind === 'port' ? [0, 65535] : [1, Number.MAX_SAFE_INTEGER];
      if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
        throw new UsageError(
          `${flagName} must be an integer from ${min} to ${flag.kind === 'port' ? max : 'up'}, ` +
            `got ${JSON.stringify(text)}`,
        );
      }
      return value;
    }
    case 'path': {
      const text = (raw as string | undefined) ?? (flag.default as string | undefined);
      if (text === '') throw new UsageError(`${flagName} needs a path, got an empty string`);
      // Absolute, so printed commands work from any folder.
      return text === undefined ? undefined : isAbsolute(text) ? text : resolve(text);
    }
    default: {
      const text = (raw as string | undefined) ?? (flag.default as string | undefined);
      if (text === '') throw new UsageError(`${flagName} needs a value, got an empty string`);
      return text;
    }
  }
}

function parseArgsMessage(error: NodeJS.ErrnoException): string {
  const flag = /'(-{1,2}[^' ]+)/.exec(error.message)?.[1];
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown flag ${flag ?? error.message}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (flag && /argument missing|ambiguous/.test(error.message)) return `${flag} needs a value`;
      if (flag && /does not take an argument/.test(error.message)) return `${flag} takes no value`;
      return error.message;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${/'([^']*)'/.exec(error.message)?.[1] ?? ''}: every value belongs to a flag`;
    default:
      return error.message;
  }
}

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly exit: (code: number) => never;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  exit: (code) => process.exit(code),
};

/**
 * For a tool's entry point: the parsed values, or `--help` printed (exit 0), or the mistake and
 * the usage printed to standard error (exit 2). Never a stack trace.
 */
export function commandLineOrExit<F extends Readonly<Record<string, FlagSpec>>>(
  tool: string,
  spec: CommandSpec & { readonly flags: F },
  argv: readonly string[] = process.argv.slice(2),
  io: CliIo = processIo,
): FlagValues<F> {
  let parsed: { values: FlagValues<F>; help: boolean };
  try {
    parsed = parseCommandLine(spec, argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`${tool}: ${error.message}\n\n${usage(spec)}`);
    return io.exit(2);
  }
  if (parsed.help) {
    io.stdout(usage(spec));
    return io.exit(0);
  }
  return parsed.values;
}
