/**
 * DuckDB's SQL: the shared dialect with DuckDB's type names and its epoch function.
 */
import type { ColumnSpec } from '../../schema/table-spec.js';
import { SqlDialect } from '../sql/sql-dialect.js';

/** DuckDB's dialect. Its text sorts by bytes already, so `byteOrder` stays the default. */
export class DuckDbDialect extends SqlDialect {
  readonly name = 'duckdb';

  columnType(column: ColumnSpec): string {
    return column.type === 'double' ? 'DOUBLE' : this.standardType(column.type);
  }

  // DuckDB multiplies INTERVAL by INTEGER only, so the shared form overflows on epoch milliseconds.
  override epochMillisToTimestamp(expression: string): string {
    return `epoch_ms(${expression})`;
  }
}
