/**
 * `npm run doctor`: the issuer checks, then (given a token) the token checks and the route
 * table, for one environment read exactly as `cdk synth` reads it. Returns the exit code
 * rather than exiting, so tests drive it in-process.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, contextReaderFor, loadEnvironmentConfig } from '../../lib/config';
import { readToken as readTokenFrom } from '../cli/token-input';
import { parseArgs, TOKEN_ENV, UsageError, USAGE, type DoctorArgs } from './args';
import { runIssuerChecks } from '../../rules/issuer/issuer-checks';
import { authorizerNameFor } from '../../rules/route-targets';
import { createIssuerNet } from '../../rules/issuer/issuer-net';
import type { IssuerNet } from '../../rules/issuer/net';
import { proxyFromEnvironment } from './proxy';
import { exitCodeFor, formatJson, formatText, type DoctorReport } from './report';
import { synthesizedRoutes, type SynthesizedRoute } from './routes';
import { runTokenChecks, type TokenRules } from './token-checks';
import { tokenRules } from './token-rules';

export interface DoctorIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The whole of standard input, for --token-stdin. */
  readonly readStdin: () => Promise<string>;
  /** Whether standard input is a terminal: --token-stdin then has nothing to read. */
  readonly stdinIsTty: boolean;
  /** Where DOCTOR_TOKEN is read. @default {} */
  readonly env?: NodeJS.ProcessEnv;
}

export interface DoctorDeps {
  readonly net?: (extraCa: string | undefined) => IssuerNet;
  readonly rules?: TokenRules;
  readonly routes?: (overrides: Record<string, string>) => SynthesizedRoute[];
  readonly now?: () => number;
}

export async function runDoctorCli(argv: readonly string[], io: DoctorIo, deps: DoctorDeps = {}): Promise<0 | 1 | 2> {
  let args: DoctorArgs | undefined;
  let token: string | undefined;
  let extraCa: string | undefined;
  let loaded: ReturnType<typeof loadEnvironmentConfig>;
  try {
    args = parseArgs(argv, io.env ?? {});
    if (args.help) {
      io.stdout(USAGE);
      return 0;
    }
    loaded = loadEnvironmentConfig(contextReaderFor(args.context));
    token = await readToken(args, io);
    extraCa = args.caFile === undefined ? undefined : readCa(args.caFile);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      // A mistake on the command line comes with the usage; a bad value of a readable flag does not need it.
      const withUsage = error instanceof UsageError && args === undefined;
      io.stderr(`doctor: ${error.message}\n${withUsage ? `\n${USAGE}` : ''}`);
      return 2;
    }
    throw error;
  }

  const { config } = loaded;
  const net = (
    deps.net ?? ((ca) => createIssuerNet({ ...(ca !== undefined && { extraCa: ca }), ...proxyFromEnvironment() }))
  )(extraCa);
  // Every issuer, the default first, each checked the same way. At once: every request is bounded by
  // API Gateway's 1500 ms, so two slow issuers cost one bound, not two; the report keeps this order.
  const names = [config.defaultIssuer, ...Object.keys(config.issuers).filter((name) => name !== config.defaultIssuer)];
  const results = await Promise.all(
    names.map((name) =>
      runIssuerChecks({
        issuerUrl: config.issuers[name].issuerUrl,
        net,
        allowPrivate: args.allowPrivate,
        extraCa: extraCa !== undefined,
      }),
    ),
  );
  const checked = new Map(names.map((name, index) => [name, results[index]]));
  // Which routes each issuer guards, read from the synthesized template (as deployed).
  const routes = (deps.routes ?? synthesizedRoutes)(args.context);
  const guardedBy = (name: string) =>
    routes
      .filter((route) => route.protected && route.authorizer === authorizerNameFor(name))
      .map((route) => route.routeKey)
      .sort();
  const defaultChecks = checked.get(config.defaultIssuer);
  let report: DoctorReport = {
    environment: config.name,
    issuerUrl: config.issuerUrl,
    audiences: config.audiences,
    checks: defaultChecks?.checks ?? [],
    issuers: names.map((name) => ({
      name,
      default: name === config.defaultIssuer,
      issuerUrl: config.issuers[name].issuerUrl,
      audiences: config.issuers[name].audiences,
      guards: guardedBy(name),
      ...(name !== config.defaultIssuer && { checks: checked.get(name)?.checks ?? [] }),
    })),
  };

  if (token !== undefined) {
    // The token is judged against the issuer its `iss` names (else the default), on the
    // public routes and that issuer's; another issuer's routes answer it 401.
    const tokenIssuer =
      names.find((name) => config.issuers[name].issuerUrl === unverifiedIssuer(token)) ?? config.defaultIssuer;
    const { issuerUrl, audiences } = config.issuers[tokenIssuer];
    const own = routes.filter((route) => !route.protected || route.authorizer === authorizerNameFor(tokenIssuer));
    const tokenResult = await runTokenChecks({
      token,
      issuerUrl,
      audiences,
      jwks: checked.get(tokenIssuer)?.jwks,
      routes: own,
      rules: deps.rules ?? tokenRules,
      nowSeconds: Math.floor((deps.now ?? Date.now)() / 1000),
    });
    const issuerNameOf = (authorizer: string | undefined) =>
      names.find((name) => authorizerNameFor(name) === authorizer) ?? authorizer;
    const others = routes
      .filter((route) => route.protected && route.authorizer !== authorizerNameFor(tokenIssuer))
      .map((route) => ({
        routeKey: route.routeKey,
        requires: `a token of issuer ${issuerNameOf(route.authorizer)}`,
        status: 401 as const,
        reason: `guarded by another issuer than this token's (${tokenIssuer})`,
      }));
    report = {
      ...report,
      checks: [...report.checks, ...tokenResult.checks],
      routes: [...tokenResult.routes, ...others],
    };
  }

  io.stdout(args.json ? formatJson(report) : formatText(report));
  return exitCodeFor(report);
}

/** The token's `iss`, read without verifying anything: only to pick the issuer to check against. */
function unverifiedIssuer(token: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as unknown;
    const iss = (payload as { iss?: unknown } | null)?.iss;
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return undefined;
  }
}

async function readToken(args: DoctorArgs, io: DoctorIo): Promise<string | undefined> {
  if (!args.token) return undefined;
  return readTokenFrom(
    args.token,
    { ...io, env: io.env ?? {}, warn: (line) => io.stderr(`${line}\n`) },
    { command: 'npm run doctor --', envName: TOKEN_ENV },
  );
}

function readCa(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `--ca-file ${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----'))
    throw new UsageError(`--ca-file ${path}: holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  return pem;
}
