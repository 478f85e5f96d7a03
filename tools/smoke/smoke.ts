#!/usr/bin/env node
/**
 * After a deploy: `npm run smoke -- -c env=<name> (--outputs-file <cdk-outputs.json> | --url <base>)`,
 * the token from SMOKE_TOKEN, --token-file or --token-stdin (ways that never echo it; --token works with a warning).
 * Checks GET /health 200, a protected route 401 without a token and, with a token, 200 on a
 * route it has scopes for and 403 on one it has not.
 */
import { API_ROUTES } from '../../lib/api-routes';
import { ConfigError, contextReaderFor, loadEnvironmentConfig, stackNameFor } from '../../lib/config';
import { parseCommandLine, UsageError, usage } from '../cli/command-line';
import { SMOKE_COMMAND } from '../cli/commands';
import { readProcessStdin, readToken, type TokenIo, type TokenSource, tokenSourceOf } from '../cli/token-input';
import { type CheckResult, SmokeError, runSmokeChecks } from './checks';
import { readApiUrl } from './stack-outputs';

/** The variable the token may come from: it never shows in a command line. */
export const TOKEN_ENV = 'SMOKE_TOKEN';

export interface SmokeArgs {
  readonly context: Record<string, string>;
  readonly token?: TokenSource;
  readonly url?: string;
  /** The file `cdk deploy --outputs-file` wrote: its ApiUrl is the base URL. */
  readonly outputsFile?: string;
  readonly help: boolean;
}

/** Throws UsageError for a bad command line. */
export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): SmokeArgs {
  const { values, help } = parseCommandLine(SMOKE_COMMAND, argv);
  const token = tokenSourceOf(values, env, TOKEN_ENV);
  return {
    context: values.context,
    ...(token && { token }),
    ...(values.url !== undefined && { url: values.url }),
    ...(values['outputs-file'] !== undefined && { outputsFile: values['outputs-file'] }),
    help,
  };
}

const processTokenIo: TokenIo = {
  readStdin: readProcessStdin,
  stdinIsTty: process.stdin.isTTY === true,
  env: process.env,
  warn: (line) => process.stderr.write(`${line}\n`),
};

export async function smoke(
  args: SmokeArgs,
  log: (line: string) => void,
  tokenIo: TokenIo = processTokenIo,
): Promise<CheckResult[]> {
  const token =
    args.token && (await readToken(args.token, tokenIo, { command: 'npm run smoke --', envName: TOKEN_ENV }));
  const { config } = loadEnvironmentConfig(contextReaderFor(args.context));
  const stackName = stackNameFor(config.name);
  const baseUrl = args.url ?? readApiUrl(requireOutputsFile(args.outputsFile), stackName);
  log(`smoke test of ${args.url ? baseUrl : `${stackName} at ${baseUrl}`}`);
  const results = await runSmokeChecks({
    baseUrl,
    token,
    routes: API_ROUTES,
    defaultScopes: config.defaultScopes,
    targets: {
      issuers: Object.fromEntries(Object.entries(config.issuers).map(([name, issuer]) => [name, issuer.issuerUrl])),
      defaultIssuer: config.defaultIssuer,
      backendTargets: [...Object.keys(config.httpTargets), ...Object.keys(config.privateTargets)],
    },
  });
  for (const result of results) log(`${result.outcome.toUpperCase().padEnd(4)} ${result.name}: ${result.detail}`);
  const failed = results.filter((result) => result.outcome === 'fail').length;
  log(failed === 0 ? 'smoke test passed' : `smoke test failed: ${failed} check(s)`);
  return results;
}

function requireOutputsFile(outputsFile: string | undefined): string {
  if (outputsFile === undefined) {
    throw new SmokeError(
      'pass --outputs-file <the file cdk deploy --outputs-file wrote> or --url <base URL of the API>',
    );
  }
  return outputsFile;
}

/** The CLI: its exit code (0 passed, 1 a check failed, 2 a usage or configuration mistake). */
export async function main(argv: readonly string[] = process.argv.slice(2), env = process.env): Promise<number> {
  try {
    const args = parseArgs(argv, env);
    if (args.help) {
      process.stdout.write(usage(SMOKE_COMMAND));
      return 0;
    }
    const results = await smoke(args, (line) => console.log(line));
    return results.some((result) => result.outcome === 'fail') ? 1 : 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`smoke: ${error.message}\n\n${usage(SMOKE_COMMAND)}`);
      return 2;
    }
    if (error instanceof SmokeError || error instanceof ConfigError) {
      console.error(`smoke: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

if (require.main === module) {
  main().then((code) => process.exit(code));
}
