#!/usr/bin/env node
/**
 * After a deploy: `npm run smoke -- -c env=<name> [--token <jwt>] [--url <base>] [--region <r>]`.
 * Checks GET /health 200, a protected route 401 without a token and, with a token, 200 on a
 * route it has scopes for and 403 on one it has not. The token may also come from SMOKE_TOKEN.
 */
import { API_ROUTES } from '../../lib/api-routes';
import { ConfigError, contextReaderFor, loadEnvironmentConfig } from '../../lib/config';
import { stackNameFor } from '../../lib/environment-stack';
import { type CheckResult, SmokeError, runSmokeChecks } from './checks';
import { readApiUrl, type StackDescriber } from './stack-outputs';

export interface SmokeArgs {
  readonly context: Record<string, string>;
  readonly token?: string;
  readonly url?: string;
  readonly region?: string;
}

export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): SmokeArgs {
  const context: Record<string, string> = {};
  let token = env.SMOKE_TOKEN || undefined;
  let url: string | undefined;
  let region: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('-')) throw new SmokeError(`${arg} needs a value`);
      return next;
    };
    if (arg === '-c' || arg === '--context') {
      const pair = value();
      const at = pair.indexOf('=');
      if (at <= 0) throw new SmokeError(`${arg} takes key=value, got ${JSON.stringify(pair)}`);
      context[pair.slice(0, at)] = pair.slice(at + 1);
    } else if (arg === '--token') token = value();
    else if (arg === '--url') url = value();
    else if (arg === '--region') region = value();
    else
      throw new SmokeError(
        `unknown argument ${JSON.stringify(arg)} (usage: npm run smoke -- -c env=<name> [--token <jwt>] [--url ` +
          `<base>] [--region <region>])`,
      );
  }
  return { context, token, url, region };
}

export async function smoke(
  args: SmokeArgs,
  log: (line: string) => void,
  client?: StackDescriber,
): Promise<CheckResult[]> {
  const { config } = loadEnvironmentConfig(contextReaderFor(args.context));
  const stackName = stackNameFor(config.name);
  const baseUrl = args.url ?? (await readApiUrl(stackName, args.region ?? config.region, client));
  log(`smoke test of ${args.url ? baseUrl : `${stackName} at ${baseUrl}`}`);
  const results = await runSmokeChecks({
    baseUrl,
    token: args.token,
    routes: API_ROUTES,
    defaultScopes: config.defaultScopes,
  });
  for (const result of results) log(`${result.outcome.toUpperCase().padEnd(4)} ${result.name}: ${result.detail}`);
  const failed = results.filter((result) => result.outcome === 'fail').length;
  log(failed === 0 ? 'smoke test passed' : `smoke test failed: ${failed} check(s)`);
  return results;
}

async function main(): Promise<number> {
  try {
    const results = await smoke(parseArgs(process.argv.slice(2), process.env), (line) => console.log(line));
    return results.some((result) => result.outcome === 'fail') ? 1 : 0;
  } catch (error) {
    if (error instanceof SmokeError || error instanceof ConfigError) {
      console.error(`Error: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

if (require.main === module) {
  main().then((code) => process.exit(code));
}
