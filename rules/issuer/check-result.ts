/**
 * One check's result, shared by the doctor's report and the deploy-time Lambda, so a deploy
 * fails with the same words the doctor prints.
 */

export type Verdict = 'ok' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  /** Stable id, e.g. `discovery.issuer`: scripts match on it. */
  readonly id: string;
  /** Short label shown in the left column. */
  readonly title: string;
  readonly verdict: Verdict;
  /** What was seen (for skip: why the check could not run). */
  readonly detail: string;
  /** What to change, for warn and fail. */
  readonly fix?: string;
}
