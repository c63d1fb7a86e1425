/**
 * DuckDB's SQL: the shared dialect with DuckDB's type names and its epoch function, plus the choices that
 * make publishing fast on an embedded engine (no enforced keys, songplays numbered apart, arg_max).
 */
import type { ColumnSpec } from '../../schema/table-spec.js';
import { SqlDialect, type DialectCapabilities } from '../sql/sql-dialect.js';

/** DuckDB's dialect. Its text sorts by bytes already, so `byteOrder` stays the default. */
export class DuckDbDialect extends SqlDialect {
  readonly name = 'duckdb';

  // Measured publishing 1.26 million songplays on two cores: PRIMARY KEYs cost 3.6 s of 12 s of CPU (ART
  // indexes built on insert and written at commit) and keep in memory an index that grows with the data; the
  // publish SQL makes every key unique by construction, and tests check it. Numbering songplays apart, by
  // rowid, takes the songplays INSERT from 4.0 s to 2.2 s at 1.26 million plays and from 42 s to 30 s at
  // 8.4 million (within a 512 MB memory limit): the window sorts the key columns, not every column. In
  // slices of 1.5 million plays, 8.4 million take 20 s instead of 32 s: each slice fits in memory. Since the
  // slices join their numbers last and share a song-match table (star-transform-sql.ts), they take 16 s of
  // wall clock and 32 s of CPU where they took 46 s and 69 s (5 slices, measured back to back).
  override readonly capabilities: DialectCapabilities = {
    identitySongplayIds: false,
    declaresPrimaryKeys: false,
    numbersSongplaysBy: 'rowid',
    songplaySlicePlays: 1_500_000,
  };

  columnType(column: ColumnSpec): string {
    return column.type === 'double' ? 'DOUBLE' : this.standardType(column.type);
  }

  // Measured on 1.26 million plays: 0.35 s for the users table instead of 1.0 s for a window that sorts them.
  override argMax(columns: readonly string[], key: readonly string[]): string {
    return `arg_max({${columns.map((column) => `'${column}': ${column}`).join(', ')}}, (${key.join(', ')}))`;
  }

  // DuckDB multiplies INTERVAL by INTEGER only, so the shared form overflows on epoch milliseconds.
  override epochMillisToTimestamp(expression: string): string {
    return `epoch_ms(${expression})`;
  }
}
