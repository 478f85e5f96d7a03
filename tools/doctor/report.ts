/**
 * The doctor's results: one line per check, in a fixed order, each with a verdict and, for
 * every warn or fail, the fix in WSO2 IS / Asgardeo terms. Text for people, JSON for scripts.
 */

import type { CheckResult, Verdict } from '../../rules/issuer/check-result';

export type { CheckResult, Verdict };

/** How API Gateway would answer one route for the token given. */
export interface RouteOutcome {
  readonly routeKey: string;
  /** `public`, `any valid token`, or the scopes of which the token needs one. */
  readonly requires: string;
  readonly status: 200 | 401 | 403;
  readonly reason: string;
}

/** One issuer of the environment and the protected routes its authorizer guards. */
export interface IssuerReport {
  readonly name: string;
  readonly default: boolean;
  readonly issuerUrl: string;
  readonly audiences: readonly string[];
  /** Route keys, from the synthesized template. */
  readonly guards: readonly string[];
  /** The checks of an issuer other than the default (the default's are the report's `checks`). */
  readonly checks?: readonly CheckResult[];
}

export interface DoctorReport {
  readonly environment: string;
  /** The default issuer's. */
  readonly issuerUrl: string;
  readonly audiences: readonly string[];
  /** The default issuer's checks, then (given a token) the token's. */
  readonly checks: readonly CheckResult[];
  /** Every issuer, the default first. */
  readonly issuers?: readonly IssuerReport[];
  /** Only with a token. */
  readonly routes?: readonly RouteOutcome[];
}

export function summarize(checks: readonly CheckResult[]): Record<Verdict, number> {
  const counts: Record<Verdict, number> = { ok: 0, warn: 0, fail: 0, skip: 0 };
  for (const check of checks) counts[check.verdict] += 1;
  return counts;
}

/** Every check of the report: the default issuer's and token's, then the other issuers'. */
export function allChecks(report: DoctorReport): CheckResult[] {
  return [...report.checks, ...(report.issuers ?? []).flatMap((issuer) => issuer.checks ?? [])];
}

/** 0 when nothing failed, 1 otherwise (2, bad usage, is the CLI's business). */
export function exitCodeFor(report: DoctorReport): 0 | 1 {
  return allChecks(report).some((check) => check.verdict === 'fail') ? 1 : 0;
}

function checkLines(checks: readonly CheckResult[], indent: string): string[] {
  const lines: string[] = [];
  const titleWidth = Math.max(...checks.map((check) => check.title.length));
  for (const check of checks) {
    lines.push(`${indent}${check.verdict.padEnd(4)}  ${check.title.padEnd(titleWidth)}  ${check.detail}`);
    if (check.fix && (check.verdict === 'warn' || check.verdict === 'fail')) {
      lines.push(`${indent}${' '.repeat(6 + titleWidth)}  fix: ${check.fix}`);
    }
  }
  return lines;
}

const guardsText = (guards: readonly string[]) =>
  guards.length > 0 ? `guards ${guards.join(', ')}` : 'guards no route';

export function formatText(report: DoctorReport): string {
  const issuers = report.issuers ?? [];
  const defaultIssuer = issuers.find((issuer) => issuer.default);
  const lines: string[] = [
    `environment ${report.environment}: issuer ${report.issuerUrl}, audiences ${report.audiences.join(', ')}`,
  ];
  if (defaultIssuer) lines.push(`issuer ${defaultIssuer.name} (default) ${guardsText(defaultIssuer.guards)}`);
  lines.push('', ...checkLines(report.checks, ''));
  for (const issuer of issuers.filter((candidate) => !candidate.default)) {
    lines.push(
      '',
      `issuer ${issuer.name}: ${issuer.issuerUrl}, audiences ${issuer.audiences.join(', ')}; ` +
        guardsText(issuer.guards),
      ...checkLines(issuer.checks ?? [], '  '),
    );
  }
  if (report.routes) {
    lines.push('', 'routes, as API Gateway would answer this token:');
    const keyWidth = Math.max(...report.routes.map((route) => route.routeKey.length));
    const requiresWidth = Math.max(...report.routes.map((route) => route.requires.length));
    for (const route of report.routes) {
      lines.push(
        [
          `  ${route.routeKey.padEnd(keyWidth)}`,
          route.requires.padEnd(requiresWidth),
          String(route.status),
          route.reason,
        ].join('  '),
      );
    }
  }
  const counts = summarize(allChecks(report));
  lines.push('', `${counts.ok} ok, ${counts.warn} warn, ${counts.fail} fail, ${counts.skip} skip`);
  return `${lines.join('\n')}\n`;
}

export function formatJson(report: DoctorReport): string {
  const summary = summarize(allChecks(report));
  return `${JSON.stringify({ ...report, summary, exitCode: exitCodeFor(report) }, null, 2)}\n`;
}
