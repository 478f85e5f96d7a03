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

export interface DoctorReport {
  readonly environment: string;
  readonly issuerUrl: string;
  readonly audiences: readonly string[];
  readonly checks: readonly CheckResult[];
  /** Only with a token. */
  readonly routes?: readonly RouteOutcome[];
}

export function summarize(checks: readonly CheckResult[]): Record<Verdict, number> {
  const counts: Record<Verdict, number> = { ok: 0, warn: 0, fail: 0, skip: 0 };
  for (const check of checks) counts[check.verdict] += 1;
  return counts;
}

/** 0 when nothing failed, 1 otherwise (2, bad usage, is the CLI's business). */
export function exitCodeFor(report: DoctorReport): 0 | 1 {
  return report.checks.some((check) => check.verdict === 'fail') ? 1 : 0;
}

export function formatText(report: DoctorReport): string {
  const lines: string[] = [
    `environment ${report.environment}: issuer ${report.issuerUrl}, audiences ${report.audiences.join(', ')}`,
    '',
  ];
  const titleWidth = Math.max(...report.checks.map((check) => check.title.length));
  for (const check of report.checks) {
    lines.push(`${check.verdict.padEnd(4)}  ${check.title.padEnd(titleWidth)}  ${check.detail}`);
    if (check.fix && (check.verdict === 'warn' || check.verdict === 'fail')) {
      lines.push(`${' '.repeat(6 + titleWidth)}  fix: ${check.fix}`);
    }
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
  const counts = summarize(report.checks);
  lines.push('', `${counts.ok} ok, ${counts.warn} warn, ${counts.fail} fail, ${counts.skip} skip`);
  return `${lines.join('\n')}\n`;
}

export function formatJson(report: DoctorReport): string {
  const withSummary = { ...report, summary: summarize(report.checks), exitCode: exitCodeFor(report) };
  return `${JSON.stringify(withSummary, null, 2)}\n`;
}
