/**
 * `npm run doctor`: the issuer checks, then (given a token) the token checks and the route
 * table, for one environment read exactly as `cdk synth` reads it. Returns the exit code
 * rather than exiting, so tests drive it in-process.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, contextReaderFor, loadEnvironmentConfig } from '../../lib/config';
import { normalizeToken, parseArgs, UsageError, USAGE, type DoctorArgs } from './args';
import { runIssuerChecks } from '../../rules/issuer/issuer-checks';
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
}

export interface DoctorDeps {
  readonly net?: (extraCa: string | undefined) => IssuerNet;
  readonly rules?: TokenRules;
  readonly routes?: (overrides: Record<string, string>) => SynthesizedRoute[];
  readonly now?: () => number;
}

export async function runDoctorCli(argv: readonly string[], io: DoctorIo, deps: DoctorDeps = {}): Promise<0 | 1 | 2> {
  let args: DoctorArgs;
  let token: string | undefined;
  let extraCa: string | undefined;
  let loaded: ReturnType<typeof loadEnvironmentConfig>;
  try {
    args = parseArgs(argv);
    if (args.help) {
      io.stdout(USAGE);
      return 0;
    }
    loaded = loadEnvironmentConfig(contextReaderFor(args.context));
    token = await readToken(args, io);
    extraCa = args.caFile === undefined ? undefined : readCa(args.caFile);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      io.stderr(`doctor: ${error.message}\n`);
      return 2;
    }
    throw error;
  }

  const { config } = loaded;
  const net = (
    deps.net ?? ((ca) => createIssuerNet({ ...(ca !== undefined && { extraCa: ca }), ...proxyFromEnvironment() }))
  )(extraCa);
  const issuer = await runIssuerChecks({
    issuerUrl: config.issuerUrl,
    net,
    allowPrivate: args.allowPrivate,
    extraCa: extraCa !== undefined,
  });
  let report: DoctorReport = {
    environment: config.name,
    issuerUrl: config.issuerUrl,
    audiences: config.audiences,
    checks: issuer.checks,
  };

  if (token !== undefined) {
    const routes = (deps.routes ?? synthesizedRoutes)(args.context);
    const tokenResult = await runTokenChecks({
      token,
      issuerUrl: config.issuerUrl,
      audiences: config.audiences,
      jwks: issuer.jwks,
      routes,
      rules: deps.rules ?? tokenRules,
      nowSeconds: Math.floor((deps.now ?? Date.now)() / 1000),
    });
    report = { ...report, checks: [...report.checks, ...tokenResult.checks], routes: tokenResult.routes };
  }

  io.stdout(args.json ? formatJson(report) : formatText(report));
  return exitCodeFor(report);
}

async function readToken(args: DoctorArgs, io: DoctorIo): Promise<string | undefined> {
  const source = args.token;
  if (!source) return undefined;
  let raw: string;
  let flag: string;
  if (source.kind === 'inline') {
    raw = source.value;
    flag = '--token';
  } else if (source.kind === 'file') {
    flag = `--token-file ${source.path}`;
    try {
      raw = readFileSync(source.path, 'utf8');
    } catch (error) {
      throw new UsageError(
        `${flag}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
    }
  } else {
    flag = '--token-stdin';
    // Waiting on a terminal would hang: the token has to be piped in.
    if (io.stdinIsTty)
      throw new UsageError(
        '--token-stdin needs the token piped in, e.g. echo "$TOKEN" | npm run doctor -- --token-stdin',
      );
    raw = await io.readStdin();
  }
  const token = normalizeToken(raw);
  if (token === '') throw new UsageError(`${flag}: the token is empty`);
  if (/\s/.test(token))
    throw new UsageError(`${flag}: the token contains white space (pass the access_token value alone)`);
  return token;
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
