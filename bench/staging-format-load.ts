/**
 * One measured load of a dataset's events into DuckDB's staging_events, in one staging format, run as its
 * own process by `staging-format-bench.ts`:
 *
 *   node staging-format-load.js <parse-only|parquet|datachunk> <dataset folder> <database file>
 *
 * Every format parses the same way: each log line goes to the byte-level fast path (`JsonLineEncoder`),
 * and what it declines to `parseRecord`, as the staging workers do. What differs is the row sink:
 * - `parse-only`: a sink that drops the rows, the baseline the other two are measured against;
 * - `parquet`: today's path, Parquet segments (`StagingParquetWriter`) loaded by `read_parquet` through the
 *   production load (`openDuckDbParquetLoad`: 1 GiB batches, FSST off), with its temporary disk;
 * - `datachunk`: DuckDB's DataChunk path, rows gathered into chunks of DuckDB's vector size, each column's
 *   vector filled (`setItem`, `flush`) and the chunk appended with `DuckDBAppender.appendDataChunk`; no disk.
 *
 * Everything runs on this one thread (DuckDB's own threads aside), so the figures compare the formats'
 * cost, not the pool. In the pipeline the encoding would stay in the worker threads and only the vector
 * filling and `appendDataChunk` would run on the main thread, one chunk at a time: `serialSeconds` reports
 * that share (for `parquet`, the share the main thread spends handing segments over and waiting for the
 * loads). Prints one JSON line: format, rows staged, records rejected, seconds, serial seconds, and a
 * checksum of the loaded table, which must be the same for every format.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DuckDBDataChunk, DuckDBInstance, type DuckDBAppender, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';
import { copyJsonStringBytes } from '../src/records/json-string-bytes.js';
import { JsonLineEncoder } from '../src/records/json-line-encoder.js';
import type { ParquetColumn } from '../src/records/parquet-file-format.js';
import { parseRecord } from '../src/records/record-parser.js';
import type { StagingRow, StagingValue } from '../src/records/record-types.js';
import { parquetColumns, StagingParquetWriter } from '../src/records/staging-parquet-writer.js';
import type { StagingRowSink } from '../src/records/staging-row-sink.js';
import { EVENT_FIELDS, STAGING_EVENTS } from '../src/schema/staging-tables.js';
import { DuckDbDialect } from '../src/warehouses/duckdb/duckdb-dialect.js';
import { openDuckDbParquetLoad } from '../src/warehouses/duckdb/duckdb-parquet-bulk-writer.js';

/** The staging formats measured. */
export const STAGING_FORMATS = ['parse-only', 'parquet', 'datachunk'] as const;
export type StagingFormat = (typeof STAGING_FORMATS)[number];

/** What one load prints. */
export interface StagingFormatReport {
  readonly format: StagingFormat;
  readonly rows: number;
  readonly rejected: number;
  /** From the first file read to the last row loaded (process start-up and table creation excluded). */
  readonly seconds: number;
  /** Of which the part that would stay on the pipeline's main thread; see the module comment. */
  readonly serialSeconds: number;
  /** COUNT and SUM(hash(every column)) of staging_events: equal across formats when they load the same rows. */
  readonly checksum: string;
}

// The production warehouse's settings (duckdb-warehouse.ts), so the formats meet the same DuckDB.
const DUCKDB_SETTINGS = { memory_limit: '384MB', preserve_insertion_order: 'false' };
const SEGMENT_BYTES = 64 << 20;

/** A sink that keeps nothing: the parse-only baseline. */
class DroppingSink implements StagingRowSink {
  beginRow(): void {}
  rollbackRow(): void {}
  endRow(): void {}
  null(): void {}
  integer(): void {}
  double(): void {}
  decimal(): void {}
  text(): void {}
  jsonText(): void {}
  appendRow(): void {}
  flush(): void {}
  close(): void {}
}

/**
 * Gathers rows column by column into chunks of `chunkRows` (DuckDB's vector size) and appends each through
 * `appender.appendDataChunk`.
 */
class DataChunkSink implements StagingRowSink {
  private readonly values: StagingValue[][];
  private rows = 0;
  private chunk: DuckDBDataChunk | undefined;
  private scratch = Buffer.allocUnsafe(1 << 16);
  serialSeconds = 0;

  constructor(
    private readonly appender: DuckDBAppender,
    private readonly columns: readonly ParquetColumn[],
    private readonly types: readonly DuckDBType[],
    private readonly chunkRows: number,
  ) {
    this.values = columns.map(() => new Array<StagingValue>(chunkRows).fill(null));
  }

  beginRow(): void {}
  // Values are written at index `rows`: a row given up is simply not counted, and overwritten by the next.
  rollbackRow(): void {}
  endRow(): void {
    this.rows += 1;
    if (this.rows === this.chunkRows) this.emit();
  }
  null(i: number): void {
    this.values[i]![this.rows] = null;
  }
  integer(i: number, value: number): void {
    this.values[i]![this.rows] = value;
  }
  double(i: number, value: number): void {
    this.values[i]![this.rows] = value;
  }
  decimal(i: number, value: number): void {
    this.values[i]![this.rows] = value;
  }
  text(i: number, value: string): void {
    this.values[i]![this.rows] = value;
  }
  jsonText(i: number, b: Uint8Array, start: number, end: number, escaped: boolean): void {
    if (this.scratch.length < end - start) this.scratch = Buffer.allocUnsafe((end - start) * 2);
    const length = copyJsonStringBytes(b, start, end, escaped, this.scratch, 0, false);
    this.values[i]![this.rows] = this.scratch.toString('utf8', 0, length);
  }
  appendRow(row: StagingRow): void {
    for (let i = 0; i < this.columns.length; i++) this.values[i]![this.rows] = row[i] ?? null;
    this.endRow();
  }
  flush(): void {
    if (this.rows > 0) this.emit();
    const started = performance.now();
    this.appender.flushSync();
    this.serialSeconds += (performance.now() - started) / 1000;
  }
  close(): void {
    this.rows = 0;
  }

  private emit(): void {
    const started = performance.now();
    const rows = this.rows;
    // A full chunk is reused; the last, partial one gets its own.
    if (rows === this.chunkRows && !this.chunk) this.chunk = DuckDBDataChunk.create(this.types, rows);
    const chunk = rows === this.chunkRows && this.chunk ? this.chunk : DuckDBDataChunk.create(this.types, rows);
    for (let c = 0; c < this.columns.length; c++) {
      const vector = chunk.getColumnVector(c);
      const column = this.values[c]!;
      if (this.columns[c]!.type === 'int64') {
        for (let r = 0; r < rows; r++) {
          const value = column[r];
          vector.setItem(r, value === null || value === undefined ? null : BigInt(value as number));
        }
      } else {
        for (let r = 0; r < rows; r++) vector.setItem(r, column[r] ?? null);
      }
      vector.flush();
    }
    this.appender.appendDataChunk(chunk);
    this.rows = 0;
    this.serialSeconds += (performance.now() - started) / 1000;
  }
}

/** Feeds every log line of `folder` to the encoder (and the declined ones to parseRecord) into `sink`. */
function stageLogs(folder: string, sink: StagingRowSink, afterFile: () => Promise<void>): Promise<{ rows: number; rejected: number }> {
  const encoder = new JsonLineEncoder(EVENT_FIELDS);
  let rows = 0;
  let rejected = 0;
  const files = listJson(join(folder, 'log_data'));
  return (async () => {
    for (const file of files) {
      const b = readFileSync(file);
      const origin = Buffer.from(file, 'utf8');
      let start = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
      for (let line = 1; start < b.length; line++) {
        let newline = b.indexOf(10, start);
        if (newline === -1) newline = b.length;
        const end = newline > start && b[newline - 1] === 13 ? newline - 1 : newline;
        if (encoder.encode(b, start, end, sink, origin, line)) rows += 1;
        else {
          const text = b.toString('utf8', start, end);
          if (text.trim() !== '') {
            const parsed = parseRecord({ file, line, text }, EVENT_FIELDS);
            if ('row' in parsed) {
              sink.appendRow(parsed.row);
              rows += 1;
            } else rejected += 1;
          }
        }
        start = newline + 1;
      }
      await afterFile();
    }
    return { rows, rejected };
  })();
}

function listJson(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

async function checksum(connection: DuckDBConnection): Promise<string> {
  const columns = STAGING_EVENTS.columns.map((column) => `"${column.name}"`).join(', ');
  const reader = await connection.runAndReadAll(`SELECT COUNT(*) AS n, SUM(hash(${columns})) AS h FROM staging_events`);
  const [row] = reader.getRowObjectsJS();
  return `${String(row?.n)}:${String(row?.h)}`;
}

/** Loads `folder`'s events into a fresh `database` in `format`; see the module comment. */
export async function measureStagingFormat(format: StagingFormat, folder: string, database: string): Promise<StagingFormatReport> {
  const instance = await DuckDBInstance.create(database, DUCKDB_SETTINGS);
  const connection = await instance.connect();
  try {
    await connection.run(new DuckDbDialect().createTable(STAGING_EVENTS, { ifNotExists: false }));
    const columns = parquetColumns(STAGING_EVENTS);
    const started = performance.now();
    let serialSeconds = 0;
    let counts: { rows: number; rejected: number };
    if (format === 'parse-only') {
      counts = await stageLogs(folder, new DroppingSink(), async () => {});
    } else if (format === 'parquet') {
      const load = await openDuckDbParquetLoad({ connection, table: STAGING_EVENTS });
      const folderForSegments = await mkdtemp(join(tmpdir(), 'sparkify-format-'));
      const sealed: { path: string; rows: number }[] = [];
      let segments = 0;
      const writer = new StagingParquetWriter({
        columns,
        nextPath: () => join(folderForSegments, `events-${++segments}.parquet`),
        onSealed: (path, rows) => sealed.push({ path, rows }),
        segmentBytes: SEGMENT_BYTES,
      });
      const handOver = async () => {
        const begun = performance.now();
        for (const file of sealed.splice(0)) await load.add(file.path, file.rows);
        serialSeconds += (performance.now() - begun) / 1000;
      };
      try {
        counts = await stageLogs(folder, writer, handOver);
        writer.flush();
        await handOver();
        const begun = performance.now();
        await load.finish();
        serialSeconds += (performance.now() - begun) / 1000;
      } finally {
        await rm(folderForSegments, { recursive: true, force: true });
      }
    } else {
      const appender = await connection.createAppender(STAGING_EVENTS.name);
      const types = columns.map((_, index) => appender.columnType(index));
      // DuckDB's vector size: the most rows a data chunk holds.
      const chunkRows = 2048;
      const sink = new DataChunkSink(appender, columns, types, chunkRows);
      counts = await stageLogs(folder, sink, async () => {});
      sink.flush();
      appender.closeSync();
      serialSeconds = sink.serialSeconds;
    }
    const seconds = (performance.now() - started) / 1000;
    return { format, ...counts, seconds, serialSeconds, checksum: format === 'parse-only' ? '' : await checksum(connection) };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const [format, folder, database] = process.argv.slice(2);
if (format && folder && database) {
  if (!(STAGING_FORMATS as readonly string[]).includes(format)) throw new Error(`format must be one of ${STAGING_FORMATS.join(', ')}`);
  const report = await measureStagingFormat(format as StagingFormat, folder, database);
  process.stdout.write(`${JSON.stringify(report)}\n`);
}
