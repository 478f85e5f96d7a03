/**
 * Command-line arguments of `npm run doctor`, parsed by the tools' one parser (tools/cli).
 * Every mistake is a UsageError naming the flag and the value, so the CLI can exit 2.
 */
import { parseCommandLine, UsageError, usage } from '../cli/command-line';
import { DOCTOR_COMMAND } from '../cli/commands';
import { type TokenSource, tokenSourceOf } from '../cli/token-input';

export { normalizeToken, type TokenSource } from '../cli/token-input';
export { UsageError };

/** The variable the token may come from: it never shows in a command line. */
export const TOKEN_ENV = 'DOCTOR_TOKEN';

export interface DoctorArgs {
  /** `-c key=value` overrides, read as `cdk synth` reads them. */
  readonly context: Record<string, string>;
  readonly token?: TokenSource;
  readonly json: boolean;
  readonly caFile?: string;
  readonly allowPrivate: boolean;
  readonly help: boolean;
}

export const USAGE = usage(DOCTOR_COMMAND);

export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): DoctorArgs {
  const { values, help } = parseCommandLine(DOCTOR_COMMAND, argv);
  const token = tokenSourceOf(values, env, TOKEN_ENV);
  return {
    context: values.context,
    ...(token && { token }),
    json: values.json,
    ...(values['ca-file'] !== undefined && { caFile: values['ca-file'] }),
    allowPrivate: values['allow-private'],
    help,
  };
}

/** Enough of a token to recognise it in a report, never enough to replay it. */
export function redactToken(token: string): string {
  if (token.length <= 16) return `<${token.length} chars>`;
  return `${token.slice(0, 8)}...${token.slice(-4)} (${token.length} chars)`;
}
