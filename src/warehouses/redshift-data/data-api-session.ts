/**
 * One Redshift Data API session: statements sent over HTTPS one after another on the same database session
 * (the first ExecuteStatement opens it with SessionKeepAliveSeconds; the next ones pass its SessionId), so
 * BEGIN ... COMMIT spans calls and pg_last_copy_id() names this session's COPY, as on a connection. Each
 * statement's status is polled (DescribeStatement) and its rows paged in (GetStatementResult).
 */
import {
  DescribeStatementCommand,
  type DescribeStatementCommandOutput,
  ExecuteStatementCommand,
  type ExecuteStatementCommandInput,
  type Field,
  GetStatementResultCommand,
  type RedshiftDataClient,
  type SqlParameter,
} from '@aws-sdk/client-redshift-data';
import type { QueryTable, ResultRow } from '../warehouse.js';
import type { DataApiTarget } from './data-api-target.js';
import { resultTable } from './data-api-results.js';
import { rowObjects } from '../query-table.js';

/** A statement's failure: the Data API's message, with the statement it concerns. */
export class DataApiStatementError extends Error {
  constructor(
    message: string,
    readonly sql: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DataApiStatementError';
  }
}

/** Reports a statement still running: its head, status and seconds so far. */
export type StatementWaitListener = (wait: { statement: string; status: string; seconds: number }) => void;

// Idle seconds before AWS ends the session; each statement restarts the count.
const KEEP_ALIVE_SECONDS = 300;

/** A Data API session; statements are queued and run one at a time. */
export class DataApiSession {
  private sessionId: string | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: RedshiftDataClient,
    private readonly target: DataApiTarget,
    private readonly onWait?: StatementWaitListener,
  ) {}

  /**
   * Runs `sql` (with `$1, $2, ...` bound to `values`, as over a connection) and returns its rows, if any.
   * Throws DataApiStatementError with the Data API's message when the statement fails.
   */
  async run(sql: string, values?: readonly unknown[]): Promise<ResultRow[]> {
    return rowObjects(await this.runTable(sql, values));
  }

  /** Like `run`, with the result as columns and rows of values, every column kept. */
  runTable(sql: string, values?: readonly unknown[]): Promise<QueryTable> {
    const result = this.queue.then(() => this.execute(sql, values));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async execute(sql: string, values?: readonly unknown[]): Promise<QueryTable> {
    const bound = bindParameters(sql, values);
    const input: ExecuteStatementCommandInput = this.sessionId
      ? { SessionId: this.sessionId, Sql: bound.sql }
      : {
          Sql: bound.sql,
          Database: this.target.database,
          ...(this.target.cluster ? { ClusterIdentifier: this.target.cluster } : { WorkgroupName: this.target.workgroup }),
          ...(this.target.dbUser ? { DbUser: this.target.dbUser } : {}),
          ...(this.target.secretArn ? { SecretArn: this.target.secretArn } : {}),
          SessionKeepAliveSeconds: KEEP_ALIVE_SECONDS,
        };
    if (bound.parameters.length > 0) input.Parameters = bound.parameters;
    const started = await this.client.send(new ExecuteStatementCommand(input));
    this.sessionId ??= started.SessionId;
    const id = started.Id!;
    const done = await this.waitFor(id, sql);
    if (done.Status !== 'FINISHED') {
      throw new DataApiStatementError(done.Error ?? `statement ${done.Status?.toLowerCase() ?? 'failed'}`, sql);
    }
    return done.HasResultSet ? this.rows(id) : { columns: [], rows: [] };
  }

  // Polls quickly at first (most statements take well under a second), then every 2 s.
  private async waitFor(id: string, sql: string): Promise<DescribeStatementCommandOutput> {
    const started = Date.now();
    let delay = 50;
    let reported = 0;
    for (;;) {
      const described = await this.client.send(new DescribeStatementCommand({ Id: id }));
      if (described.Status === 'FINISHED' || described.Status === 'FAILED' || described.Status === 'ABORTED') return described;
      const seconds = Math.floor((Date.now() - started) / 1000);
      if (this.onWait && seconds >= reported + 10) {
        reported = seconds;
        this.onWait({ statement: head(sql), status: described.Status ?? 'SUBMITTED', seconds });
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 2000);
    }
  }

  private async rows(id: string): Promise<QueryTable> {
    let columns: readonly string[] = [];
    const rows: (readonly unknown[])[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new GetStatementResultCommand({ Id: id, NextToken: token }));
      const table = resultTable(page.ColumnMetadata ?? [], (page.Records ?? []) as Field[][]);
      // Later pages may omit the column metadata.
      if (table.columns.length > 0) columns = table.columns;
      // One by one: a page of more rows than a call takes arguments would overflow the stack.
      for (const row of table.rows) rows.push(row);
      token = page.NextToken;
    } while (token);
    return { columns, rows };
  }
}

/**
 * `$n` placeholders as the Data API's named parameters (`:p1`), whose values are text that Redshift casts to
 * the column's type. It has no null parameter, so a null value is written as NULL in the statement.
 */
export function bindParameters(sql: string, values: readonly unknown[] = []): { sql: string; parameters: SqlParameter[] } {
  if (values.length === 0) return { sql, parameters: [] };
  const parameters: SqlParameter[] = [];
  const text = sql.replace(/\$(\d+)\b/g, (placeholder, digits: string) => {
    const index = Number(digits) - 1;
    if (index < 0 || index >= values.length) return placeholder;
    const value = values[index];
    if (value === null || value === undefined) return 'NULL';
    const name = `p${digits}`;
    if (!parameters.some((parameter) => parameter.name === name)) parameters.push({ name, value: String(value) });
    return `:${name}`;
  });
  return { sql: text, parameters };
}

/** The head of a statement for messages: its first line, at most 60 characters. */
export function head(sql: string): string {
  const first = sql.trim().split('\n')[0]!.replace(/\s+/g, ' ');
  return first.length > 60 ? `${first.slice(0, 57)}...` : first;
}
