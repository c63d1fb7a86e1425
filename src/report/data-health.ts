/**
 * The data-health section's sources: `sparkify_runs` and `sparkify_files` (written by every `sparkify run`
 * in its publish transaction), the checks of the latest publishing run (its `details` JSON) with their
 * failing rows from `check_failures`, and `load_errors`. A reader returns null when its table is absent or
 * holds no row yet (a warehouse set up but never loaded), and the report says "not recorded yet".
 */
import type { CheckResult } from '../checks/check-report.js';
import { toJsonRow } from '../pipeline/query.js';
import { CHECK_FAILURES } from '../schema/check-tables.js';
import { SPARKIFY_FILES, SPARKIFY_RUNS } from '../schema/ledger-tables.js';
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

/** The latest run that published (status succeeded), as the report reads it from `sparkify_runs`. */
export interface PublishingRun {
  readonly runId: number;
  readonly finishedAt: string | null;
  /** The run's `settings` JSON, parsed ({} when it is not JSON). */
  readonly settings: Readonly<Record<string, unknown>>;
  /** The run's `details` JSON (its RunSummary), parsed (null when absent or not JSON). */
  readonly details: Readonly<Record<string, unknown>> | null;
}

/** The latest succeeded run, or null when `sparkify_runs` is absent or has none. */
export async function readLatestPublishingRun(warehouse: Warehouse, tables: ReadonlySet<string>): Promise<PublishingRun | null> {
  if (!tables.has(SPARKIFY_RUNS.name)) return null;
  const [row] = await jsonRows(warehouse, HEALTH_QUERIES.latestPublishingRun);
  if (!row) return null;
  return {
    runId: Number(row.run_id),
    finishedAt: row.finished_at == null ? null : String(row.finished_at),
    settings: parseObject(row.settings) ?? {},
    details: parseObject(row.details),
  };
}

/** The latest runs, newest first (without the settings and details JSON), or null when none is recorded. */
export async function readLatestRuns(warehouse: Warehouse, tables: ReadonlySet<string>): Promise<JsonRow[] | null> {
  if (!tables.has(SPARKIFY_RUNS.name)) return null;
  const rows = await jsonRows(warehouse, HEALTH_QUERIES.runs);
  return rows.length > 0 ? rows : null;
}

/** Rejected records per file with the first error of each, or null when load_errors does not exist. */
export async function readRejectsByFile(warehouse: Warehouse, tables: ReadonlySet<string>): Promise<JsonRow[] | null> {
  return tables.has('load_errors') ? jsonRows(warehouse, HEALTH_QUERIES.rejectsByFile) : null;
}

/** The checks of the latest publishing run, and the failing rows `check_failures` keeps. */
export interface CheckSummary {
  readonly runId: number;
  /** One row per check: name, severity, status, failing_rows, first_failing_keys. */
  readonly results: readonly JsonRow[];
  /** Failing rows (check_name, severity, failing_key, row_json), the first per check. */
  readonly failures: readonly JsonRow[];
}

/**
 * The checks of the latest publishing run, or null when no run recorded checks (no succeeded run, or its
 * summary has no `checks`).
 */
export async function readCheckResults(
  warehouse: Warehouse,
  tables: ReadonlySet<string>,
  latest: PublishingRun | null,
): Promise<CheckSummary | null> {
  const checks = latest?.details?.checks as { results?: readonly CheckResult[] } | undefined;
  if (!latest || !Array.isArray(checks?.results)) return null;
  const results = checks.results.map((result) => ({
    name: result.name,
    severity: result.severity,
    status: result.status,
    failing_rows: result.failingRows,
    first_failing_keys: result.firstFailingKeys.join(', '),
    ...(result.error ? { error: result.error } : {}),
  }));
  const failures = tables.has(CHECK_FAILURES.name) ? await jsonRows(warehouse, HEALTH_QUERIES.checkFailures) : [];
  return { runId: latest.runId, results, failures };
}

/** Where the figures come from: the latest succeeded run and the files it loaded. */
export interface Lineage {
  /** The latest succeeded run's id, or null when none is recorded. */
  readonly runId: string | null;
  readonly runStatus: string | null;
  readonly runFinishedAt: string | null;
  /** Files per dataset, from sparkify_files when recorded, else from what staging holds. */
  readonly files: readonly { readonly dataset: string; readonly files: number }[];
  readonly filesFrom: 'sparkify_files' | 'staging' | null;
  /** The files the latest succeeded run (re)loaded, from sparkify_files (unchanged files keep their earlier run), the first 200. */
  readonly runFiles: readonly JsonRow[];
  /** How many files that run (re)loaded in all. */
  readonly runFileCount: number;
}

/** The lineage of the warehouse's current figures. */
export async function readLineage(warehouse: Warehouse, tables: ReadonlySet<string>, latest: PublishingRun | null): Promise<Lineage> {
  const run = {
    runId: latest ? String(latest.runId) : null,
    runStatus: latest ? 'succeeded' : null,
    runFinishedAt: latest?.finishedAt ?? null,
  };
  const counted = (rows: JsonRow[]) => rows.map((row) => ({ dataset: String(row.dataset), files: Number(row.files) }));
  if (tables.has(SPARKIFY_FILES.name)) {
    const files = counted(await jsonRows(warehouse, HEALTH_QUERIES.recordedFiles));
    if (files.length > 0) {
      const runFiles = latest ? await jsonRows(warehouse, HEALTH_QUERIES.runFiles(latest.runId)) : [];
      const [count] = latest ? await jsonRows(warehouse, HEALTH_QUERIES.runFileCount(latest.runId)) : [];
      return { ...run, files, filesFrom: 'sparkify_files', runFiles, runFileCount: Number(count?.files ?? 0) };
    }
  }
  if (tables.has('staging_events') && tables.has('staging_songs')) {
    const files = counted(await jsonRows(warehouse, HEALTH_QUERIES.stagedFiles));
    // Redshift's COPY keeps no file names in staging: nothing to count there.
    if (files.some((entry) => entry.files > 0)) return { ...run, files, filesFrom: 'staging', runFiles: [], runFileCount: 0 };
  }
  return { ...run, files: [], filesFrom: null, runFiles: [], runFileCount: 0 };
}

function parseObject(text: unknown): Record<string, unknown> | null {
  if (typeof text !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    // A column that is not JSON says nothing; the report shows what it can.
    return null;
  }
}
