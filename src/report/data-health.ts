/**
 * The data-health section's sources. Some tables come from other parts of the product and may not exist
 * in a given warehouse yet (sparkify_runs, sparkify_files, check results): each reader returns null when
 * its table is absent, and the report says "not recorded yet" instead of failing.
 */
import { toJsonRow } from '../pipeline/query.js';
import type { Warehouse } from '../warehouses/warehouse.js';
import { HEALTH_QUERIES } from './named-queries.js';

/** JSON-ready rows. */
export type JsonRow = Record<string, unknown>;

/** Runs `sql` and returns JSON-ready rows. */
export async function jsonRows(warehouse: Warehouse, sql: string, params: readonly (string | number | null)[] = []): Promise<JsonRow[]> {
  const rows = await warehouse.query(sql, params.length > 0 ? params : undefined);
  return rows.map(toJsonRow);
}

/** The names of the tables in the warehouse's current schema. */
export async function existingTables(warehouse: Warehouse): Promise<Set<string>> {
  const rows = await jsonRows(warehouse, HEALTH_QUERIES.tables);
  return new Set(rows.map((row) => String(row.table_name).toLowerCase()));
}

/**
 * Where check results live, once the quality checks record them: the first of these tables that exists is
 * read whole (latest first when it has a `checked_at` or `run_id` column). Point it at the real table by
 * editing this list.
 */
export const CHECK_RESULT_TABLES: readonly string[] = ['sparkify_checks', 'check_results', 'sparkify_check_results'];

/** The check results, or null when no table of `CHECK_RESULT_TABLES` exists. */
export async function readCheckResults(warehouse: Warehouse, tables: ReadonlySet<string>): Promise<JsonRow[] | null> {
  const table = CHECK_RESULT_TABLES.find((name) => tables.has(name));
  if (!table) return null;
  return jsonRows(warehouse, `SELECT * FROM ${warehouse.dialect.quote(table)} LIMIT 200`);
}

/** The explanation of why plays do or do not match a catalogue song (`sparkify explain-matches`). */
export interface MatchExplanation {
  /** One line per reason, largest first: "plays whose title matches no song", for example. */
  readonly reasons: readonly { readonly reason: string; readonly plays: number }[];
}

/**
 * The match explanation for the report, or null while `sparkify explain-matches` does not exist yet: the
 * report keeps a slot for it and says so.
 */
export async function readMatchExplanation(_warehouse: Warehouse, _tables: ReadonlySet<string>): Promise<MatchExplanation | null> {
  return null;
}

/** The latest runs, or null when sparkify_runs does not exist. */
export async function readLatestRuns(warehouse: Warehouse, tables: ReadonlySet<string>): Promise<JsonRow[] | null> {
  return tables.has('sparkify_runs') ? jsonRows(warehouse, HEALTH_QUERIES.runs) : null;
}

/** Rejected records per file with the first error of each, or null when load_errors does not exist. */
export async function readRejectsByFile(warehouse: Warehouse, tables: ReadonlySet<string>): Promise<JsonRow[] | null> {
  return tables.has('load_errors') ? jsonRows(warehouse, HEALTH_QUERIES.rejectsByFile) : null;
}

/** Where the figures come from: the latest run and the files loaded. */
export interface Lineage {
  /** The latest run's id, or null when runs are not recorded. */
  readonly runId: string | null;
  readonly runStatus: string | null;
  readonly runFinishedAt: string | null;
  /** Files per dataset, from sparkify_files when recorded, else from what staging holds. */
  readonly files: readonly { readonly dataset: string; readonly files: number }[];
  readonly filesFrom: 'sparkify_files' | 'staging' | null;
}

/** The lineage of the warehouse's current figures. */
export async function readLineage(warehouse: Warehouse, tables: ReadonlySet<string>): Promise<Lineage> {
  let runId: string | null = null;
  let runStatus: string | null = null;
  let runFinishedAt: string | null = null;
  if (tables.has('sparkify_runs')) {
    const [latest] = await jsonRows(warehouse, HEALTH_QUERIES.latestRun);
    if (latest) {
      runId = latest.run_id == null ? null : String(latest.run_id);
      runStatus = latest.status == null ? null : String(latest.status);
      runFinishedAt = latest.finished_at == null ? null : String(latest.finished_at);
    }
  }
  const counted = (rows: JsonRow[]) => rows.map((row) => ({ dataset: String(row.dataset), files: Number(row.files) }));
  if (tables.has('sparkify_files')) {
    return {
      runId,
      runStatus,
      runFinishedAt,
      files: counted(await jsonRows(warehouse, HEALTH_QUERIES.recordedFiles)),
      filesFrom: 'sparkify_files',
    };
  }
  if (tables.has('staging_events') && tables.has('staging_songs')) {
    const files = counted(await jsonRows(warehouse, HEALTH_QUERIES.stagedFiles));
    // Redshift's COPY keeps no file names in staging: nothing to count there.
    if (files.some((entry) => entry.files > 0)) return { runId, runStatus, runFinishedAt, files, filesFrom: 'staging' };
  }
  return { runId, runStatus, runFinishedAt, files: [], filesFrom: null };
}
