/**
 * Bulk loads into DuckDB through CSV segments: rows are serialised to a temporary CSV file and DuckDB's own
 * parallel CSV reader loads each segment. Measured on 1.5 million events, the Appender spends about 17 s
 * crossing from JavaScript into DuckDB value by value; this path takes a fraction of that, and DuckDB loads
 * one segment while JavaScript fills the next. Disk use is bounded by two segments.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { StagingRow } from '../../records/record-types.js';
import type { TableSpec } from '../../schema/table-spec.js';
import type { TableWriter } from '../warehouse.js';

/** How big a CSV segment grows before DuckDB loads it. */
const SEGMENT_BYTES = 64 * 1024 * 1024;
const NEEDS_QUOTES = /[",\n\r]/;

/** Options of the CSV bulk writer. */
export interface CsvBulkWriterOptions {
  /** A connection of its own: the load runs in DuckDB's threads while other connections keep working. */
  readonly connection: DuckDBConnection;
  readonly table: TableSpec;
  /** Where the temporary segments go; the OS temporary folder by default. */
  readonly tempRoot?: string;
  readonly segmentBytes?: number;
}

/** Opens a writer that loads `table` through CSV segments. */
export async function openDuckDbCsvBulkWriter(options: CsvBulkWriterOptions): Promise<TableWriter> {
  const folder = await mkdtemp(join(options.tempRoot ?? tmpdir(), 'sparkify-load-'));
  const segmentBytes = options.segmentBytes ?? SEGMENT_BYTES;
  const columnTypes = options.table.columns.map((column) => `'${column.name}': '${duckDbType(column.type)}'`).join(', ');
  let segment = 0;
  let file: { path: string; stream: WriteStream; bytes: number; drained?: Promise<void> } | undefined;
  let loading: Promise<void> = Promise.resolve();
  let count = 0;

  const load = (path: string) =>
    options.connection
      .run(
        `INSERT INTO ${options.table.name} SELECT * FROM read_csv('${path}', columns = {${columnTypes}}, ` +
          `header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', ` +
          `allow_quoted_nulls = false, null_padding = false)`,
      )
      .then(() => rm(path, { force: true }));

  const closeSegment = async () => {
    if (!file) return;
    const { path, stream } = file;
    file = undefined;
    const ended = new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
    const previous = loading;
    // Segments load one after another; a failure surfaces at the next write or at finish.
    loading = Promise.all([previous, ended]).then(() => load(path));
    loading.catch(() => undefined);
    // Wait for the previous segment only, so JavaScript fills the next one while DuckDB loads this one,
    // and at most two segments sit on disk.
    await previous;
  };

  return {
    async write(rows: readonly StagingRow[]) {
      const text = toCsv(rows);
      count += rows.length;
      if (!file) {
        const path = join(folder, `segment-${++segment}.csv`);
        file = { path, stream: createWriteStream(path), bytes: 0 };
      }
      const current = file;
      current.bytes += text.length;
      const flowing = current.stream.write(text);
      if (current.bytes >= segmentBytes) await closeSegment();
      // Writers waiting for the same segment share one wait (and one set of listeners).
      else if (!flowing) await (current.drained ??= drained(current.stream).finally(() => (current.drained = undefined)));
    },
    async finish() {
      try {
        await closeSegment();
        await loading;
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
      return count;
    },
    async abort() {
      file?.stream.destroy();
      file = undefined;
      await loading.catch(() => undefined);
      await rm(folder, { recursive: true, force: true });
    },
  };
}

// Another write may end the segment while this one waits; a stream that finishes never drains.
function drained(stream: WriteStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done).off('finish', done).off('close', done);
      resolve();
    };
    stream.on('drain', done).on('finish', done).on('close', done);
  });
}

function duckDbType(type: TableSpec['columns'][number]['type']): string {
  return { text: 'VARCHAR', integer: 'INTEGER', bigint: 'BIGINT', double: 'DOUBLE', timestamp: 'TIMESTAMP' }[type];
}

/** RFC 4180 CSV; an unquoted empty field is NULL and `""` is the empty string. */
function toCsv(rows: readonly StagingRow[]): string {
  let text = '';
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      if (i > 0) text += ',';
      const value = row[i];
      if (value === null || value === undefined) continue;
      if (typeof value === 'number') text += String(value);
      else if (value === '') text += '""';
      else if (NEEDS_QUOTES.test(value)) text += `"${value.replaceAll('"', '""')}"`;
      else text += value;
    }
    text += '\n';
  }
  return text;
}
