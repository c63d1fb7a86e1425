/**
 * `recentRuns`: the latest rows of `sparkify_runs`, as JSON-ready objects, for `sparkify runs`.
 */
import { loadSettings, type LoadSettingsInput, type Settings } from '../config/settings.js';
import { SPARKIFY_RUNS } from '../schema/ledger-tables.js';
import { withWarehouse } from '../warehouses/open-warehouse.js';
import { toJsonRow } from './query.js';
import { listRuns } from './run-record.js';

/** Options of `recentRuns`. */
export interface RecentRunsOptions extends LoadSettingsInput {
  readonly settings?: Settings;
  /** How many runs, newest first (default 10). */
  readonly limit?: number;
}

/**
 * The latest runs, newest first; none when the warehouse has no runs table yet.
 *
 * @example
 * for (const run of await recentRuns({ limit: 3 })) console.log(run.run_id, run.status, run.mode);
 */
export async function recentRuns(options: RecentRunsOptions = {}): Promise<Record<string, unknown>[]> {
  const settings = options.settings ?? loadSettings(options);
  return withWarehouse(settings.warehouse, { readOnly: true }, async (warehouse) => {
    const [exists] = await warehouse.query(
      `SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = '${SPARKIFY_RUNS.name}' AND table_schema = current_schema()`,
    );
    if (Number(exists?.n ?? 0) === 0) return [];
    const rows = await listRuns(warehouse, options.limit ?? 10);
    return rows.map((row) => {
      const json = toJsonRow(row);
      const started = Date.parse(String(json.started_at));
      const finished = Date.parse(String(json.finished_at));
      return { ...json, seconds: Number.isFinite(finished - started) ? Math.round((finished - started) / 100) / 10 : null };
    });
  });
}
