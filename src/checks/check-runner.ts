/**
 * Runs checks on a warehouse and keeps their failing rows. Inside the publish transaction (the gate) a
 * check whose SQL fails aborts the transaction on every warehouse, so the checks after it are reported as
 * skipped rather than as errors of their own; outside it (`sparkify check`) every check runs.
 */
import { firstLineOf } from '../errors.js';
import { toJsonRow } from '../pipeline/query.js';
import { CHECK_FAILURES } from '../schema/check-tables.js';
import { sqlText } from '../warehouses/sql/match-sql.js';
import type { ResultRow, Warehouse } from '../warehouses/warehouse.js';
import { FIRST_KEYS, type CheckDefinition, type CheckResult } from './check-report.js';

/** Failing rows kept in check_failures for each failed check (the count in the report is always complete). */
export const KEPT_FAILING_ROWS = 1_000;

/** A check's result and the failing rows kept for check_failures. */
export interface CheckOutcome {
  readonly result: CheckResult;
  readonly rows: readonly Record<string, unknown>[];
}

/** Runs `checks` in order; `inTransaction` stops at the first error (the transaction is then aborted). */
export async function runChecks(warehouse: Warehouse, checks: readonly CheckDefinition[], inTransaction: boolean): Promise<CheckOutcome[]> {
  const outcomes: CheckOutcome[] = [];
  let aborted: string | undefined;
  for (const check of checks) {
    const base = { name: check.name, severity: check.severity, description: check.description, origin: check.origin };
    if (aborted) {
      const error = `not run: the check ${aborted} failed inside the publish transaction, which aborted it`;
      outcomes.push({ result: { ...base, status: 'skipped', failingRows: 0, firstFailingKeys: [], error }, rows: [] });
      continue;
    }
    try {
      if (check.quickPass && (await warehouse.query(check.quickPass))[0]?.passes === true) {
        outcomes.push({ result: { ...base, status: 'passed', failingRows: 0, firstFailingKeys: [] }, rows: [] });
        continue;
      }
      const [count] = await warehouse.query(`SELECT COUNT(*) AS failing_rows FROM (\n${check.sql}\n) failing`);
      const failingRows = Number(count?.failing_rows ?? 0);
      const rows =
        failingRows === 0
          ? []
          : (await warehouse.query(`SELECT * FROM (\n${check.sql}\n) failing ORDER BY 1 LIMIT ${KEPT_FAILING_ROWS}`)).map(toJsonRow);
      const firstFailingKeys = rows.slice(0, FIRST_KEYS).map((row) => keyOf(row));
      outcomes.push({ result: { ...base, status: failingRows === 0 ? 'passed' : 'failed', failingRows, firstFailingKeys }, rows });
    } catch (error) {
      const where = check.origin === 'built-in' ? `built-in check ${check.name}` : check.origin;
      const message = `${where}: ${firstLineOf(error)}`;
      outcomes.push({ result: { ...base, status: 'errored', failingRows: 0, firstFailingKeys: [], error: message }, rows: [] });
      if (inTransaction) aborted = check.name;
    }
  }
  return outcomes;
}

/** Replaces the contents of check_failures with the failing rows of `outcomes` (the latest checks). */
export async function recordCheckFailures(warehouse: Warehouse, outcomes: readonly CheckOutcome[]): Promise<void> {
  const table = warehouse.dialect.quote(CHECK_FAILURES.name);
  await warehouse.execute(warehouse.dialect.createTable(CHECK_FAILURES, { ifNotExists: true }));
  const values = outcomes.flatMap(({ result, rows }) =>
    rows.map((row) => {
      const cells = [result.name, result.severity, clip(keyOf(row), 1_000), clip(JSON.stringify(row), 16_000)];
      return `(${cells.map(sqlText).join(', ')})`;
    }),
  );
  await warehouse.transaction(async () => {
    await warehouse.execute(`DELETE FROM ${table}`);
    for (let start = 0; start < values.length; start += 200) {
      await warehouse.execute(
        `INSERT INTO ${table} (check_name, severity, failing_key, row_json) VALUES\n${values.slice(start, start + 200).join(',\n')}`,
      );
    }
  });
}

// A failing row's key: its first column, as text.
function keyOf(row: ResultRow): string {
  const value = Object.values(row)[0];
  if (value === null || value === undefined) return 'NULL';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

// Within the column's width (row_json is VARCHAR(65535) bytes on Redshift; 16,000 characters fit any UTF-8).
function clip(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
