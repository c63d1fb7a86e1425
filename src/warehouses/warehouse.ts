/**
 * The warehouse contract: what the pipeline needs from DuckDB, PostgreSQL or Redshift. Each implementation
 * lives in its own folder and exports a descriptor (`warehouse-descriptor.ts`) listed in
 * `warehouse-registry.ts`; the SQL they share is built by `sql/`. Nothing here imports the pipeline: the
 * pipeline depends on the contract, never the other way round.
 */
import { availableParallelism } from 'node:os';
import type { FieldSpec } from '../records/field-spec.js';
import type { StagingRow } from '../records/record-types.js';
import type { TableSpec } from '../schema/table-spec.js';
import type { SqlDialect } from './sql/sql-dialect.js';
import type { ReleaseRunLock, RunLockOptions, RunLockOwner } from './run-lock.js';

/**
 * How many worker threads stage a dataset at once: one per core, up to four (the main thread only lists
 * and reads files and passes messages). A load may open as many sessions, one for each worker's rows.
 */
export const STAGING_WORKERS = Math.min(availableParallelism(), 4);

/** A value bound to a query placeholder. */
export type QueryParam = string | number | null;

/** A query result row, with JavaScript values: numbers (bigints when too large), strings, Dates, null. */
export type ResultRow = Record<string, unknown>;

/**
 * A parsed `--warehouse` value: `kind` names the descriptor that parsed it (and opens it); the rest is that
 * descriptor's own (a file path, a URL). May hold a password: print it only through `describeTarget`.
 */
export interface WarehouseTarget {
  readonly kind: string;
  /** The schema the tables live in, for a warehouse that takes the `schema` setting. */
  readonly schema?: string;
}

/** What a warehouse needs to know of a dataset it stages: its name, staging table and fields. */
export interface StagingDataset {
  readonly name: 'songs' | 'events';
  readonly table: TableSpec;
  readonly fields: readonly FieldSpec[];
}

/** The settings a warehouse that reads the source itself may use (a subset of the run's `Settings`). */
export interface StorageSettings {
  /** The warehouse itself (Redshift reads its host for the region and deployment). */
  readonly warehouse: WarehouseTarget;
  /** Folder or `s3://bucket/prefix` of the song files, and of the log files. */
  readonly songData: string;
  readonly logData: string;
  /** The JSONPaths file that maps the log keys to columns (Redshift's COPY). */
  readonly logJsonPath: string;
  readonly bundledSample: boolean;
  readonly maxErrors: number;
  readonly iamRole?: string;
  /** The S3 source's region, and where that came from (for the plan); the endpoint of an S3-compatible store. */
  readonly s3: { readonly region?: string; readonly regionOrigin?: string; readonly endpoint?: string };
  /** Staged or direct loading through an S3 staging location (absent: direct, no staging location). */
  readonly storageLoad?: StorageLoadSettings;
}

/**
 * How a warehouse that reads S3 itself (Redshift) loads: `staged` (sparkify reads and checks the files and
 * uploads the valid rows as a few large objects to `staging`, which COPY reads through a manifest) or
 * `direct` (COPY reads the source's own objects).
 */
export interface StorageLoadSettings {
  readonly mode: 'direct' | 'staged';
  /** The S3 prefix, ending in `/`, for staged objects and manifests. */
  readonly staging?: string;
  /** Keep the staged objects and manifests after a successful COPY (`--keep-staging`). */
  readonly keep: boolean;
}

/**
 * An S3 prefix that staged loads write to (`sources/s3/s3-staging-bucket.ts`), opened by the pipeline and
 * handed to the warehouse, so the warehouse needs no S3 client of its own.
 */
export interface StagingStore {
  /** The prefix, `s3://bucket/prefix/`. */
  readonly location: string;
  /** The bucket's region, which a COPY of its objects names. */
  readonly region: string;
  /** Writes `body` at the s3:// URL `url`. */
  put(url: string, body: Buffer, contentType: string): Promise<void>;
  /** Deletes the objects at `urls`. */
  delete(urls: readonly string[]): Promise<void>;
  close(): void;
}

/** What a staged load uploaded and COPY read, for the summary. */
export interface StagedUploads {
  /** Objects COPY read (the manifest's entries). */
  readonly objects: number;
  /** Bytes uploaded: the compressed objects and the manifest. */
  readonly bytes: number;
  /** The manifest COPY read, when it ran. */
  readonly manifest?: string;
}

/** A CSV chunk load that goes through S3 staging objects; `uploads()` is final once `finish` resolved. */
export interface StagedObjectLoad extends CsvChunkLoad {
  uploads(): StagedUploads;
}

/**
 * The loads of one staged run: staging rows as CSV chunks from the workers, and row writers (rejects, the
 * file ledger) whose rows take the same way, each COPYed with a manifest when it finishes.
 */
export interface StagedLoads {
  open(table: TableSpec): Promise<StagedObjectLoad>;
  openWriter(table: TableSpec): Promise<TableWriter & { uploads(): StagedUploads }>;
  /** Ends the staging location's client, once every load has finished or aborted. */
  close(): void;
}

/** What every open load has: `finish` makes its rows durable, `abort` gives them up. */
interface OpenLoad {
  /** Flushes and closes; returns the number of rows written. */
  finish(): Promise<number>;
  /** Abandons the load after a failure, releasing what the load holds. */
  abort(): Promise<void>;
}

/** Streams rows into one table, in batches: the way rejects always enter, and staging rows for `rows`. */
export interface TableWriter extends OpenLoad {
  readonly kind: 'rows';
  /** Appends `rows` (each in the table's column order). Resolves when the writer can take more. */
  write(rows: readonly StagingRow[]): Promise<void>;
}

/**
 * A load of staging files: Parquet files of the table's columns (`records/staging-parquet-writer.ts`),
 * written by the stager's worker threads into `folder`. The load owns a file once handed over: it loads it
 * when it sees fit, deletes it, and removes `folder` when it finishes or aborts; a failed load surfaces at a
 * later `add` or at `finish`.
 */
export interface ParquetFileLoad extends OpenLoad {
  readonly kind: 'parquet-files';
  /** The folder to write the files in. */
  readonly folder: string;
  /** Hands over a complete file of `rows` rows; resolves when the load can take more. */
  add(path: string, rows: number): Promise<void>;
}

/**
 * A load of CSV chunks: whole rows in the CSV of `records/staging-csv-writer.ts`, in the table's column
 * order, encoded by the stager's worker threads. Chunks from several threads may arrive in any order; each
 * is written whole.
 */
export interface CsvChunkLoad extends OpenLoad {
  readonly kind: 'csv-chunks';
  /** Takes `bytes` holding `rows` rows; resolves once they are on their way and the load can take more. */
  add(bytes: Uint8Array, rows: number): Promise<void>;
}

/** An open load into one staging table, in whichever form the warehouse's intake takes. */
export type StagingLoad = TableWriter | ParquetFileLoad | CsvChunkLoad;

/**
 * How staging rows enter a warehouse: the one capability the pipeline switches on.
 * - `rows`: batches of JavaScript rows through `openWriter`, staged on the main thread;
 * - `parquet-files`: Parquet files written by worker threads (DuckDB's read_parquet);
 * - `csv-chunks`: COPY-ready CSV encoded by worker threads (PostgreSQL's COPY FROM STDIN);
 * - `warehouse-reads-storage`: the warehouse reads the source files itself (Redshift's COPY from S3) and
 *   writes its rejects to load_errors; no record passes through this process.
 */
export type WarehouseIntake =
  | { readonly kind: 'rows' }
  | { readonly kind: 'parquet-files'; open(table: TableSpec): Promise<ParquetFileLoad> }
  | { readonly kind: 'csv-chunks'; open(table: TableSpec): Promise<CsvChunkLoad> }
  | {
      readonly kind: 'warehouse-reads-storage';
      /** Loads `dataset` into its staging table and its rejected records into load_errors. */
      stage(dataset: StagingDataset, settings: StorageSettings): Promise<StorageStageResult>;
      /**
       * Staged loading (`settings.storageLoad.mode` is `staged`): loads that upload to the staging location
       * and COPY with a manifest, so the pipeline reads and checks the files as on any other warehouse.
       */
      openStaged?(settings: StorageSettings, store: StagingStore): Promise<StagedLoads>;
    };

/** A connected warehouse. */
export interface Warehouse {
  /** The SQL this warehouse speaks. */
  readonly dialect: SqlDialect;
  /** Where it is, for messages and summaries; never holds a password. */
  readonly description: string;
  /** How staging rows enter it. */
  readonly intake: WarehouseIntake;

  /** Runs one statement that returns no rows. */
  execute(sql: string): Promise<void>;
  /**
   * Runs one statement and returns its rows. `params` are bound to the placeholders $1, $2, ... (the same
   * syntax on every warehouse), never spliced into the text.
   */
  query(sql: string, params?: readonly QueryParam[]): Promise<ResultRow[]>;
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
  /**
   * Runs `work` in one transaction: committed if it resolves, rolled back if it throws. `options` only
   * describe the transaction to wrappers (warehouses ignore them).
   */
  transaction<T>(work: () => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Opens a row writer into `table` (Appender on DuckDB, COPY FROM STDIN on PostgreSQL): load_errors always
   * goes this way, and staging tables too when the intake is `rows`.
   */
  openWriter(table: TableSpec): Promise<TableWriter>;
  /**
   * Cuts short the statements running now (the run was stopped by a signal), where the warehouse can: they
   * then fail, and an open transaction rolls back as after any failure. Never called while a COMMIT runs.
   * Without it a stopped run waits for the statement under way to end.
   */
  interrupt?(): void;
  /** Closes the connection. Safe to call twice. */
  close(): Promise<void>;
}

/** What a transaction is, for those that wrap a warehouse. */
export interface TransactionOptions {
  /**
   * It publishes the star schema: once it commits, the run has published. A run's other transactions (the
   * failing rows of the checks, kept after the gate rolled the publish back) leave that unsaid.
   */
  readonly publishes?: boolean;
}

/** A query result as columns and rows of values in column order; names may repeat. */
export interface QueryTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

/** What a `warehouse-reads-storage` intake reports for one dataset; the pipeline counts the staged rows. */
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
  /** Open only a warehouse that is already there (`sparkify check`): a DuckDB file is never created. */
  readonly existing?: boolean;
}
