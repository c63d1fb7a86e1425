/**
 * Redshift through the Data API (`redshift-data://...`): the same SQL as the Redshift warehouse (its dialect,
 * its COPY staging, the shared publish), sent over HTTPS with IAM credentials instead of a connection to
 * port 5439, so the cluster or workgroup needs no open port and no public address. Statements run on Data
 * API sessions: one main session (DDL, publish in one transaction, queries) and one per COPY, as the
 * connection-based warehouse has, because pg_last_copy_id() names the latest COPY of its own session.
 */
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { QueryError, SparkifyError, WarehouseError } from '../../errors.js';
import { infraError } from '../../infra/infra-errors.js';
import type { TableSpec } from '../../schema/table-spec.js';
import { noStatementError, severalStatementsError } from '../query-table.js';
import { countStatements } from './statement-count.js';
import { type CopySession, stageWithCopy } from '../redshift/redshift-copy-stager.js';
import { RedshiftDialect } from '../redshift/redshift-dialect.js';
import { acquireLeaseRunLock } from '../redshift/redshift-run-lock.js';
import { openRedshiftStagedLoads } from '../redshift/redshift-staging-writer.js';
import type { ReleaseRunLock, RunLockOptions, RunLockOwner } from '../run-lock.js';
import type { SqlDialect } from '../sql/sql-dialect.js';
import type {
  QueryParam,
  QueryTable,
  ResultRow,
  StagingDataset,
  StorageSettings,
  StorageStageResult,
  TableWriter,
  Warehouse,
  WarehouseIntake,
  WarehouseOpenOptions,
} from '../warehouse.js';
import { type DataApiTarget, dataApiUrl } from './data-api-target.js';
import { DataApiSession, DataApiStatementError, head, type StatementWaitListener } from './data-api-session.js';

/**
 * The Redshift warehouse over the Data API.
 *
 * @example
 * const warehouse = await openDataApiWarehouse({ kind: 'redshift-data', cluster: 'sparkify-dwh', database: 'dwh', dbUser: 'dwhuser' });
 */
export class DataApiWarehouse implements Warehouse {
  readonly dialect: SqlDialect = new RedshiftDialect();
  readonly description: string;
  private readonly client: RedshiftDataClient;
  private readonly main: DataApiSession;
  private closed = false;

  constructor(
    private readonly target: DataApiTarget,
    private readonly options: WarehouseOpenOptions = {},
    private readonly onWait: StatementWaitListener | undefined = terminalWaitListener(),
  ) {
    this.description = dataApiUrl(target);
    this.client = new RedshiftDataClient(target.region ? { region: target.region } : {});
    this.main = new DataApiSession(this.client, target, onWait);
  }

  /** Opens the main session: creates the schema when asked and missing, and puts it first on the search path. */
  async connect(): Promise<this> {
    for (const statement of this.sessionStatements(true)) await this.send(this.main, statement, 'prepare the session');
    return this;
  }

  async execute(sql: string): Promise<void> {
    await this.send(this.main, sql, `run ${head(sql)}`);
  }

  /** The cluster reads the source from S3 itself, as over a connection (COPY on a session of its own). */
  readonly intake: WarehouseIntake = {
    kind: 'warehouse-reads-storage',
    stage: (dataset, settings) => this.stageFromStorage(dataset, settings),
    // Staged loading, as over a connection: the COPYs of the manifests run on the main session.
    openStaged: (settings, store) => openRedshiftStagedLoads(settings, store, { dialect: this.dialect, copy: (sql) => this.execute(sql) }),
  };

  async query(sql: string, params?: readonly QueryParam[]): Promise<ResultRow[]> {
    return this.guard(() => this.main.run(sql, params), 'run the query', true);
  }

  /**
   * One statement of the user's, every column kept. On a read-only warehouse it runs inside
   * `BEGIN READ ONLY ... ROLLBACK`, as over a connection.
   */
  async queryTable(sql: string): Promise<QueryTable> {
    const readOnly = this.options.readOnly === true;
    // Counted here too: a second statement must never run, least of all a COMMIT that ends BEGIN READ ONLY.
    const count = await countStatements(sql);
    if (count !== undefined && count > 1) throw severalStatementsError(count);
    if (count === 0) throw noStatementError();
    // SQL DuckDB cannot parse (Redshift-only syntax) is refused when a semicolon could start a second one.
    if (count === undefined && /;\s*\S/.test(sql)) {
      throw new QueryError(
        'The query has a semicolon inside it and sparkify cannot tell that it holds one statement: remove the semicolon (sparkify query runs exactly one statement)',
      );
    }
    if (readOnly) await this.send(this.main, 'BEGIN READ ONLY', 'start a read-only transaction');
    try {
      return await this.guard(() => this.main.runTable(sql), 'run the query', true);
    } catch (error) {
      if (/multiple (sql )?statements|more than one statement|cannot insert multiple commands/i.test((error as Error).message))
        throw severalStatementsError();
      throw error;
    } finally {
      if (readOnly) await this.main.run('ROLLBACK').catch(() => undefined);
    }
  }

  /**
   * Redshift's lease-row lock (redshift-run-lock.ts), on a Data API session of its own that keeps the
   * heartbeat going until the release.
   */
  async acquireRunLock(owner: RunLockOwner, options: RunLockOptions = {}): Promise<ReleaseRunLock> {
    const session = new DataApiSession(this.client, this.target, this.onWait);
    const what = (sql: string) => `run ${head(sql)}`;
    return acquireLeaseRunLock(
      { query: (sql, values) => this.guard(() => session.run(sql, values), what(sql), true) },
      owner,
      options,
      this.description,
    );
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.execute('BEGIN');
    try {
      const result = await work();
      await this.execute('COMMIT');
      return result;
    } catch (error) {
      // The failed statement has aborted the transaction; ROLLBACK ends it, and its own failure must not
      // hide the error that caused it.
      await this.main.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** COPY from S3 on a Data API session of its own, with the readback of what it loaded and rejected. */
  private async stageFromStorage(dataset: StagingDataset, settings: StorageSettings): Promise<StorageStageResult> {
    const session = new DataApiSession(this.client, this.target, this.onWait);
    for (const statement of this.sessionStatements(false)) await this.send(session, statement, 'prepare the session');
    const copySession: CopySession = {
      // Errors stay the Data API's own here: the COPY stager reads their message to say what went wrong.
      query: (sql, values) => this.guard(() => session.run(sql, values), `run ${head(sql)}`, false),
    };
    return stageWithCopy(copySession, dataset, settings, {
      dialect: this.dialect,
      server: { host: this.description, port: 443, user: this.target.dbUser ?? 'IAM identity', database: this.target.database },
      description: this.description,
    });
  }

  /** Never called by the pipeline (its intake reads storage): Redshift loads with COPY from S3 only. */
  async openWriter(table: TableSpec): Promise<TableWriter> {
    throw new WarehouseError(`Redshift cannot stream rows into ${table.name}: it loads with COPY from S3 only`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // The Data API has no call to end a session: it ends itself after its keep-alive.
    this.client.destroy();
  }

  private sessionStatements(main: boolean): string[] {
    const schema = this.target.schema;
    if (!schema) return [];
    const quoted = this.dialect.quote(schema);
    return [...(main && !this.options.readOnly ? [`CREATE SCHEMA IF NOT EXISTS ${quoted}`] : []), `SET search_path TO ${quoted}`];
  }

  private send(session: DataApiSession, sql: string, what: string): Promise<ResultRow[]> {
    return this.guard(() => session.run(sql), what, true);
  }

  // AWS-side failures (credentials, access, a cluster not found) become one line; a statement's own failure
  // becomes a WarehouseError naming the statement and the Data API's message, unless `wrap` is false.
  private async guard<T>(call: () => Promise<T>, what: string, wrap: boolean): Promise<T> {
    if (this.closed) throw new WarehouseError(`The warehouse ${this.description} is closed`);
    try {
      return await call();
    } catch (error) {
      if (error instanceof DataApiStatementError) {
        if (!wrap) throw error;
        throw new WarehouseError(`Redshift (${this.description}) could not ${what}: ${error.message.replace(/\s+/g, ' ').trim()}`, {
          cause: error,
        });
      }
      if (error instanceof SparkifyError) throw error;
      const mapped = infraError(error, 'redshift-data:ExecuteStatement', this.description);
      throw new WarehouseError(mapped.message, { cause: error });
    }
  }
}

/** Opens the Data API warehouse `target` names. Close it when done. */
export async function openDataApiWarehouse(target: DataApiTarget, options: WarehouseOpenOptions = {}): Promise<DataApiWarehouse> {
  return new DataApiWarehouse(target, options).connect();
}

// A line every 10 s about a statement still running (a COPY of many files takes minutes), on a terminal only.
function terminalWaitListener(): StatementWaitListener | undefined {
  if (!process.stderr.isTTY) return undefined;
  return ({ statement, status, seconds }) =>
    process.stderr.write(`\nRedshift Data API: ${statement} ${status.toLowerCase()} for ${seconds} s\n`);
}
