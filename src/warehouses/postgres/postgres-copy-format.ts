/**
 * The COPY statement PostgreSQL loads with, and the rows of `COPY ... FROM STDIN WITH (FORMAT csv)` written
 * by the one CSV encoder, `records/staging-csv-writer.ts`, which the staging workers use too.
 *
 * Why CSV rather than PostgreSQL's text format: in CSV every string is wrapped in double quotes, and inside
 * the quotes only `"` needs escaping (doubled); tabs, newlines, carriage returns, backslashes and commas
 * pass through untouched. An unquoted empty field is NULL and `""` is the empty string, so the two stay
 * distinct (logged-out events have empty strings that must not become NULL, and the reverse). Because
 * every string is quoted, no value can look like the `\.` end-of-data marker either.
 *
 * NUL (U+0000) is the one character PostgreSQL text cannot hold at all. See `NulPolicy`.
 */
import { WarehouseError } from '../../errors.js';
import type { StagingRow, StagingValue } from '../../records/record-types.js';
import { StagingCsvWriter } from '../../records/staging-csv-writer.js';
import { parquetColumns } from '../../records/staging-parquet-writer.js';
import type { TableSpec } from '../../schema/table-spec.js';

/** The COPY statement that reads what `CopyRowEncoder` (and the staging workers) write. */
export function copyFromStdinSql(table: TableSpec, quote: (identifier: string) => string): string {
  const columns = table.columns.map((column) => quote(column.name)).join(', ');
  return `COPY ${quote(table.name)} (${columns}) FROM STDIN WITH (FORMAT csv)`;
}

/**
 * What to do with a NUL character, which PostgreSQL cannot store in text:
 * - `reject`: throw a `WarehouseError` naming the record's file and line (staging tables: altering a
 *   value would silently change the data, so the load stops and says which record to fix);
 * - `escape`: write each NUL as the six characters `\u0000` (load_errors: its raw_record exists to show
 *   damaged input, and a zero-filled tail of a crashed file must not stop the load; in a JSON record the
 *   escape denotes the very same character).
 */
export type NulPolicy = 'reject' | 'escape';

// A batch of rows is encoded into chunks of this size (a batch of 2,048 events is about 1 MB of CSV).
const CHUNK_BYTES = 256 << 10;

/**
 * Encodes batches of JavaScript rows of one table for COPY, through `StagingCsvWriter`: the same bytes the
 * staging workers send, after the NUL policy is applied and timestamps (epoch milliseconds) are written
 * as ISO text, which TIMESTAMP (without time zone) reads as UTC.
 */
export class CopyRowEncoder {
  private readonly chunks: Buffer[] = [];
  private readonly writer: StagingCsvWriter;
  private readonly timestamps: readonly boolean[];

  constructor(
    private readonly table: TableSpec,
    private readonly nulPolicy: NulPolicy,
  ) {
    this.writer = new StagingCsvWriter({
      columns: parquetColumns(table),
      chunkBytes: CHUNK_BYTES,
      onChunk: (bytes) => this.chunks.push(bytes),
    });
    this.timestamps = table.columns.map((column) => column.type === 'timestamp');
  }

  /** The CSV of `rows`, one line each, each ending with a newline (empty for no rows). A fresh Buffer. */
  encode(rows: readonly StagingRow[]): Buffer {
    for (const row of rows) this.writer.appendRow(this.prepared(row));
    this.writer.flush();
    const chunks = this.chunks.splice(0);
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  }

  /** `row`, or a copy with its NULs handled and its timestamps as text when it has any. */
  private prepared(row: StagingRow): StagingRow {
    let copy: StagingValue[] | undefined;
    for (let i = 0; i < row.length; i++) {
      const value = row[i];
      let replaced: StagingValue | undefined;
      if (typeof value === 'string' && value.includes('\0')) replaced = this.withoutNul(value, row, i);
      else if (this.timestamps[i] && typeof value === 'number') replaced = new Date(value).toISOString();
      if (replaced === undefined) continue;
      copy ??= [...row];
      copy[i] = replaced;
    }
    return copy ?? row;
  }

  /** Applies the NUL policy to one value: the escaped text, or a `WarehouseError` naming the record. */
  private withoutNul(value: string, row: StagingRow, column: number): string {
    // Inside quotes the six characters of the escape cannot break the CSV structure.
    if (this.nulPolicy === 'escape') return value.replaceAll('\0', '\\u0000');
    const columns = this.table.columns;
    const fileIndex = columns.findIndex((spec) => spec.name === 'source_file');
    const lineIndex = columns.findIndex((spec) => spec.name === 'line_number');
    const where = fileIndex >= 0 ? `${String(row[fileIndex])} line ${String(row[lineIndex])}` : 'a record';
    throw new WarehouseError(
      `Cannot load ${where} into ${this.table.name}: field ${columns[column]?.name ?? column} ` +
        'holds a NUL character (\\u0000), which PostgreSQL text cannot store; remove it from the source',
    );
  }
}
