/**
 * The PostgreSQL warehouse: the same star schema as DuckDB, on a server. Staging is streamed in with
 * `COPY ... FROM STDIN`; the star tables are published in one transaction by the shared SQL.
 *
 * Amazon Redshift speaks the same protocol, so its warehouse extends this class and overrides what differs:
 * `createDialect` (DDL), `clientConfig` (TLS defaults), `capabilities`, and `intake` (it COPYs from S3 rather
 * than taking CSV chunks); `openSession` and `server` serve its own sessions.
 */
import pg from 'pg';
import { SparkifyError, WarehouseError } from '../../errors.js';
import type { TableSpec } from '../../schema/table-spec.js';
import type { SqlDialect } from '../sql/sql-dialect.js';
import {
  STAGING_WORKERS,
  type CsvChunkLoad,
  type QueryParam,
  type QueryTable,
  type ResultRow,
  type TableWriter,
  type Warehouse,
  type WarehouseIntake,
  type WarehouseOpenOptions,
} from '../warehouse.js';
import { describeServerTarget, type ServerTarget } from './postgres-target.js';
import { rowObjects, severalStatementsError } from '../query-table.js';
import { releaseOnce, type ReleaseRunLock, type RunLockOptions, type RunLockOwner } from '../run-lock.js';
import { installTypeParsers, postgresClientConfig, serverAddress } from './postgres-connection.js';
import { copyRowWriter, openPostgresCopyLoad } from './postgres-copy-writer.js';
import { parallelCopyLoad } from './parallel-copy-writer.js';
import { PostgresDialect } from './postgres-dialect.js';
import { acquireAdvisoryRunLock, type LockSession } from './postgres-run-lock.js';
import { connectError, describeServer, queryError, statementError, type ServerAddress } from './postgres-errors.js';

/** What a server of the PostgreSQL family supports, so subclasses switch behaviour by capability. */
export interface PostgresServerCapabilities {
  /**
   * `SET default_transaction_read_only = on` is honoured, so `sparkify query` sessions are refused writes
   * by the server itself.
   */
  readonly readOnlySessions: boolean;
  /**
   * Queries go through the extended protocol, which accepts exactly one statement per call: a read-only
   * query cannot smuggle in `SET default_transaction_read_only = off; DROP ...`.
   */
  readonly singleStatementQueries: boolean;
  /** `CREATE SCHEMA` is allowed and the schema is made when `?schema=` names one that does not exist. */
  readonly createsMissingSchema: boolean;
  /**
   * work_mem for the session that publishes; absent keeps the server's. Publishing sorts every NextSong
   * event (songplay ids, each user's latest level); with PostgreSQL's 4MB default a million events spill
   * some 300MB to temporary files and the publish takes about twice as long.
   */
  readonly loadSortMemory?: string;
  /** Staging tables loaded through the intake are ANALYZEd after their load (absent: not). */
  readonly analyzeAfterLoad?: boolean;
}

/**
 * Connects to PostgreSQL (or, through a subclass, Redshift) and runs the pipeline's SQL there.
 *
 * @example
 * const warehouse = await openPostgresWarehouse({ kind: 'postgres', url: 'postgres://me:pw@localhost/dwh', schema: 'dev' });
 * try { console.log(await warehouse.query('select count(*) as plays from songplays')); } finally { await warehouse.close(); }
 */
export class PostgresWarehouse implements Warehouse {
  readonly dialect: SqlDialect;
  readonly capabilities: PostgresServerCapabilities = {
    readOnlySessions: true,
    singleStatementQueries: true,
    createsMissingSchema: true,
    loadSortMemory: '256MB',
    analyzeAfterLoad: true,
  };

  private session: pg.Client | undefined;
  private address: ServerAddress | undefined;
  // Every session opened (main and writers), so close() releases them even after a failed load.
  private readonly sessions = new Set<pg.Client>();
  private closed = false;

  constructor(
    protected readonly target: ServerTarget,
    protected readonly options: WarehouseOpenOptions = {},
  ) {
    this.dialect = this.createDialect();
  }

  /** Where the warehouse is, as the server was actually reached (URL or PG* variables); no password. */
  get description(): string {
    if (!this.address) return describeServerTarget(this.target);
    const schema = this.target.schema ? `?schema=${this.target.schema}` : '';
    return `${describeServer(this.address, this.target.kind)}${schema}`;
  }

  /** Opens the main session, creates the schema when missing, and returns this warehouse. Call once. */
  async connect(): Promise<this> {
    const client = await this.openSession();
    this.session = client;
    return this;
  }

  async execute(sql: string): Promise<void> {
    try {
      await this.main().query(sql);
    } catch (error) {
      throw statementError(error, `run ${summarize(sql)}`, this.server());
    }
  }

  async query(sql: string, params?: readonly QueryParam[]): Promise<ResultRow[]> {
    // A reader (the dashboard, a program) gets the read-only transaction and every column here too.
    if (this.options.readOnly && params === undefined) return rowObjects(await this.queryTable(sql));
    // `queryMode` is a pg option its type definitions do not list yet.
    const mode = this.capabilities.singleStatementQueries ? { queryMode: 'extended' } : {};
    const config = { text: sql, ...(params ? { values: [...params] } : {}), ...mode };
    try {
      const result = await this.main().query<ResultRow>(config as pg.QueryConfig);
      return result.rows;
    } catch (error) {
      throw queryError(error, this.server());
    }
  }

  /**
   * One statement of the user's, rows as arrays with the driver's field list, so columns of the same name
   * are all kept. On a read-only warehouse it runs inside `BEGIN READ ONLY ... ROLLBACK`, which PostgreSQL
   * and Redshift both enforce; the extended protocol refuses a second statement.
   */
  async queryTable(sql: string): Promise<QueryTable> {
    const client = this.main();
    const readOnly = this.options.readOnly === true;
    const config = { text: sql, rowMode: 'array', ...(this.capabilities.singleStatementQueries ? { queryMode: 'extended' } : {}) };
    try {
      if (readOnly) await client.query('BEGIN TRANSACTION READ ONLY');
      const result = await client.query(config as pg.QueryArrayConfig);
      return { columns: result.fields.map((field) => field.name), rows: result.rows };
    } catch (error) {
      if (/cannot insert multiple commands into a prepared statement/i.test((error as Error).message)) throw severalStatementsError();
      throw queryError(error, this.server());
    } finally {
      if (readOnly) await client.query('ROLLBACK').catch(() => undefined);
    }
  }

  /**
   * Takes the run lock on a session of its own, which holds it until the release (or until the process
   * dies and the server ends the session). How the lock works is `takeRunLock`'s: Redshift overrides it.
   */
  async acquireRunLock(owner: RunLockOwner, options: RunLockOptions = {}): Promise<ReleaseRunLock> {
    const client = await this.openSession({ main: false });
    const session: LockSession = {
      query: async (sql, values) => (await client.query({ text: sql, values: values as unknown[] | undefined })).rows,
    };
    let release: ReleaseRunLock;
    try {
      release = await this.takeRunLock(session, owner, options);
    } catch (error) {
      await endQuietly(client);
      throw error instanceof SparkifyError ? error : statementError(error, 'take the run lock', this.server());
    }
    return releaseOnce(async () => {
      await release();
      await endQuietly(client);
    });
  }

  /** The lock itself, on `session`: PostgreSQL's advisory lock (see postgres-run-lock.ts). */
  protected takeRunLock(session: LockSession, owner: RunLockOwner, options: RunLockOptions): Promise<ReleaseRunLock> {
    return acquireAdvisoryRunLock(session, owner, options, this.description);
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.execute('BEGIN');
    try {
      const result = await work();
      await this.execute('COMMIT');
      return result;
    } catch (error) {
      // A failed statement has already aborted the transaction; ROLLBACK ends it. Its own failure (a lost
      // connection) must not hide the error that caused it.
      await this.main()
        .query('ROLLBACK')
        .catch(() => undefined);
      throw error;
    }
  }

  /** Staging tables take the staging workers' CSV chunks, on one COPY session per worker. */
  readonly intake: WarehouseIntake = { kind: 'csv-chunks', open: (table) => this.openChunkLoad(table) };

  /** A COPY FROM STDIN writer on a session of its own (see postgres-copy-writer.ts for why). */
  async openWriter(table: TableSpec): Promise<TableWriter> {
    return copyRowWriter(await this.openCopyLoad(table), table);
  }

  /**
   * One COPY session per staging worker, so the server parses on as many cores (parallel-copy-writer.ts);
   * the table is ANALYZEd after its load when the server supports it.
   */
  protected async openChunkLoad(table: TableSpec): Promise<CsvChunkLoad> {
    const loads: CsvChunkLoad[] = [];
    try {
      for (let i = 0; i < STAGING_WORKERS; i++) loads.push(await this.openCopyLoad(table));
    } catch (error) {
      await Promise.all(loads.map((opened) => opened.abort().catch(() => undefined)));
      throw error;
    }
    const load = loads.length === 1 ? loads[0]! : parallelCopyLoad(loads);
    if (!this.capabilities.analyzeAfterLoad) return load;
    // Without statistics the planner takes a freshly loaded table for a few pages and may pick nested
    // loops for the song match; ANALYZE samples a fixed number of rows, so it costs well under a second.
    return {
      kind: 'csv-chunks',
      add: (bytes, rows) => load.add(bytes, rows),
      abort: () => load.abort(),
      finish: async () => {
        const count = await load.finish();
        await this.execute(`ANALYZE ${this.dialect.quote(table.name)}`);
        return count;
      },
    };
  }

  private async openCopyLoad(table: TableSpec): Promise<CsvChunkLoad> {
    const client = await this.openSession({ main: false });
    try {
      return await openPostgresCopyLoad({ client, table, quote: (name) => this.dialect.quote(name), server: this.server() });
    } catch (error) {
      await endQuietly(client);
      throw statementError(error, `start loading ${table.name}`, this.server());
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // end() on a session a writer already ended returns at once; on one still copying it cuts the COPY.
    await Promise.all([...this.sessions].map(endQuietly));
    this.sessions.clear();
  }

  /** The SQL dialect; Redshift returns its own. Called from the constructor, so it must not use fields. */
  protected createDialect(): SqlDialect {
    return new PostgresDialect();
  }

  /** Settings of every session; Redshift adds its TLS defaults. */
  protected clientConfig(): pg.ClientConfig {
    return postgresClientConfig(this.target);
  }

  /**
   * Connects one session and prepares it: read-only when asked, and the target schema first on its
   * search_path so every table is created and queried unqualified. Only the main session creates the schema.
   */
  protected async openSession(role: { main: boolean } = { main: true }): Promise<pg.Client> {
    if (this.closed) throw new WarehouseError(`The warehouse ${this.description} is closed`);
    const client = new pg.Client(this.clientConfig());
    installTypeParsers(client);
    const address = serverAddress(client);
    this.address ??= address;
    // A server that drops an idle session emits 'error' on the client; the next statement reports it.
    client.on('error', () => undefined);
    this.sessions.add(client);
    client.once('end', () => this.sessions.delete(client));
    try {
      await client.connect();
    } catch (error) {
      await endQuietly(client);
      throw connectError(error, address);
    }
    try {
      if (role.main) await this.ensureSchema(client);
      for (const statement of this.sessionStatements(role)) await client.query(statement);
    } catch (error) {
      await endQuietly(client);
      throw error instanceof WarehouseError ? error : statementError(error, 'prepare the session', address);
    }
    return client;
  }

  /** Statements run on every new session; `role.main` is the session that runs DDL, publish and queries. */
  protected sessionStatements(role: { main: boolean }): string[] {
    const statements: string[] = [];
    if (this.options.readOnly && this.capabilities.readOnlySessions) statements.push('SET default_transaction_read_only = on');
    const sortMemory = this.capabilities.loadSortMemory;
    if (role.main && !this.options.readOnly && sortMemory) {
      // Raised, never lowered: a work_mem the administrator set higher for this role stays.
      statements.push(
        `SELECT set_config('work_mem', '${sortMemory}', false) WHERE pg_size_bytes(current_setting('work_mem')) < pg_size_bytes('${sortMemory}')`,
      );
    }
    if (this.target.schema) statements.push(`SET search_path TO ${this.dialect.quote(this.target.schema)}`);
    return statements;
  }

  /**
   * Creates the target schema when it does not exist. Existence is checked first because PostgreSQL checks
   * the CREATE privilege before IF NOT EXISTS: a user who may not create schemas can still use one.
   */
  protected async ensureSchema(client: pg.Client): Promise<void> {
    const schema = this.target.schema;
    if (!schema) return;
    const address = serverAddress(client);
    let exists: boolean;
    try {
      const found = await client.query({ text: 'SELECT 1 FROM pg_namespace WHERE nspname = $1', values: [schema] });
      exists = (found.rowCount ?? 0) > 0;
    } catch (error) {
      throw statementError(error, `look up schema "${schema}"`, address);
    }
    if (exists) return;
    if (this.options.readOnly || !this.capabilities.createsMissingSchema) {
      throw new WarehouseError(
        `No schema "${schema}" in ${describeServer(address, this.target.kind)}: run \`sparkify run --schema ${schema}\` first to build it`,
      );
    }
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.dialect.quote(schema)}`);
    } catch (error) {
      // Two first runs at once: IF NOT EXISTS does not stop the loser's insert into the catalog (unique
      // violation, 23505). The schema exists now, which is all that was asked; the run lock does the rest.
      if ((error as { code?: string }).code === '23505') return;
      throw statementError(error, `create schema "${schema}"`, address);
    }
  }

  /** The printable address of the server, known once a session was attempted. */
  protected server(): ServerAddress {
    if (!this.address) throw new WarehouseError('The PostgreSQL warehouse is not connected yet: call connect() first');
    return this.address;
  }

  private main(): pg.Client {
    if (this.closed) throw new WarehouseError(`The warehouse ${this.description} is closed`);
    if (!this.session) throw new WarehouseError('The PostgreSQL warehouse is not connected yet: call connect() first');
    return this.session;
  }
}

/** Opens a PostgreSQL warehouse for `target` (URL or PG* variables, optional schema). Close it when done. */
export async function openPostgresWarehouse(target: ServerTarget, options: WarehouseOpenOptions = {}): Promise<PostgresWarehouse> {
  return new PostgresWarehouse(target, options).connect();
}

function endQuietly(client: pg.Client): Promise<void> {
  return client.end().catch(() => undefined);
}

/** The head of a statement for messages: `CREATE TABLE songs`, `INSERT INTO users`, up to any column list. */
function summarize(sql: string): string {
  const head = sql.split('(')[0]!.replace(/\s+/g, ' ').trim();
  return head.length > 60 ? `${head.slice(0, 57)}...` : head;
}
