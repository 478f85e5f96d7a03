/**
 * Command-line arguments of `npm run doctor`. Every mistake is a UsageError naming the flag
 * and the value, so the CLI can exit 2 with a message that says what to change.
 */

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type TokenSource =
  | { readonly kind: 'inline'; readonly value: string }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'stdin' };

export interface DoctorArgs {
  /** `-c key=value` overrides, read as `cdk synth` reads them. */
  readonly context: Record<string, string>;
  readonly token?: TokenSource;
  readonly json: boolean;
  readonly caFile?: string;
  readonly allowPrivate: boolean;
  readonly help: boolean;
}

export const USAGE = `usage: npm run doctor -- [-c env=<name>] [-c issuerUrl=<url>] [-c audiences=<a,b>]
                        [--token <jwt> | --token-file <path> | --token-stdin]
                        [--json] [--ca-file <pem>] [--allow-private]

Checks that an environment's WSO2 issuer (and, given one, a token) will work with
API Gateway's JWT authorizer. Exit 0: nothing failed; 1: a check failed; 2: bad usage.

  -c, --context key=value  the same context overrides as cdk synth (env, issuerUrl, audiences)
  --token <jwt>            check this token (Bearer prefix accepted)
  --token-file <path>      read the token from a file
  --token-stdin            read the token from standard input
  --json                   print the results as JSON
  --ca-file <pem>          also trust this CA (e.g. a local WSO2 IS); reported as local only
  --allow-private          check a loopback/private issuer; reported as local only
`;

export function parseArgs(argv: readonly string[]): DoctorArgs {
  const context: Record<string, string> = {};
  const tokens: TokenSource[] = [];
  let json = false;
  let caFile: string | undefined;
  let allowPrivate = false;
  let help = false;

  for (let index = 0; index < argv.length; index += 1) {
    const raw = argv[index];
    // Accept --flag=value as well as --flag value, like most CLIs (and cdk's -c).
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    const inlineValue = eq > 0 ? raw.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inlineValue !== undefined) return inlineValue;
      const next = argv[index + 1];
      if (next === undefined || (next.startsWith('-') && next.length > 1))
        throw new UsageError(`${flag} needs a value`);
      index += 1;
      return next;
    };
    const noValue = (): void => {
      if (inlineValue !== undefined) throw new UsageError(`${flag} takes no value, got ${JSON.stringify(inlineValue)}`);
    };

    switch (flag) {
      case '-c':
      case '--context': {
        const pair = value();
        const split = pair.indexOf('=');
        if (split <= 0) throw new UsageError(`${flag} needs key=value, got ${JSON.stringify(pair)}`);
        context[pair.slice(0, split)] = pair.slice(split + 1);
        break;
      }
      case '--token': {
        const token = value();
        if (token.trim() === '') throw new UsageError('--token needs a value, got an empty string');
        tokens.push({ kind: 'inline', value: token });
        break;
      }
      case '--token-file':
        tokens.push({ kind: 'file', path: value() });
        break;
      case '--token-stdin':
        noValue();
        tokens.push({ kind: 'stdin' });
        break;
      case '--json':
        noValue();
        json = true;
        break;
      case '--ca-file':
        caFile = value();
        break;
      case '--allow-private':
        noValue();
        allowPrivate = true;
        break;
      case '-h':
      case '--help':
        help = true;
        break;
      default:
        throw new UsageError(`unknown option ${JSON.stringify(raw)} (see --help)`);
    }
  }
  if (tokens.length > 1)
    throw new UsageError('give one token: --token, --token-file and --token-stdin exclude each other');
  return {
    context,
    ...(tokens[0] && { token: tokens[0] }),
    json,
    ...(caFile !== undefined && { caFile }),
    allowPrivate,
    help,
  };
}

/** The token as API Gateway reads the Authorization header: bare, or after `Bearer `. */
export function normalizeToken(raw: string): string {
  return raw
    .trim()
    .replace(/^Bearer\s+/i, '')
    .trim();
}

/** Enough of a token to recognise it in a report, never enough to replay it. */
export function redactToken(token: string): string {
  if (token.length <= 16) return `<${token.length} chars>`;
  return `${token.slice(0, 8)}...${token.slice(-4)} (${token.length} chars)`;
}
