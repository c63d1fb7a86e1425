/**
 * The few parts of the Parquet file format that staging segments use: PLAIN-encoded, uncompressed data pages
 * (v1) of optional flat columns, and the Thrift compact encoding of page headers and the file footer.
 * Field numbers and enum values are parquet.thrift's (apache/parquet-format).
 *
 * Why not a Parquet library (hyparquet-writer, parquetjs, parquet-wasm): each takes a column's values as
 * JavaScript values, so every text field would first become a JavaScript string. The staging encoder's
 * gain is copying text bytes straight from the log line into the page, never creating a string; what it
 * needs of the format is this small, fixed subset, checked by DuckDB reading every segment back in tests.
 *
 * Why not DuckDB's DataChunk path (issue 13, item 3; `npm run bench:staging-format`): filling a chunk's
 * vectors from JavaScript (`setItem`, `flush`, `appendDataChunk`, what `setColumnValues` does) crosses into
 * DuckDB once per text value. Measured on M's 1.5 million events, 2026-12-02, 2 cores shared with other
 * engineers' test runs, median of three loads per format, twice: Parquet segments loaded in 17.8 s and
 * 21.4 s (CPU over parsing alone +11.3 s and +8.2 s, 445-449 MB), DataChunks in 30.2 s and 61.2 s (CPU
 * +26.5 s and +28.6 s, 914-917 MB), with twice the main-thread share (19.6-40.3 s against 9.5-10.4 s).
 */

/** A Parquet physical type, as staging columns need them. */
export type ParquetType = 'text' | 'int32' | 'int64' | 'double';

/** One flat, optional column. */
export interface ParquetColumn {
  readonly name: string;
  readonly type: ParquetType;
}

/** Where one column chunk of a row group landed in the file. */
export interface ColumnChunkPlacement {
  readonly offset: number;
  readonly bytes: number;
  readonly values: number;
}

/** One row group of the file, for the footer. */
export interface RowGroupPlacement {
  readonly rows: number;
  readonly chunks: readonly ColumnChunkPlacement[];
}

export const PARQUET_MAGIC = Buffer.from('PAR1');

// parquet.thrift enums.
const PHYSICAL_TYPE: Record<ParquetType, number> = { int32: 1, int64: 2, double: 5, text: 6 };
const OPTIONAL = 1;
const CONVERTED_UTF8 = 0;
const PLAIN = 0;
const RLE = 3;
const DATA_PAGE = 0;
const UNCOMPRESSED = 0;

// Thrift compact protocol types.
const I32 = 5;
const I64 = 6;
const BINARY = 8;
const LIST = 9;
const STRUCT = 12;

/** Writes Thrift compact protocol values into a growing byte array. */
class CompactWriter {
  private readonly bytes: number[] = [];
  private lastField: number[] = [0];

  field(id: number, type: number): this {
    const delta = id - this.lastField[this.lastField.length - 1]!;
    if (delta > 0 && delta <= 15) this.bytes.push((delta << 4) | type);
    else {
      this.bytes.push(type);
      this.varint(zigzag(id));
    }
    this.lastField[this.lastField.length - 1] = id;
    return this;
  }

  i32(id: number, value: number): this {
    return this.field(id, I32).varint(zigzag(value));
  }

  i64(id: number, value: number): this {
    return this.field(id, I64).varint(zigzag(value));
  }

  string(id: number, value: string): this {
    this.field(id, BINARY);
    return this.binary(value);
  }

  /** A list field of `count` elements of `type`; the caller writes the elements. */
  list(id: number, type: number, count: number): this {
    this.field(id, LIST);
    if (count < 15) this.bytes.push((count << 4) | type);
    else {
      this.bytes.push(0xf0 | type);
      this.varint(count);
    }
    return this;
  }

  /** Starts a struct (a field, or a list element when `id` is undefined); `end` closes it. */
  begin(id?: number): this {
    if (id !== undefined) this.field(id, STRUCT);
    this.lastField.push(0);
    return this;
  }

  end(): this {
    this.bytes.push(0);
    this.lastField.pop();
    return this;
  }

  binary(value: string): this {
    const bytes = Buffer.from(value, 'utf8');
    this.varint(bytes.length);
    for (const byte of bytes) this.bytes.push(byte);
    return this;
  }

  varint(value: number): this {
    // Values here stay below 2^53: plain arithmetic, not 32-bit shifts.
    let rest = value;
    while (rest >= 0x80) {
      this.bytes.push((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.bytes.push(rest);
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.from(this.bytes);
  }
}

function zigzag(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}

/** The header of a data page holding `values` values (nulls included) in `bytes` bytes. */
export function dataPageHeader(values: number, bytes: number): Buffer {
  const out = new CompactWriter();
  out.i32(1, DATA_PAGE).i32(2, bytes).i32(3, bytes);
  out.begin(5).i32(1, values).i32(2, PLAIN).i32(3, RLE).i32(4, RLE).end();
  return out.end().toBuffer();
}

/** The file footer (FileMetaData) for `groups` of `columns`. */
export function fileFooter(columns: readonly ParquetColumn[], groups: readonly RowGroupPlacement[]): Buffer {
  const out = new CompactWriter();
  out.i32(1, 1);
  out.list(2, STRUCT, columns.length + 1);
  out.begin().string(4, 'schema').i32(5, columns.length).end();
  for (const column of columns) {
    out.begin().i32(1, PHYSICAL_TYPE[column.type]).i32(3, OPTIONAL).string(4, column.name);
    if (column.type === 'text') out.i32(6, CONVERTED_UTF8);
    out.end();
  }
  out.i64(
    3,
    groups.reduce((sum, group) => sum + group.rows, 0),
  );
  out.list(4, STRUCT, groups.length);
  for (const group of groups) {
    out.begin().list(1, STRUCT, columns.length);
    group.chunks.forEach((chunk, i) => {
      const column = columns[i]!;
      out.begin().i64(2, chunk.offset);
      out.begin(3).i32(1, PHYSICAL_TYPE[column.type]);
      out.list(2, I32, 2).varint(zigzag(PLAIN)).varint(zigzag(RLE));
      out.list(3, BINARY, 1).binary(column.name);
      out.i32(4, UNCOMPRESSED).i64(5, chunk.values).i64(6, chunk.bytes).i64(7, chunk.bytes).i64(9, chunk.offset);
      out.end().end();
    });
    out
      .i64(
        2,
        group.chunks.reduce((sum, chunk) => sum + chunk.bytes, 0),
      )
      .i64(3, group.rows)
      .end();
  }
  out.string(6, 'sparkify');
  return out.end().toBuffer();
}
