/**
 * Turns staging rows into the bytes of `COPY ... FROM STDIN WITH (FORMAT csv)`.
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
import type { StagingRow } from '../../records/record-types.js';
import type { TableSpec } from '../../schema/table-spec.js';

/** The COPY statement that reads what `CsvRowFormatter` writes. */
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

const COMMA = 44;
const QUOTE = 34;
const NEWLINE = 10;
const INITIAL_BYTES = 1 << 20;

/**
 * Serializes rows of one table into CSV bytes. This is the hot loop of a PostgreSQL load, so it writes
 * bytes itself: ASCII characters (nearly all of the data) are copied one by one into a reused buffer, and
 * only a value with other characters goes through Buffer's UTF-8 encoder. Measured on event rows, that is
 * twice as fast as building the text with string concatenation and encoding it afterwards.
 */
export class CsvRowFormatter {
  // Numbers print as JavaScript prints them: the shortest text that reads back as the same double
  // (PostgreSQL 12+ parses it exactly), so the (title, artist, length) song match sees DuckDB's values.
  private readonly quoted: readonly boolean[];
  private readonly timestamps: readonly boolean[];
  private buffer = Buffer.allocUnsafe(INITIAL_BYTES);

  constructor(
    private readonly table: TableSpec,
    private readonly nulPolicy: NulPolicy,
  ) {
    this.quoted = table.columns.map((column) => column.type === 'text');
    this.timestamps = table.columns.map((column) => column.type === 'timestamp');
  }

  /** The CSV of `rows`, one line each, each ending with a newline (empty for no rows). A fresh Buffer. */
  format(rows: readonly StagingRow[]): Buffer {
    const { quoted, timestamps } = this;
    const width = quoted.length;
    let pos = 0;
    for (const row of rows) {
      for (let i = 0; i < width; i++) {
        const value = row[i];
        const missing = value === null || value === undefined;
        // Epoch milliseconds as ISO text; TIMESTAMP (without time zone) ignores the Z and keeps UTC.
        const text = missing ? '' : quoted[i] ? (value as string) : timestamps[i] ? new Date(value as number).toISOString() : `${value}`;
        // Room for the worst case before writing anything (a typed array drops writes past its end): up to
        // six bytes per UTF-16 unit (a NUL escape; a doubled quote takes two, UTF-8 at most three), the
        // quotes and the comma.
        if (pos + text.length * 6 + 3 > this.buffer.length) this.grow(pos, text.length * 6 + 3);
        if (i > 0) this.buffer[pos++] = COMMA;
        if (missing) continue;
        pos = quoted[i] ? this.writeQuoted(text, pos, row, i) : this.writeUnquoted(text, pos);
      }
      if (pos + 1 > this.buffer.length) this.grow(pos, 1);
      this.buffer[pos++] = NEWLINE;
    }
    // A copy: the scratch buffer is overwritten by the next batch while this one may still be queued.
    return Buffer.from(this.buffer.subarray(0, pos));
  }

  /** Writes `"text"` with quotes doubled; returns the new position. */
  private writeQuoted(text: string, start: number, row: StagingRow, column: number): number {
    const buffer = this.buffer;
    let pos = start;
    buffer[pos++] = QUOTE;
    const length = text.length;
    for (let k = 0; k < length; k++) {
      const code = text.charCodeAt(k);
      // Anything beyond ASCII, and NUL, takes the general path below.
      if (code >= 128 || code === 0) return this.writeQuotedSlowly(text, start, row, column);
      if (code === QUOTE) buffer[pos++] = QUOTE;
      buffer[pos++] = code;
    }
    buffer[pos++] = QUOTE;
    return pos;
  }

  private writeQuotedSlowly(text: string, start: number, row: StagingRow, column: number): number {
    let value = text;
    if (value.includes('\0')) value = this.withoutNul(value, row, column);
    value = value.includes('"') ? value.replaceAll('"', '""') : value;
    let pos = start;
    this.buffer[pos++] = QUOTE;
    pos += this.buffer.write(value, pos, 'utf8');
    this.buffer[pos++] = QUOTE;
    return pos;
  }

  /** A number or timestamp: always ASCII, but anything else is encoded properly rather than truncated. */
  private writeUnquoted(text: string, start: number): number {
    const buffer = this.buffer;
    let pos = start;
    for (let k = 0; k < text.length; k++) {
      const code = text.charCodeAt(k);
      if (code >= 128) return start + buffer.write(text, start, 'utf8');
      buffer[pos++] = code;
    }
    return pos;
  }

  private grow(pos: number, needed: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, pos + needed));
    this.buffer.copy(bigger, 0, 0, pos);
    this.buffer = bigger;
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
