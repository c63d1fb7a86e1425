/**
 * `check`: the quality checks on the published star tables, outside any load (`sparkify check`).
 */
import { runCheckPlan, keepFailures, planChecks } from '../checks/quality-gate.js';
import type { CheckReport } from '../checks/check-report.js';
import { loadSettings, type LoadSettingsInput, type Settings } from '../config/settings.js';
import { withWarehouse } from '../warehouses/open-warehouse.js';

/** Options of `check`: settings (or the inputs to resolve them). */
export interface CheckOptions extends LoadSettingsInput {
  readonly settings?: Settings;
}

/**
 * Runs the built-in and user checks on the published tables, keeps their failing rows in check_failures and
 * returns the report (`report.blocking` says whether an error check failed, a check errored, or none ran).
 * The check that records read = staged + rejected needs a load's own counts, so only `run` has it.
 *
 * @example
 * const report = await check({ options: { warehouse: 'duckdb:sparkify.duckdb', checks: './checks' } });
 * if (report.blocking) process.exitCode = 1;
 */
export async function check(options: CheckOptions = {}): Promise<CheckReport> {
  const settings = options.settings ?? loadSettings(options);
  return withWarehouse(settings.warehouse, { existing: true }, async (warehouse) => {
    const run = await runCheckPlan(warehouse, planChecks(warehouse.dialect, settings), 'check');
    await keepFailures(warehouse, run);
    return run.report;
  });
}
