/**
 * Writes staging rows as the CSV that `COPY ... FROM STDIN WITH (FORMAT csv)` reads (see
 * `warehouses/postgres/postgres-copy-format.ts` for why CSV): every text value in double quotes with `"`
 * doubled, NULL as an empty unquoted field, numbers as JavaScript prints them. Staging workers build it
 * straight from the log lines' bytes, and the main thread only passes the chunks on to the COPY stream.
 *
 * Rows accumulate in one buffer; once it holds `chunkBytes` it is handed over whole (its memory moves to
 * the receiver, no copy) and a fresh one is started. Text never holds NUL here: the record checks reject it.
 */
import { copyJsonStringBytes } from './json-string-bytes.js';
import type { ParquetColumn } from './parquet-file-format.js';
import type { StagingRow } from './record-types.js';
import type { StagingRowSink } from './staging-row-sink.js';

const COMMA = 44;
const QUOTE = 34;
const NEWLINE = 10;
const MINUS = 45;

/** Options of a CSV chunk writer. */
export interface StagingCsvOptions {
  /** The staging table's columns (their count is what matters: CSV needs no types). */
  readonly columns: readonly ParquetColumn[];
  /** A chunk is handed over once it holds this many bytes. */
  readonly chunkBytes: number;
  /** Takes a chunk of `rows` whole rows; the chunk's memory is the receiver's from then on. */
  readonly onChunk: (bytes: Buffer, rows: number) => void;
}

/** Builds rows into CSV chunks; see the module comment. */
export class StagingCsvWriter implements StagingRowSink {
  private bytes: Buffer;
  private length = 0;
  private rows = 0;
  private rowStart = 0;

  constructor(private readonly options: StagingCsvOptions) {
    this.bytes = this.freshBuffer(0);
  }

  beginRow(): void {
    this.rowStart = this.length;
  }

  rollbackRow(): void {
    this.length = this.rowStart;
  }

  endRow(): void {
    // Each value ends with a comma: the row's last one becomes the newline.
    this.bytes[this.length - 1] = NEWLINE;
    this.rows += 1;
    if (this.length >= this.options.chunkBytes) this.handOver();
  }

  null(_i: number): void {
    this.ensure(1);
    this.bytes[this.length++] = COMMA;
  }

  integer(_i: number, value: number): void {
    // At most 16 digits and a sign (safe integers), then the comma.
    this.ensure(18);
    const b = this.bytes;
    let q = this.length;
    let rest = value;
    if (rest < 0) {
      b[q++] = MINUS;
      rest = -rest;
    }
    let digits = 1;
    for (let bound = 10; bound <= rest; bound *= 10) digits++;
    // Digits from the last one back: no intermediate string.
    for (let p = q + digits - 1; p >= q; p--) {
      const next = Math.floor(rest / 10);
      b[p] = 48 + (rest - next * 10);
      rest = next;
    }
    q += digits;
    b[q++] = COMMA;
    this.length = q;
  }

  double(_i: number, value: number): void {
    // The shortest text that reads back as the same double (PostgreSQL 12+ parses it exactly); -0 prints "0".
    this.ascii(String(value));
  }

  decimal(_i: number, _value: number, source: Uint8Array, start: number, end: number): void {
    this.ensure(end - start + 1);
    const b = this.bytes;
    let q = this.length;
    for (let p = start; p < end; p++) b[q++] = source[p]!;
    b[q++] = COMMA;
    this.length = q;
  }

  text(_i: number, value: string): void {
    this.ensure(value.length * 6 + 3);
    const b = this.bytes;
    let q = this.length;
    b[q++] = QUOTE;
    for (let k = 0; k < value.length; k++) {
      const code = value.charCodeAt(k);
      if (code >= 128) {
        q = this.length + 1;
        q += b.write(value.includes('"') ? value.replaceAll('"', '""') : value, q, 'utf8');
        break;
      }
      if (code === QUOTE) b[q++] = QUOTE;
      b[q++] = code;
    }
    b[q++] = QUOTE;
    b[q++] = COMMA;
    this.length = q;
  }

  jsonText(_i: number, source: Uint8Array, start: number, end: number, escaped: boolean): void {
    this.ensure((end - start) * 2 + 3);
    const b = this.bytes;
    b[this.length] = QUOTE;
    let q = copyJsonStringBytes(source, start, end, escaped, b, this.length + 1, true);
    b[q++] = QUOTE;
    b[q++] = COMMA;
    this.length = q;
  }

  appendRow(row: StagingRow): void {
    this.beginRow();
    for (let i = 0; i < this.options.columns.length; i++) {
      const value = row[i];
      if (value === null || value === undefined) this.null(i);
      else if (typeof value === 'string') this.text(i, value);
      else if (Number.isInteger(value) && this.options.columns[i]!.type !== 'double') this.integer(i, value);
      else this.double(i, value);
    }
    this.endRow();
  }

  flush(): void {
    if (this.rows > 0) this.handOver();
  }

  close(): void {
    this.length = 0;
    this.rows = 0;
  }

  private ascii(text: string): void {
    this.ensure(text.length + 1);
    const b = this.bytes;
    let q = this.length;
    for (let k = 0; k < text.length; k++) b[q++] = text.charCodeAt(k);
    b[q++] = COMMA;
    this.length = q;
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const bigger = this.freshBuffer(this.length + extra);
    this.bytes.copy(bigger, 0, 0, this.length);
    this.bytes = bigger;
  }

  private handOver(): void {
    const full = this.bytes.subarray(0, this.length);
    const rows = this.rows;
    this.bytes = this.freshBuffer(0);
    this.length = 0;
    this.rows = 0;
    this.options.onChunk(full, rows);
  }

  // Not from Buffer's shared pool: a chunk's memory is transferred to another thread whole.
  private freshBuffer(atLeast: number): Buffer {
    return Buffer.allocUnsafeSlow(Math.max(atLeast, this.options.chunkBytes + (64 << 10)));
  }
}
