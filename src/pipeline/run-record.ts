/**
 * The run's record: its row of `sparkify_runs` and the ledger rows of the files it loaded, as statements
 * the publish runs inside its transaction; and the reading of past runs (`sparkify runs`, the no-op line).
 */
import { BATCH_ERRORS, BATCH_EVENTS, BATCH_FILES, BATCH_SONGS, SPARKIFY_FILES, SPARKIFY_RUNS } from '../schema/ledger-tables.js';
import { LOAD_ERRORS, STAGING_EVENTS, STAGING_SONGS } from '../schema/staging-tables.js';
import type { SqlDialect } from '../warehouses/sql/sql-dialect.js';
import type { ResultRow, Warehouse } from '../warehouses/warehouse.js';
import type { FileCounts } from './file-selection.js';

/** What one row of `sparkify_runs` holds. */
export interface RunRecord {
  readonly runId: number;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly status: 'succeeded' | 'no-op' | 'failed';
  readonly mode: RunMode;
  readonly songFiles?: FileCounts;
  readonly eventFiles?: FileCounts;
  readonly recordsRead: number;
  readonly recordsRejected: number;
  readonly songplays?: number;
  readonly version: string;
  /** The run's settings, secrets already masked. */
  readonly settings: unknown;
  readonly seconds: Readonly<Record<string, number>>;
  readonly error?: string;
  /** The whole summary, as JSON. */
  readonly details?: unknown;
}

/** How a run chose its files. */
export type RunMode = 'incremental' | 'full-refresh' | 'backfill';

/** The id the next run takes: one more than the latest. */
export async function nextRunId(warehouse: Warehouse): Promise<number> {
  const [row] = await warehouse.query(`SELECT COALESCE(MAX(run_id), 0) + 1 AS next FROM ${SPARKIFY_RUNS.name}`);
  return Number(row?.next ?? 1);
}

/** The latest run that published something (succeeded): for "nothing new since run N", and its match mode. */
export async function latestPublishingRun(warehouse: Warehouse): Promise<PublishingRun | undefined> {
  const [row] = await warehouse.query(
    `SELECT run_id, finished_at, settings FROM ${SPARKIFY_RUNS.name} WHERE status = 'succeeded' ORDER BY run_id DESC LIMIT 1`,
  );
  if (!row) return undefined;
  let recorded: { match?: string; recordRules?: number } = {};
  try {
    recorded = JSON.parse(String(row.settings)) as typeof recorded;
  } catch {
    // A settings column that is not JSON says nothing about the match mode or the rules.
  }
  return {
    runId: Number(row.run_id),
    finishedAt: new Date(row.finished_at as string | Date),
    ...(recorded.match ? { match: recorded.match } : {}),
    // Runs before the rules had a version recorded none: version 1.
    recordRules: typeof recorded.recordRules === 'number' ? recorded.recordRules : 1,
  };
}

/** The latest run that published: when, and the settings that decide whether the next one must reload all. */
export interface PublishingRun {
  readonly runId: number;
  readonly finishedAt: Date;
  /** Its `--match` mode, when recorded. */
  readonly match?: string;
  /** The `RECORD_RULES_VERSION` its records were staged under. */
  readonly recordRules: number;
}

/** The INSERT of a run's row. */
export function runRecordStatement(dialect: SqlDialect, record: RunRecord): string {
  const text = (value: string | undefined) => (value === undefined ? 'NULL' : dialect.stringLiteral(value));
  const number = (value: number | undefined) => (value === undefined ? 'NULL' : String(Math.trunc(value)));
  const time = (value: Date) => `CAST(${dialect.stringLiteral(value.toISOString().replace('T', ' ').replace('Z', ''))} AS TIMESTAMP)`;
  const files = (counts: FileCounts | undefined) =>
    [counts?.new, counts?.changed, counts?.unchanged, counts?.removed].map((value) => number(value));
  const values = [
    number(record.runId),
    time(record.startedAt),
    time(record.finishedAt),
    text(record.status),
    text(record.mode),
    ...files(record.songFiles),
    ...files(record.eventFiles),
    number(record.recordsRead),
    number(record.recordsRejected),
    number(record.songplays),
    text(record.version),
    text(JSON.stringify(record.settings)),
    text(JSON.stringify(record.seconds)),
    text(record.error?.slice(0, 1000)),
    text(record.details === undefined ? undefined : JSON.stringify(record.details, bigintsAsNumbers)),
  ];
  const columns = SPARKIFY_RUNS.columns.map((column) => column.name).join(', ');
  return `INSERT INTO ${SPARKIFY_RUNS.name} (${columns})\nVALUES (${values.join(', ')})`;
}

/**
 * The ledger rows of the files a run loaded: the batch's files with their records counted from the batch
 * (read = staged + rejected, per file), replacing any earlier row of the same file. Run inside the publish,
 * after the batch has joined staging.
 */
export function ledgerStatements(dialect: SqlDialect, runId: number, loadedAt: Date, full: boolean): string[] {
  const at = `CAST(${dialect.stringLiteral(loadedAt.toISOString().replace('T', ' ').replace('Z', ''))} AS TIMESTAMP)`;
  // A full publish has made staging the batch (renamed into it, or copied): the counts are read there.
  const [songs, events, errors] = full ? [STAGING_SONGS, STAGING_EVENTS, LOAD_ERRORS] : [BATCH_SONGS, BATCH_EVENTS, BATCH_ERRORS];
  const staged = `SELECT source_file, COUNT(*) AS n FROM ${songs.name} GROUP BY source_file
    UNION ALL
    SELECT source_file, COUNT(*) AS n FROM ${events.name} GROUP BY source_file`;
  return [
    ...(full ? [] : [`DELETE FROM ${SPARKIFY_FILES.name} WHERE source_file IN (SELECT source_file FROM ${BATCH_FILES.name})`]),
    `INSERT INTO ${SPARKIFY_FILES.name} (${SPARKIFY_FILES.columns.map((column) => column.name).join(', ')})
SELECT f.source_file, f.dataset, f.size, f.change_token,
       COALESCE(s.n, 0) + COALESCE(r.n, 0), COALESCE(s.n, 0), COALESCE(r.n, 0), ${runId}, ${at}
FROM ${BATCH_FILES.name} f
LEFT JOIN (
    ${staged}
) s ON s.source_file = f.source_file
LEFT JOIN (SELECT source_file, COUNT(*) AS n FROM ${errors.name} GROUP BY source_file) r ON r.source_file = f.source_file`,
  ];
}

/** The latest runs, newest first. */
export async function listRuns(warehouse: Warehouse, limit: number): Promise<ResultRow[]> {
  return warehouse.query(
    `SELECT run_id, started_at, finished_at, status, mode,
            song_files_new, song_files_changed, song_files_unchanged, song_files_removed,
            event_files_new, event_files_changed, event_files_unchanged, event_files_removed,
            records_read, records_rejected, songplays, sparkify_version, error
     FROM ${SPARKIFY_RUNS.name} ORDER BY run_id DESC LIMIT ${Math.max(1, Math.trunc(limit))}`,
  );
}

function bigintsAsNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? Number(value) : value;
}
