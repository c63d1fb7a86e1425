/**
 * What the quality checks report: one result per check (passed, failed, errored, or skipped when an earlier
 * error aborted the transaction they ran in) and a summary that says whether publishing is blocked. Plain
 * JSON values only, so the report goes into `--json` and into the runs table as it is.
 */
import { groupDigits } from '../number-format.js';

/** `error` blocks publishing when the check fails; `warn` is printed and recorded, never blocking. */
export type CheckSeverity = 'error' | 'warn';

/** How a check ended. `errored`: its SQL failed. `skipped`: not run (an earlier check aborted the transaction). */
export type CheckStatus = 'passed' | 'failed' | 'errored' | 'skipped';

/** A check: a SELECT returning the failing rows, whose first column is the failing row's key. */
export interface CheckDefinition {
  readonly name: string;
  readonly severity: CheckSeverity;
  /** One line on what the check asserts. */
  readonly description: string;
  /** `built-in`, or the path of the user's `.sql` file. */
  readonly origin: string;
  readonly sql: string;
  /**
   * A cheaper SELECT of one row whose `passes` column, when true, proves the check passes, so `sql` need not
   * run; false or NULL proves nothing and `sql` runs. Built-in checks only (see `SqlDialect.hashSum`).
   */
  readonly quickPass?: string;
}

/** The outcome of one check. */
export interface CheckResult {
  readonly name: string;
  readonly severity: CheckSeverity;
  readonly status: CheckStatus;
  readonly description: string;
  readonly origin: string;
  /** Rows the check's SELECT returned (0 unless failed). */
  readonly failingRows: number;
  /** The keys (first column) of the first failing rows, in key order. */
  readonly firstFailingKeys: readonly string[];
  /** For `errored`: the file (or check) and the warehouse's message. For `skipped`: why. */
  readonly error?: string;
}

/** Where the checks ran: `gate` on the newly built tables before publishing, `check` on the published ones. */
export type CheckPhase = 'gate' | 'check';

/** All checks of one gate or `sparkify check`. */
export interface CheckReport {
  readonly phase: CheckPhase;
  /** Checks that ran to the end (passed or failed); errored and skipped ones are not counted. */
  readonly ran: number;
  readonly passed: number;
  /** Error-severity checks that failed. */
  readonly failed: number;
  /** Warn-severity checks that failed. */
  readonly warnings: number;
  readonly errored: number;
  readonly skipped: number;
  /** True when the tables must not be published: an error check failed, a check errored, or none ran. */
  readonly blocking: boolean;
  /** The user checks' folder (null when there is none) and how many `.sql` files it held. */
  readonly userChecks: { readonly folder: string | null; readonly files: number };
  readonly results: readonly CheckResult[];
}

/** How many failing keys a result lists. */
export const FIRST_KEYS = 5;

/** Summarizes `results` into a report. */
export function buildCheckReport(phase: CheckPhase, results: readonly CheckResult[], userChecks: CheckReport['userChecks']): CheckReport {
  const count = (test: (result: CheckResult) => boolean) => results.filter(test).length;
  const ran = count((result) => result.status === 'passed' || result.status === 'failed');
  const failed = count((result) => result.status === 'failed' && result.severity === 'error');
  const errored = count((result) => result.status === 'errored');
  return {
    phase,
    ran,
    passed: count((result) => result.status === 'passed'),
    failed,
    warnings: count((result) => result.status === 'failed' && result.severity === 'warn'),
    errored,
    skipped: count((result) => result.status === 'skipped'),
    blocking: failed > 0 || errored > 0 || ran === 0,
    userChecks,
    results,
  };
}

/** One line for a result: its name, severity, failing rows and first keys (or why it errored). */
export function describeResult(result: CheckResult): string {
  if (result.status === 'errored' || result.status === 'skipped') return `${result.name} (${result.status}): ${result.error ?? ''}`;
  const keys = result.firstFailingKeys.length > 0 ? `; first keys: ${result.firstFailingKeys.join(', ')}` : '';
  const rows = `${groupDigits(result.failingRows)} failing row${result.failingRows === 1 ? '' : 's'}`;
  return `${result.name} (${result.severity}): ${rows}${keys}`;
}

/** The one-line reason a report blocks: the checks that failed or errored, or that none ran. */
export function blockingReason(report: CheckReport): string {
  if (report.ran === 0 && report.failed === 0 && report.errored === 0) return 'no check ran';
  return report.results
    .filter((result) => result.status === 'errored' || (result.status === 'failed' && result.severity === 'error'))
    .map(describeResult)
    .join('; ');
}
