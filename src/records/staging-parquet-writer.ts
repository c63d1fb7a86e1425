/**
 * Writes staging rows into Parquet segment files, which DuckDB loads with read_parquet. Measured on 1.5
 * million events, DuckDB loads the same rows from PLAIN, uncompressed Parquet with about 2 s less CPU than
 * from CSV (7 s instead of 9 s: no text to parse back into numbers, no quotes to undo), and nothing here is
 * guessed or escaped: text is length-prefixed bytes, numbers are binary.
 *
 * Rows are built column by column in a row group (one buffer of values and one of null flags per column);
 * a full row group is written out as one data page per column, and a file is sealed, footer and all, once it
 * holds `segmentBytes`. Memory stays at one row group.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { TableSpec } from '../schema/table-spec.js';
import { copyJsonStringBytes } from './json-string-bytes.js';
import type { StagingRow } from './record-types.js';
import type { StagingRowSink } from './staging-row-sink.js';
import {
  dataPageHeader,
  fileFooter,
  PARQUET_MAGIC,
  type ColumnChunkPlacement,
  type ParquetColumn,
  type ParquetType,
  type RowGroupPlacement,
} from './parquet-file-format.js';

const PARQUET_TYPES = { text: 'text', integer: 'int32', bigint: 'int64', double: 'double', timestamp: 'int64' } as const;

/** The Parquet columns of a staging table, in its column order. */
export function parquetColumns(table: TableSpec): ParquetColumn[] {
  return table.columns.map((column) => {
    // Staging holds no boolean: the raw logs have none, only star tables (user_levels.is_current) do.
    if (column.type === 'boolean') throw new Error(`${table.name}.${column.name}: boolean columns are not staged through Parquet`);
    return { name: column.name, type: PARQUET_TYPES[column.type] };
  });
}

/** The values of one column in the row group being built: PLAIN-encoded values, and a flag per row. */
export class ParquetColumnBuffer {
  bytes: Buffer = Buffer.allocUnsafe(1 << 16);
  length = 0;
  /** 1 where the row has a value, 0 where it is null. */
  defined: Uint8Array;

  constructor(
    readonly type: ParquetType,
    rows: number,
  ) {
    this.defined = new Uint8Array(rows);
  }

  /** Makes room for `extra` more bytes of values. */
  ensure(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.length + extra, this.bytes.length * 2));
    this.bytes.copy(bigger, 0, 0, this.length);
    this.bytes = bigger;
  }
}

/** Options of a segment writer. */
export interface StagingParquetOptions {
  readonly columns: readonly ParquetColumn[];
  /** The path of the next segment file. */
  readonly nextPath: () => string;
  /** Called with each sealed file and its row count. */
  readonly onSealed: (path: string, rows: number) => void;
  /** A file is sealed once it holds this many bytes. */
  readonly segmentBytes: number;
  /** Rows per row group (memory holds one). */
  readonly rowGroupRows?: number;
}

const ROW_GROUP_ROWS = 16_384;
const float = new Float64Array(1);
const floatBytes = new Uint8Array(float.buffer);

/** Builds rows into row groups and row groups into sealed Parquet files. */
export class StagingParquetWriter implements StagingRowSink {
  readonly columns: ParquetColumnBuffer[];
  /** Rows in the row group being built. */
  rows = 0;
  private readonly rowGroupRows: number;
  private readonly marks: Int32Array;
  private file = { fd: -1, path: '', offset: 0, rows: 0, groups: [] as RowGroupPlacement[] };

  constructor(private readonly options: StagingParquetOptions) {
    this.rowGroupRows = options.rowGroupRows ?? ROW_GROUP_ROWS;
    this.columns = options.columns.map((column) => new ParquetColumnBuffer(column.type, this.rowGroupRows));
    this.marks = new Int32Array(options.columns.length);
  }

  /** Remembers where each column stands, so a row given up half-way can be taken back. */
  beginRow(): void {
    for (let i = 0; i < this.columns.length; i++) this.marks[i] = this.columns[i]!.length;
  }

  /** Takes back the values written since `beginRow`. */
  rollbackRow(): void {
    for (let i = 0; i < this.columns.length; i++) this.columns[i]!.length = this.marks[i]!;
  }

  /** Ends the row; writes the row group out when it is full. */
  endRow(): void {
    this.rows += 1;
    if (this.rows === this.rowGroupRows) this.writeRowGroup();
  }

  null(i: number): void {
    this.columns[i]!.defined[this.rows] = 0;
  }

  integer(i: number, value: number): void {
    if (this.columns[i]!.type === 'int64') this.int64(i, value);
    else this.int32(i, value);
  }

  int32(i: number, value: number): void {
    const column = this.columns[i]!;
    column.ensure(4);
    const b = column.bytes;
    const q = column.length;
    b[q] = value & 0xff;
    b[q + 1] = (value >> 8) & 0xff;
    b[q + 2] = (value >> 16) & 0xff;
    b[q + 3] = (value >> 24) & 0xff;
    column.length = q + 4;
    column.defined[this.rows] = 1;
  }

  /** A safe integer as a little-endian two's complement int64. */
  int64(i: number, value: number): void {
    const column = this.columns[i]!;
    column.ensure(8);
    const high = Math.floor(value / 0x1_0000_0000);
    const low = value - high * 0x1_0000_0000;
    const b = column.bytes;
    const q = column.length;
    b[q] = low & 0xff;
    b[q + 1] = (low >>> 8) & 0xff;
    b[q + 2] = (low >>> 16) & 0xff;
    b[q + 3] = (low >>> 24) & 0xff;
    b[q + 4] = high & 0xff;
    b[q + 5] = (high >> 8) & 0xff;
    b[q + 6] = (high >> 16) & 0xff;
    b[q + 7] = (high >> 24) & 0xff;
    column.length = q + 8;
    column.defined[this.rows] = 1;
  }

  double(i: number, value: number): void {
    const column = this.columns[i]!;
    column.ensure(8);
    // -0 is stored as 0, as every warehouse gets it from JavaScript's text form ("0").
    float[0] = value === 0 ? 0 : value;
    column.bytes.set(floatBytes, column.length);
    column.length += 8;
    column.defined[this.rows] = 1;
  }

  decimal(i: number, value: number): void {
    this.double(i, value);
  }

  /** A text value given as a JavaScript string. */
  text(i: number, value: string): void {
    const column = this.columns[i]!;
    column.ensure(4 + value.length * 3);
    const length = column.bytes.write(value, column.length + 4, 'utf8');
    column.bytes.writeUInt32LE(length, column.length);
    column.length += 4 + length;
    column.defined[this.rows] = 1;
  }

  /** A text value as a 4-byte length, then its UTF-8 bytes with escapes decoded. */
  jsonText(i: number, b: Uint8Array, start: number, end: number, escaped: boolean): void {
    const column = this.columns[i]!;
    column.ensure(end - start + 4);
    const target = column.bytes;
    const lengthAt = column.length;
    const q = copyJsonStringBytes(b, start, end, escaped, target, lengthAt + 4, false);
    const length = q - lengthAt - 4;
    target[lengthAt] = length & 0xff;
    target[lengthAt + 1] = (length >> 8) & 0xff;
    target[lengthAt + 2] = (length >> 16) & 0xff;
    target[lengthAt + 3] = (length >>> 24) & 0xff;
    column.length = q;
    column.defined[this.rows] = 1;
  }

  /** Appends a row of JavaScript values, in the columns' order. */
  appendRow(row: StagingRow): void {
    for (let i = 0; i < this.columns.length; i++) {
      const value = row[i];
      if (value === null || value === undefined) this.null(i);
      else if (typeof value === 'string') this.text(i, value);
      else {
        const type = this.columns[i]!.type;
        if (type === 'int32') this.int32(i, value);
        else if (type === 'int64') this.int64(i, value);
        else this.double(i, value);
      }
    }
    this.endRow();
  }

  /** Writes out the rows built so far and seals the current file, however small. */
  flush(): void {
    this.writeRowGroup();
    this.seal();
  }

  /** Closes the current file without sealing it (the load was abandoned). */
  close(): void {
    if (this.file.fd >= 0) closeSync(this.file.fd);
    this.file.fd = -1;
  }

  private writeRowGroup(): void {
    const rows = this.rows;
    if (rows === 0) return;
    const file = this.file;
    if (file.fd < 0) {
      file.path = this.options.nextPath();
      file.fd = openSync(file.path, 'w');
      file.offset = 0;
      file.rows = 0;
      file.groups = [];
      this.write(PARQUET_MAGIC);
    }
    const chunks: ColumnChunkPlacement[] = [];
    for (const column of this.columns) {
      const levels = packDefinitionLevels(column.defined, rows);
      const values = column.bytes.subarray(0, column.length);
      const header = dataPageHeader(rows, levels.length + values.length);
      const offset = file.offset;
      this.write(header);
      this.write(levels);
      this.write(values);
      chunks.push({ offset, bytes: file.offset - offset, values: rows });
      column.length = 0;
    }
    file.groups.push({ rows, chunks });
    file.rows += rows;
    this.rows = 0;
    if (file.offset >= this.options.segmentBytes) this.seal();
  }

  private seal(): void {
    const file = this.file;
    if (file.fd < 0) return;
    const footer = fileFooter(this.options.columns, file.groups);
    const length = Buffer.alloc(4);
    length.writeUInt32LE(footer.length);
    this.write(footer);
    this.write(length);
    this.write(PARQUET_MAGIC);
    closeSync(file.fd);
    file.fd = -1;
    this.options.onSealed(file.path, file.rows);
  }

  private write(bytes: Uint8Array): void {
    for (let done = 0; done < bytes.length; ) done += writeSync(this.file.fd, bytes, done, bytes.length - done);
    this.file.offset += bytes.length;
  }
}

/**
 * Definition levels (bit width 1) as Parquet v1 stores them: a 4-byte length, then one bit-packed run of the
 * RLE/bit-packed hybrid encoding, padded to a multiple of 8 values (readers stop at the value count).
 */
function packDefinitionLevels(defined: Uint8Array, rows: number): Buffer {
  const groups = Math.ceil(rows / 8);
  const header: number[] = [];
  for (let rest = groups * 2 + 1; ; rest = Math.floor(rest / 0x80)) {
    if (rest < 0x80) {
      header.push(rest);
      break;
    }
    header.push((rest % 0x80) | 0x80);
  }
  const out = Buffer.alloc(4 + header.length + groups);
  out.writeUInt32LE(header.length + groups, 0);
  out.set(header, 4);
  let q = 4 + header.length;
  for (let row = 0; row < rows; row += 8) {
    let byte = 0;
    const end = Math.min(row + 8, rows);
    for (let k = row; k < end; k++) byte |= defined[k]! << (k - row);
    out[q++] = byte;
  }
  return out;
}
