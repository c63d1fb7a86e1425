/**
 * The quality checks of a run or of `sparkify check`: the built-in checks and the user's, run together,
 * reported, and their failing rows kept. `run` calls `gateBeforeCommit` inside the publish transaction, so a
 * blocking report rolls the new tables back (write, audit, publish).
 */
import type { Settings } from '../config/settings.js';
import { QualityCheckError } from '../errors.js';
import type { SqlDialect } from '../warehouses/sql/sql-dialect.js';
import type { Warehouse } from '../warehouses/warehouse.js';
import { builtInChecks, type BuiltInCheckOptions } from './check-definitions.js';
import { buildCheckReport, type CheckDefinition, type CheckPhase, type CheckReport } from './check-report.js';
import { recordCheckFailures, runChecks, type CheckOutcome } from './check-runner.js';
import { loadUserChecks } from './user-check-loader.js';

/** The checks to run, resolved before any data moves so that a bad check file fails the run at once. */
export interface CheckPlan {
  readonly checks: readonly CheckDefinition[];
  readonly userChecks: CheckReport['userChecks'];
}

/** Built-in checks for `dialect` plus the user checks of `settings.checks`. */
export function planChecks(
  dialect: SqlDialect,
  settings: Pick<Settings, 'checks' | 'minMatchRate'>,
  options: BuiltInCheckOptions = {},
): CheckPlan {
  const builtIn = builtInChecks(dialect, { minMatchRate: settings.minMatchRate, ...options });
  const user = loadUserChecks(settings.checks, new Set(builtIn.map((check) => check.name)));
  return { checks: [...builtIn, ...user.checks], userChecks: { folder: user.folder, files: user.checks.length } };
}

/** A report and the outcomes behind it, whose failing rows `keepFailures` stores. */
export interface CheckRun {
  readonly report: CheckReport;
  readonly outcomes: readonly CheckOutcome[];
}

/** Runs `plan` on `warehouse`; `phase` gate means inside the publish transaction. */
export async function runCheckPlan(warehouse: Warehouse, plan: CheckPlan, phase: CheckPhase): Promise<CheckRun> {
  const outcomes = await runChecks(warehouse, plan.checks, phase === 'gate');
  return {
    report: buildCheckReport(
      phase,
      outcomes.map((outcome) => outcome.result),
      plan.userChecks,
    ),
    outcomes,
  };
}

/**
 * The gate as a `beforeCommit` hook: runs the checks, hands the run to `onRun`, and throws a
 * QualityCheckError when the report blocks, which rolls the publish back.
 */
export function gateBeforeCommit(warehouse: Warehouse, plan: CheckPlan, onRun: (run: CheckRun) => void): () => Promise<void> {
  return async () => {
    const run = await runCheckPlan(warehouse, plan, 'gate');
    onRun(run);
    if (run.report.blocking) throw new QualityCheckError(run.report);
  };
}

/** Stores the failing rows of `run` in check_failures (outside any publish transaction, so they survive a rollback). */
export async function keepFailures(warehouse: Warehouse, run: CheckRun): Promise<void> {
  await recordCheckFailures(warehouse, run.outcomes);
}
