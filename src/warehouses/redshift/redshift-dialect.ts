/**
 * Redshift's SQL: PostgreSQL's dialect with what Redshift does differently. Text columns are VARCHARs sized
 * from the table specs (queries hold intermediate results uncompressed at the declared width, so oversized
 * columns cost memory and temporary disk); the star tables carry their physical design (distribution and
 * sort keys); and the staging tables take the shape COPY from S3 can fill. Compression is left to the cluster: with no ENCODE clause every column is ENCODE AUTO.
 */
import { EVENT_FIELDS, ORIGIN_COLUMNS, SONG_FIELDS } from '../../schema/staging-tables.js';
import type { ColumnSpec, TableSpec } from '../../schema/table-spec.js';
import { PostgresDialect } from '../postgres/postgres-dialect.js';
import type { DialectCapabilities } from '../sql/sql-dialect.js';

/** Redshift's width for a VARCHAR whose spec names none (its own default for a bare VARCHAR). */
const DEFAULT_VARCHAR_WIDTH = 256;

const ORIGIN_NAMES = new Set(ORIGIN_COLUMNS.map((column) => column.name));

// Epoch fields that the logs write as JSON floats (registration is 1540919166796.0). COPY will not put a
// number with a fraction into a BIGINT, so these stage as DOUBLE PRECISION, which holds every epoch
// millisecond exactly (they are far below 2^53). ts, always a JSON integer, stays BIGINT.
const FLOAT_WRITTEN_EPOCHS = new Set(
  [...EVENT_FIELDS, ...SONG_FIELDS].filter((field) => field.kind === 'epoch-ms').map((field) => field.column),
);

/**
 * Amazon Redshift's dialect.
 *
 * @example
 * new RedshiftDialect().createTable(SONGPLAYS, { ifNotExists: true });
 * // CREATE TABLE IF NOT EXISTS songplays (songplay_id BIGINT NOT NULL, ...) DISTSTYLE KEY ...
 */
export class RedshiftDialect extends PostgresDialect {
  override readonly name: string = 'redshift';

  // Primary keys are declared for the planner (Redshift does not enforce them, so uniqueness comes from the
  // transform, as everywhere).
  override readonly capabilities: DialectCapabilities = { declaresPrimaryKeys: true };

  /** Redshift reads a backslash in a literal as an escape, so it is doubled as well as the quote. */
  override stringLiteral(text: string): string {
    return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
  }

  override baseName(expression: string): string {
    return `REGEXP_SUBSTR(${expression}, '[^/]*$')`;
  }

  /** Redshift has no BIT type; STRTOL reads the hex digits (15 of them fit a BIGINT). */
  override hashToBigint(expressions: readonly string[]): string {
    return `STRTOL(SUBSTRING(MD5(${this.hashInput(expressions)}), 1, 15), 16)`;
  }

  /** VARCHAR sized from the spec's maxLength (bytes on Redshift); the standard names for other types. */
  override columnType(column: ColumnSpec): string {
    return column.type === 'text' ? `VARCHAR(${column.maxLength ?? DEFAULT_VARCHAR_WIDTH})` : this.standardType(column.type);
  }

  /**
   * The expression itself: Redshift has no COLLATE "C" and compares VARCHARs by their UTF-8 bytes already,
   * which is the order DuckDB and PostgreSQL's "C" collation use.
   */
  override byteOrder(expression: string): string {
    return expression;
  }

  /**
   * The record's own columns: COPY cannot record which file and line a row came from, so "the first record
   * in file order" becomes "the first record in content order" here. Identical records tie harmlessly;
   * different ones are still chosen the same way on every run.
   */
  override recordOrder(content: readonly string[], descending = false): string {
    return this.contentOrder(content, descending);
  }

  /** CREATE TABLE; staging tables take their COPY shape (see `stagingLayout`). */
  override createTable(table: TableSpec, options: { ifNotExists: boolean }): string {
    return super.createTable(this.stagingLayout(table), options);
  }

  /**
   * A staging table as COPY fills it: the origin columns (source_file, line_number) are nullable because
   * COPY has no way to fill them (the file and line of a rejected record are still known, from the load
   * error views), and epochs written as floats are DOUBLE PRECISION. Other tables are returned as they are.
   */
  stagingLayout(table: TableSpec): TableSpec {
    if (table.role !== 'staging') return table;
    return {
      ...table,
      columns: table.columns.map((column) => {
        if (ORIGIN_NAMES.has(column.name)) return { ...column, notNull: false };
        if (FLOAT_WRITTEN_EPOCHS.has(column.name)) return { ...column, type: 'double' };
        return column;
      }),
    };
  }

  /** Redshift has no UNLOGGED tables (PostgreSQL's staging tables are). */
  protected override tableKind(_table: TableSpec): string {
    return '';
  }

  /**
   * The physical design. The fact table is distributed on its distribution key and sorted by its sort key
   * (start_time: analysts filter plays by time). Dimensions are small, so each node keeps a full copy
   * (DISTSTYLE ALL) and every join from the fact table is local, whatever the fact's distribution. Staging
   * tables are rebuilt on every run (COPY reads the whole prefix), so they stay out of snapshots (BACKUP NO)
   * and keep Redshift's automatic distribution; so do batch tables. The ledger is sorted by its key.
   */
  protected override tableAttributes(table: TableSpec): string {
    const sortKey = table.sortKey ? [`SORTKEY (${table.sortKey.map((name) => this.quote(name)).join(', ')})`] : [];
    switch (table.role) {
      case 'fact': {
        const distribution = table.distributionKey
          ? ['DISTSTYLE KEY', `DISTKEY (${this.quote(table.distributionKey)})`]
          : ['DISTSTYLE EVEN'];
        return `\n${[...distribution, ...sortKey].join('\n')}`;
      }
      case 'dimension':
        return `\n${['DISTSTYLE ALL', ...sortKey].join('\n')}`;
      case 'staging':
      case 'batch':
        return '\nBACKUP NO';
      case 'ledger':
        return sortKey.length > 0 ? `\n${sortKey.join('\n')}` : '';
      case 'errors':
        return '';
    }
  }
}
