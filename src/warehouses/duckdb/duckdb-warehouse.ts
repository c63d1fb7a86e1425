/**
 * The embedded default: a DuckDB database file, no server needed.
 */
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { cleanUpAfter, firstLineOf, QueryError, WarehouseError } from '../../errors.js';
import type { TableSpec } from '../../schema/table-spec.js';
import type {
  ParquetFileLoad,
  QueryParam,
  QueryTable,
  ResultRow,
  TableWriter,
  Warehouse,
  WarehouseIntake,
  WarehouseOpenOptions,
} from '../warehouse.js';
import { noStatementError, rowObjects, severalStatementsError } from '../query-table.js';
import type { ReleaseRunLock, RunLockOptions, RunLockOwner } from '../run-lock.js';
import { acquireDuckDbRunLock, duckDbLockConflict } from './duckdb-run-lock.js';
import { DuckDbDialect } from './duckdb-dialect.js';
import { openWaitingForLock } from './duckdb-open-waiting.js';
import type { DuckDBInstance } from './duckdb-node-api.js';
import { openDuckDbParquetLoad } from './duckdb-parquet-bulk-writer.js';
import { openDuckDbTableWriter } from './duckdb-table-writer.js';

/** How to open a DuckDB warehouse. */
export interface DuckDbWarehouseOptions extends WarehouseOpenOptions {
  /** The database file, or `:memory:`. */
  readonly path: string;
  /**
   * DuckDB's memory limit, for example `1GB`; 384MB unless given. Set deliberately so a big load spills to
   * disk instead of growing.
   */
  readonly memoryLimit?: string;
  /** Worker threads; defaults to the machine's cores. */
  readonly threads?: number;
}

// The process holds about 400 MB beyond DuckDB's own limit (Node, the staging workers, memory DuckDB's
// allocator keeps for reuse), so the limit sets the peak. Measured on L (10 million events, 8.4 million
// plays, two cores): 512MB peaked at 943-950 MiB of RSS, 384MB at 786-860 MiB in the same time; the
// publish's slices fit either way (they hold about 270 MB) and the rest of the limit only caches blocks.
const DEFAULT_MEMORY_LIMIT = '384MB';
// Query sessions (sparkify query, the dashboard) get a limit of their own: a query is one statement a user
// waits for, and may sort or join more than a publish slice; it spills to disk beyond this.
const QUERY_MEMORY_LIMIT = '1GB';
// How often an interrupt is repeated until the statement it is meant for has started and stopped.
const INTERRUPT_REPEAT_MS = 20;

/** Opens (creating if needed) the DuckDB database at `options.path`. */
export async function openDuckDbWarehouse(options: DuckDbWarehouseOptions): Promise<Warehouse> {
  if ((options.readOnly || options.existing) && options.path !== ':memory:' && !existsSync(options.path)) {
    throw new WarehouseError(`No DuckDB warehouse at ${options.path}: run \`sparkify run\` first to build it.`);
  }
  const settings: Record<string, string> = {
    threads: String(options.threads ?? availableParallelism()),
    memory_limit: options.memoryLimit ?? (options.readOnly ? QUERY_MEMORY_LIMIT : DEFAULT_MEMORY_LIMIT),
  };
  if (options.readOnly) {
    settings.access_mode = 'READ_ONLY';
    // Read-only that holds: no COPY ... TO, EXPORT, ATTACH, INSTALL, LOAD or reading other files, and no
    // SET that lifts these limits (lock_configuration freezes every setting, this one included).
    settings.enable_external_access = 'false';
    settings.autoinstall_known_extensions = 'false';
    settings.autoload_known_extensions = 'false';
    settings.lock_configuration = 'true';
  }
  // Every rule of the pipeline orders explicitly, so DuckDB may load and transform in any order: measured on
  // 1.5 million events, the staging INSERT then takes 9 s of CPU instead of 14 s.
  else settings.preserve_insertion_order = 'false';
  let instance: DuckDBInstance;
  try {
    instance = await openWaitingForLock(options.path, settings, options.readOnly === true);
  } catch (error) {
    throw (
      duckDbLockConflict(error, options.path, options.readOnly === true) ??
      new WarehouseError(`Failed to open DuckDB warehouse ${options.path}: ${(error as Error).message}`, { cause: error })
    );
  }
  return new DuckDbWarehouse(instance, await instance.connect(), options.path, options.readOnly === true);
}

class DuckDbWarehouse implements Warehouse {
  readonly dialect = new DuckDbDialect();
  readonly description: string;
  private closed = false;
  // The connections of staging loads under way (each loads on its own), for `interrupt`.
  private readonly loadConnections = new Set<DuckDBConnection>();
  // The statement of the main connection under way that `interrupt` may cut short (never COMMIT or ROLLBACK).
  private statementUnderWay: Promise<unknown> | undefined;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly path: string,
    private readonly readOnly: boolean,
  ) {
    this.description = `duckdb:${path}`;
  }

  async execute(sql: string): Promise<void> {
    await this.cuttable(this.connection.run(sql));
  }

  async query(sql: string, params?: readonly QueryParam[]): Promise<ResultRow[]> {
    // A reader (the dashboard, a program) gets one statement and every column here too.
    if (this.readOnly && params === undefined) return rowObjects(await this.queryTable(sql));
    const reader = await this.cuttable(this.connection.runAndReadAll(sql, params ? [...params] : undefined));
    return reader.getRowObjectsJS() as ResultRow[];
  }

  async queryTable(sql: string): Promise<QueryTable> {
    let reader: Awaited<ReturnType<DuckDBConnection['runAndReadAll']>>;
    try {
      reader = await this.cuttable(
        (async () => {
          const statements = await this.connection.extractStatements(sql);
          if (statements.count > 1) throw severalStatementsError(statements.count);
          if (statements.count === 0) throw noStatementError();
          return (await statements.prepare(0)).runAndReadAll();
        })(),
      );
    } catch (error) {
      if (error instanceof QueryError) throw error;
      throw new QueryError(`Query failed: ${firstLineOf(error)}`, { cause: error });
    }
    return { columns: reader.columnNames(), rows: reader.getRowsJS() };
  }

  async acquireRunLock(owner: RunLockOwner, options: RunLockOptions = {}): Promise<ReleaseRunLock> {
    return acquireDuckDbRunLock(this.path, owner, options, this.description);
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.connection.run('BEGIN TRANSACTION');
    let result: T;
    try {
      result = await work();
    } catch (error) {
      // A ROLLBACK that fails too must not hide the error that caused it.
      return cleanUpAfter(error, () => this.connection.run('ROLLBACK'));
    }
    await this.connection.run('COMMIT');
    return result;
  }

  /** Staging takes millions of rows: Parquet files from the staging workers, loaded on a connection of their own. */
  readonly intake: WarehouseIntake = { kind: 'parquet-files', open: (table) => this.openParquetLoad(table) };

  /** An Appender on `table`: rejects are few. */
  async openWriter(table: TableSpec): Promise<TableWriter> {
    return openDuckDbTableWriter(this.connection, table);
  }

  private async openParquetLoad(table: TableSpec): Promise<ParquetFileLoad> {
    const connection = await this.instance.connect();
    this.loadConnections.add(connection);
    let load: ParquetFileLoad;
    try {
      load = await openDuckDbParquetLoad({ connection, table });
    } catch (error) {
      this.loadConnections.delete(connection);
      connection.closeSync();
      throw error;
    }
    // Released whether the load settles or fails: a connection left in loadConnections would keep taking the
    // repeated interrupts of a later signal until close.
    const release = () => {
      this.loadConnections.delete(connection);
      connection.closeSync();
    };
    return {
      kind: 'parquet-files',
      folder: load.folder,
      add: (path, rows) => load.add(path, rows),
      finish: () => load.finish().finally(release),
      abort: () => load.abort().finally(release),
    };
  }

  /**
   * Interrupts the statement of this connection and of each staging load's own connection. DuckDB forgets an
   * interrupt that comes before its statement has started (measured: a count of 3 billion rows, interrupted
   * in the tick that sent it, ran its whole 1.1 s), so it is repeated until the statement under way now has
   * settled, and on a load's connection until the load is done with it.
   */
  interrupt(): void {
    if (this.closed) return;
    const statement = this.statementUnderWay;
    this.repeatInterrupt(this.connection, () => statement !== undefined && this.statementUnderWay === statement);
    for (const connection of this.loadConnections) this.repeatInterrupt(connection, () => this.loadConnections.has(connection));
  }

  private repeatInterrupt(connection: DuckDBConnection, pending: () => boolean): void {
    connection.interrupt();
    if (!pending()) return;
    const timer = setInterval(() => {
      if (pending() && !this.closed) connection.interrupt();
      else clearInterval(timer);
    }, INTERRUPT_REPEAT_MS);
    timer.unref();
  }

  // Marks `statement` as the one under way until it settles. The mark is cleared before the caller resumes
  // (its handlers run first), so a ROLLBACK the caller sends next is never taken for it.
  private cuttable<T>(statement: Promise<T>): Promise<T> {
    this.statementUnderWay = statement;
    const clear = () => {
      if (this.statementUnderWay === statement) this.statementUnderWay = undefined;
    };
    statement.then(clear, clear);
    return statement;
  }

  async close(): Promise<void> {
    // Stops a statement still running (a signal arrived mid-load); closing alone would wait for it.
    if (!this.closed) this.connection.interrupt();
    if (this.closed) return;
    this.closed = true;
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
