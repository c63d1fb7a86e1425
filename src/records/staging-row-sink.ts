/**
 * Where staging rows are built value by value: a Parquet segment for DuckDB (`StagingParquetWriter`) or
 * COPY-ready CSV for PostgreSQL (`StagingCsvWriter`). The JSON line encoder and the record parser's rows
 * both go through it, so each warehouse's fast path sees the same values.
 *
 * Every row gives each column exactly one value, in column order.
 */
import type { StagingRow } from './record-types.js';

/** A row builder; see the module comment. */
export interface StagingRowSink {
  /** Remembers where the row starts, so a row given up half-way can be taken back. */
  beginRow(): void;
  /** Takes back the values written since `beginRow`. */
  rollbackRow(): void;
  /** Ends the row. */
  endRow(): void;
  /** Column `i` holds no value. */
  null(i: number): void;
  /** A safe integer, of whatever width column `i` has. */
  integer(i: number, value: number): void;
  double(i: number, value: number): void;
  /**
   * A double also given as its JSON text `b[start, end)`: a plain decimal of at most 15 digits, which every
   * correctly rounding parser (JavaScript's, PostgreSQL's) reads as exactly `value`. A text sink copies it
   * instead of printing the value again.
   */
  decimal(i: number, value: number, b: Uint8Array, start: number, end: number): void;
  /** A text value given as a JavaScript string. */
  text(i: number, value: string): void;
  /**
   * A text value given as UTF-8 bytes `b[start, end)`: the inside of a scanned, valid JSON string, whose
   * escapes are decoded when `escaped`.
   */
  jsonText(i: number, b: Uint8Array, start: number, end: number, escaped: boolean): void;
  /** Appends a row of JavaScript values, in the columns' order. */
  appendRow(row: StagingRow): void;
  /** Hands over what is buffered, however little. */
  flush(): void;
  /** Releases what the sink holds without handing anything over (the load was abandoned). */
  close(): void;
}
