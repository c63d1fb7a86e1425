/**
 * The warehouse contract: what the pipeline needs from DuckDB, PostgreSQL or Redshift. Each implementation
 * lives in its own folder; the SQL they share is built by `sql/`.
 */
import { availableParallelism } from 'node:os';
import type { Settings } from '../config/settings.js';
import type { DatasetSpec } from '../pipeline/dataset-stager.js';
import type { StagingRow } from '../records/record-types.js';
import type { TableSpec } from '../schema/table-spec.js';
import type { SqlDialect } from './sql/sql-dialect.js';
import type { ReleaseRunLock, RunLockOptions, RunLockOwner } from './run-lock.js';

/**
 * How many worker threads stage local files at once: one per core, up to four (the main thread only lists
 * files and passes messages). A writer may open as many load sessions, one for each worker's rows.
 */
export const STAGING_WORKERS = Math.min(availableParallelism(), 4);

/** A query result row, with JavaScript values: numbers (bigints when too large), strings, Dates, null. */
export type ResultRow = Record<string, unknown>;

/** Streams rows into one table. Rows are written in batches; `finish` makes them durable. */
export interface TableWriter {
  /** Appends `rows` (each in the table's column order). Resolves when the writer can take more. */
  write(rows: readonly StagingRow[]): Promise<void>;
  /**
   * Present on a writer that loads staging files itself (DuckDB's read_parquet): the stager then writes
   * records straight into such files, in worker threads, instead of handing over rows.
   */
  readonly stagingFiles?: StagingFileIntake;
  /**
   * Present on a writer that takes rows already encoded in its load format (PostgreSQL's COPY CSV): the
   * stager then encodes records in worker threads and hands over the bytes.
   */
  readonly encodedRows?: EncodedRowIntake;
  /** Flushes and closes; returns the number of rows written. */
  finish(): Promise<number>;
  /** Abandons the load after a failure, releasing what the writer holds. */
  abort(): Promise<void>;
}

/**
 * How a writer takes staging files: Parquet files of the table's columns (`records/staging-parquet-writer.ts`).
 * It owns them once handed over: it loads them when it sees fit, deletes them, and removes `folder` when it
 * finishes or aborts; a failed load surfaces at a later `add` or at `finish`.
 */
export interface StagingFileIntake {
  /** The folder to write the files in. */
  readonly folder: string;
  /** Hands over a complete file of `rows` rows; resolves when the writer can take more. */
  add(path: string, rows: number): Promise<void>;
}

/**
 * How a writer takes encoded rows: chunks of whole rows in the CSV of `records/staging-csv-writer.ts`, in
 * the table's column order. Chunks from several threads may arrive in any order; each is written whole.
 */
export interface EncodedRowIntake {
  readonly format: 'csv';
  /** Takes `bytes` holding `rows` rows; resolves once they are on their way and the writer can take more. */
  add(bytes: Uint8Array, rows: number): Promise<void>;
}

/** A connected warehouse. */
export interface Warehouse {
  /** The SQL this warehouse speaks. */
  readonly dialect: SqlDialect;
  /** Where it is, for messages and summaries; never holds a password. */
  readonly description: string;

  /** Runs one statement that returns no rows. */
  execute(sql: string): Promise<void>;
  /** Runs one statement and returns its rows. */
  query(sql: string): Promise<ResultRow[]>;
  /**
   * Runs one statement of the user's and returns its result with every column, duplicate names included,
   * in order. More than one statement is refused (`QueryError`). `sparkify query` and the dashboard use it.
   */
  queryTable(sql: string): Promise<QueryTable>;
  /**
   * Takes the warehouse's run lock for `owner`, so one run (or create-tables) at a time changes it; throws
   * `RunLockedError` naming the holder when another process has it (after `waitSeconds`, if given).
   */
  acquireRunLock(owner: RunLockOwner, options?: RunLockOptions): Promise<ReleaseRunLock>;
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  /** Opens a bulk writer into `table` (Appender on DuckDB, COPY FROM STDIN on PostgreSQL). */
  openWriter(table: TableSpec): Promise<TableWriter>;
  /**
   * Present on a warehouse that reads the source files itself (Redshift's COPY from S3): loads `dataset`
   * into its staging table and its rejected records into load_errors. When present, the pipeline calls it
   * instead of streaming the files through `openWriter`.
   */
  stageFromStorage?(dataset: DatasetSpec, settings: Settings): Promise<StorageStageResult>;
  /** Closes the connection. Safe to call twice. */
  close(): Promise<void>;
}

/** A query result as columns and rows of values in column order; names may repeat. */
export interface QueryTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

/** What `stageFromStorage` reports for one dataset; the pipeline counts the staged rows itself. */
export interface StorageStageResult {
  /** Objects the warehouse loaded. */
  readonly files: number;
  /** Their size, when the warehouse reports it (0 when not). */
  readonly bytes: number;
  /** Records rejected, now rows of load_errors. */
  readonly rejected: number;
}

/** How a warehouse is opened. */
export interface WarehouseOpenOptions {
  /** Refuse writes: `sparkify query` opens warehouses this way. */
  readonly readOnly?: boolean;
}
