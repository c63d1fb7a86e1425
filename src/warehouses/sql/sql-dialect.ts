/**
 * The SQL a warehouse speaks. This base class is the shared dialect; DuckDB, PostgreSQL and Redshift each
 * override only the members where they differ (Redshift extends PostgreSQL's).
 */
import { STAGING_EVENTS, STAGING_SONGS } from '../../schema/staging-tables.js';
import type { ColumnSpec, LogicalType, TableSpec } from '../../schema/table-spec.js';

// Text columns of staging, whose order depends on collation unless it is pinned by `byteOrder`.
const STAGING_TEXT_COLUMNS = new Set(
  [...STAGING_EVENTS.columns, ...STAGING_SONGS.columns].filter((column) => column.type === 'text').map((column) => column.name),
);

/** What a warehouse can or cannot do, so shared code asks about a capability rather than a product name. */
export interface DialectCapabilities {
  /** Primary keys are declared (and, where the warehouse enforces them, checked). */
  readonly declaresPrimaryKeys: boolean;
  /**
   * A full publish may rename the batch tables into staging instead of copying their rows: true where a
   * batch table is created exactly as its staging twin (DuckDB). PostgreSQL's batch tables are UNLOGGED and
   * Redshift's distributed otherwise, so there the rows are copied.
   */
  readonly renamesBatchIntoStaging?: boolean;
}

/** Shared SQL generation; subclasses override types, physical attributes and the few functions that differ. */
export abstract class SqlDialect {
  abstract readonly name: string;

  readonly capabilities: DialectCapabilities = { declaresPrimaryKeys: true };

  /** The SQL type for a column. */
  abstract columnType(column: ColumnSpec): string;

  /** Quotes an identifier when it needs it (every star table name is a plain word, so most need nothing). */
  quote(identifier: string): string {
    return /^[a-z_][a-z0-9_]*$/.test(identifier) ? identifier : `"${identifier.replaceAll('"', '""')}"`;
  }

  /** A UTC timestamp, with milliseconds, from an expression holding epoch milliseconds. */
  epochMillisToTimestamp(expression: string): string {
    return `(TIMESTAMP 'epoch' + ${expression} * INTERVAL '1 millisecond')`;
  }

  /**
   * A non-negative BIGINT from 60 bits of the MD5 of `expressions` (each as text, NULL as empty, joined by
   * `|`): the same number on every warehouse for the same values. PostgreSQL's form reads the hex digits
   * through a bit string.
   */
  hashToBigint(expressions: readonly string[]): string {
    return `CAST(CAST('x' || SUBSTRING(MD5(${this.hashInput(expressions)}), 1, 15) AS BIT(60)) AS BIGINT)`;
  }

  /** The last segment of a path or S3 URI held by `expression` (a file's name without its folders). */
  baseName(expression: string): string {
    return `SUBSTRING(${expression} FROM '[^/]*$')`;
  }

  /** The text an id hash reads: every expression as text (NULL as ''), joined by `|`. */
  protected hashInput(expressions: readonly string[]): string {
    return expressions.map((expression) => `COALESCE(CAST(${expression} AS VARCHAR), '')`).join(" || '|' || ");
  }

  /** `text` as a string literal. */
  stringLiteral(text: string): string {
    return `'${text.replaceAll("'", "''")}'`;
  }

  /** An ORDER BY term that sorts text by its bytes, the same on every warehouse whatever its locale. */
  byteOrder(expression: string): string {
    return expression;
  }

  /**
   * ORDER BY terms that put staged records in file order (reversed with `descending`): the tie-break of
   * every "the first record wins" rule. Two song objects can share a line, so the record's own `content`
   * columns follow, which makes the order total and the choice the same on every warehouse. `fileOrder` is
   * the term that orders the files: their names by bytes, or `file_rank` over `fileRankedRecords`.
   */
  recordOrder(content: readonly string[], descending = false, fileOrder = this.byteOrder('source_file')): string {
    const direction = descending ? ' DESC' : '';
    return [`${fileOrder}${direction}`, `line_number${direction}`, this.contentOrder(content, descending)].join(', ');
  }

  /**
   * Present where sorting by a number costs far less than sorting by text (DuckDB, measured): the rows of
   * staging table `source` that match `where`, with `columns` and one more, `file_rank`, the rank of the
   * row's source_file among the table's files in byte order. A sort by `recordOrder(content, descending,
   * 'file_rank')` over them puts the records in the very order `recordOrder` gives.
   */
  fileRankedRecords?(source: string, columns: readonly string[], where: string): string;

  /** ORDER BY terms over `content` columns of staging: text by bytes, nulls last on every warehouse. */
  protected contentOrder(content: readonly string[], descending = false): string {
    const direction = descending ? ' DESC' : '';
    return content
      .map((column) => `${STAGING_TEXT_COLUMNS.has(column) ? this.byteOrder(column) : column}${direction} NULLS LAST`)
      .join(', ');
  }

  /**
   * Present on a warehouse with an arg-max aggregate: an expression giving, for a group of rows, `columns` of
   * the row whose `key` columns (compared in order) are greatest, as one value whose fields are named after
   * the columns. The shared SQL uses it instead of numbering rows where the key tells rows apart.
   */
  argMax?(columns: readonly string[], key: readonly string[]): string;

  /**
   * Present where one aggregate pass over a table costs far less than grouping it (DuckDB, measured): the
   * exact sum of a 64-bit hash of `columns` over a group of rows, a fingerprint of their multiset. The
   * built-in check that every NextSong event is a play then first compares fingerprints, and groups the rows
   * to list failures only when they differ.
   */
  hashSum?(columns: readonly string[]): string;

  /**
   * Present on a warehouse whose text holds NUL: a query reading two text columns of `table` (rows matching
   * `where`) as few long values, each row `pairs` (a count) and `packed` (`first NUL second NUL first ...`).
   * A driver that turns every value into a string of its own pays per value; the file ledger of a big
   * dataset is hundreds of thousands of pairs.
   */
  packedPairs?(first: string, second: string, table: string, where: string): string;

  /** `CREATE TABLE` for `table`. */
  createTable(table: TableSpec, options: { ifNotExists: boolean }): string {
    const columns = table.columns.map((column) => `  ${this.columnDefinition(table, column)}`);
    if (table.primaryKey && this.capabilities.declaresPrimaryKeys) {
      columns.push(`  PRIMARY KEY (${table.primaryKey.map((name) => this.quote(name)).join(', ')})`);
    }
    const exists = options.ifNotExists ? 'IF NOT EXISTS ' : '';
    return `CREATE ${this.tableKind(table)}TABLE ${exists}${this.quote(table.name)} (\n${columns.join(',\n')}\n)${this.tableAttributes(table)}`;
  }

  /** A word before TABLE in CREATE TABLE, with its trailing space (UNLOGGED, for example); none by default. */
  protected tableKind(_table: TableSpec): string {
    return '';
  }

  /** `DROP TABLE IF EXISTS`. */
  dropTable(table: TableSpec): string {
    return `DROP TABLE IF EXISTS ${this.quote(table.name)}`;
  }

  /** One column's definition inside CREATE TABLE. */
  protected columnDefinition(_table: TableSpec, column: ColumnSpec): string {
    return `${this.quote(column.name)} ${this.columnType(column)}${column.notNull ? ' NOT NULL' : ''}`;
  }

  /** Text after the closing parenthesis of CREATE TABLE (distribution and sort keys, for example). */
  protected tableAttributes(_table: TableSpec): string {
    return '';
  }

  /** The conventional SQL name of a logical type, shared by most dialects. */
  protected standardType(type: LogicalType): string {
    switch (type) {
      case 'text':
        return 'VARCHAR';
      case 'integer':
        return 'INTEGER';
      case 'bigint':
        return 'BIGINT';
      case 'double':
        return 'DOUBLE PRECISION';
      case 'timestamp':
        return 'TIMESTAMP';
      case 'boolean':
        return 'BOOLEAN';
    }
  }
}
