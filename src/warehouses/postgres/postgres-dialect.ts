/**
 * PostgreSQL's SQL: the shared dialect with PostgreSQL's text type and a byte-order collation for
 * tie-breaks. Everything else (DDL shape, the star-building SELECTs, the epoch arithmetic) is the shared
 * form, which PostgreSQL runs as written. Redshift's dialect extends this one.
 */
import type { ColumnSpec, TableSpec } from '../../schema/table-spec.js';
import { SqlDialect } from '../sql/sql-dialect.js';

/** PostgreSQL's dialect. */
export class PostgresDialect extends SqlDialect {
  readonly name: string = 'postgres';

  /**
   * TEXT for text (PostgreSQL stores it exactly like an unsized VARCHAR, and no width limit can reject a
   * record DuckDB would keep); the standard names otherwise: INTEGER, BIGINT, DOUBLE PRECISION, TIMESTAMP.
   */
  columnType(column: ColumnSpec): string {
    return column.type === 'text' ? 'TEXT' : this.standardType(column.type);
  }

  /**
   * Batch tables are UNLOGGED: scratch space that one run fills and publishes from in one transaction, so
   * writing each row to the write-ahead log as well buys nothing (a server crash empties them, and the
   * ledger, written in the same transaction as the data, still says those files were never loaded).
   * Staging, load_errors, the ledger and the star tables stay logged.
   */
  protected override tableKind(table: TableSpec): string {
    return table.role === 'batch' ? 'UNLOGGED ' : '';
  }

  /**
   * The "C" collation compares bytes, which for UTF-8 is code-point order: the order DuckDB uses. Without
   * it a database created with, say, en_US.UTF-8 would break ties differently and pick other rows.
   */
  override byteOrder(expression: string): string {
    return `${expression} COLLATE "C"`;
  }
}
