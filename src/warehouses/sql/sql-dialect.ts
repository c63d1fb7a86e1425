/**
 * The SQL a warehouse speaks. This base class is the shared dialect; DuckDB, PostgreSQL and Redshift each
 * override only the members where they differ (Redshift extends PostgreSQL's).
 */
import type { ColumnSpec, LogicalType, TableSpec } from '../../schema/table-spec.js';

/** What a warehouse can or cannot do, so shared code asks about a capability rather than a product name. */
export interface DialectCapabilities {
  /** The warehouse numbers songplays itself (an IDENTITY column) instead of taking ROW_NUMBER() ids. */
  readonly identitySongplayIds: boolean;
  /** Primary keys are declared (and, where the warehouse enforces them, checked). */
  readonly declaresPrimaryKeys: boolean;
}

/** Shared SQL generation; subclasses override types, physical attributes and the few functions that differ. */
export abstract class SqlDialect {
  abstract readonly name: string;

  readonly capabilities: DialectCapabilities = { identitySongplayIds: false, declaresPrimaryKeys: true };

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

  /** An ORDER BY term that sorts text by its bytes, the same on every warehouse whatever its locale. */
  byteOrder(expression: string): string {
    return expression;
  }

  /**
   * ORDER BY terms that put staged records in file order (reversed with `descending`): the tie-break of
   * every "the first record wins" rule. `content` names the record's own columns, for a warehouse whose
   * staging cannot say where a record came from (Redshift's COPY), which orders by them instead so that its
   * choice stays deterministic.
   */
  recordOrder(_content: readonly string[], descending = false): string {
    const direction = descending ? ' DESC' : '';
    return `${this.byteOrder('source_file')}${direction}, line_number${direction}`;
  }

  /** `CREATE TABLE` for `table`. */
  createTable(table: TableSpec, options: { ifNotExists: boolean }): string {
    const columns = table.columns.map((column) => `  ${this.columnDefinition(table, column)}`);
    if (table.primaryKey && this.capabilities.declaresPrimaryKeys) {
      columns.push(`  PRIMARY KEY (${table.primaryKey.map((name) => this.quote(name)).join(', ')})`);
    }
    const exists = options.ifNotExists ? 'IF NOT EXISTS ' : '';
    return `CREATE TABLE ${exists}${this.quote(table.name)} (\n${columns.join(',\n')}\n)${this.tableAttributes(table)}`;
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
    }
  }
}
