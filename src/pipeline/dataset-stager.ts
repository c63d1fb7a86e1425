/**
 * Loads one dataset (songs or events) from its location into its staging table, streaming: objects are
 * read a bounded number at a time, records are checked one by one, and rows go to the warehouse in
 * batches. Records that fail their checks go to `load_errors` with file, line and raw text.
 *
 * Two paths, same records and rejects: local files going to a warehouse that takes rows in its own load
 * format (DuckDB: Parquet files; PostgreSQL: COPY CSV) are staged in worker threads
 * (`staging-worker-pool.ts`); anything else (S3 sources) is read here and written as row batches.
 */
import { Readable } from 'node:stream';
import { parseRecord } from '../records/record-parser.js';
import type { RawRecord, StagingRow } from '../records/record-types.js';
import { splitJsonLines } from '../records/event-line-splitter.js';
import { splitJsonObjects } from '../records/song-object-splitter.js';
import { decodeUtf8, Utf8ChunkDecoder } from '../records/utf8-text.js';
import type { FieldSpec } from '../records/field-spec.js';
import { EVENT_FIELDS, SONG_FIELDS, STAGING_EVENTS, STAGING_SONGS } from '../schema/staging-tables.js';
import type { TableSpec } from '../schema/table-spec.js';
import type { DataLocation, SourceObject } from '../sources/source.js';
import type { TableWriter } from '../warehouses/warehouse.js';
import type { ProgressListener, StageName } from './progress.js';
import { stageInWorkers, stagingIntakeOf } from './staging-worker-pool.js';

/** How one dataset is read and where it lands. */
export interface DatasetSpec {
  readonly name: 'songs' | 'events';
  readonly stage: StageName;
  readonly table: TableSpec;
  readonly fields: readonly FieldSpec[];
  readonly split: (chunks: AsyncIterable<string>, file: string) => AsyncIterable<RawRecord>;
  /** The same split, by name, for worker threads (which cannot be handed a function). */
  readonly format: 'json-objects' | 'json-lines';
  /** Objects read at once: many for tiny song files (latency-bound), few for big log files. */
  readonly concurrency: number;
  /** A cap on `concurrency` whatever the location asks for: big files held at once cost memory. */
  readonly maxConcurrency: number;
}

/** Song files: one or more JSON objects each. */
export const SONG_DATASET: DatasetSpec = {
  name: 'songs',
  stage: 'stage-songs',
  table: STAGING_SONGS,
  fields: SONG_FIELDS,
  split: splitJsonObjects,
  format: 'json-objects',
  concurrency: 64,
  maxConcurrency: 1024,
};

/** Log files: JSON lines. */
export const EVENT_DATASET: DatasetSpec = {
  name: 'events',
  stage: 'stage-events',
  table: STAGING_EVENTS,
  fields: EVENT_FIELDS,
  split: splitJsonLines,
  format: 'json-lines',
  concurrency: 4,
  maxConcurrency: 4,
};

/** Counts of one dataset's load; `read` always equals `staged + rejected`. */
export interface StagedCounts {
  files: number;
  bytes: number;
  read: number;
  staged: number;
  rejected: number;
}

// Objects up to this size are read whole (one call, far cheaper for tiny files); larger ones are streamed.
const WHOLE_READ_LIMIT = 1 << 20;
const BATCH_ROWS = 2048;

/** Streams every object of `location` through the checks into `rows` (good records) and `rejects`. */
export async function stageDataset(
  location: DataLocation,
  spec: DatasetSpec,
  rows: TableWriter,
  rejects: TableWriter,
  onProgress?: ProgressListener,
): Promise<StagedCounts> {
  const counts: StagedCounts = { files: 0, bytes: 0, read: 0, staged: 0, rejected: 0 };
  const report = (done: boolean) =>
    onProgress?.({ stage: spec.stage, files: counts.files, records: counts.read, bytes: counts.bytes, done });
  const intake = stagingIntakeOf(rows);
  if (location.localFiles && intake) {
    await stageInWorkers(location, spec, intake, rejects, counts, () => report(false));
  } else {
    await stageHere(location, spec, rows, rejects, counts, () => report(false));
  }
  report(true);
  return counts;
}

/** Reads, checks and batches on this thread: for S3 sources and for warehouses that take rows. */
async function stageHere(
  location: DataLocation,
  spec: DatasetSpec,
  rows: TableWriter,
  rejects: TableWriter,
  counts: StagedCounts,
  report: () => void,
): Promise<void> {
  // One batch for all the objects being read: a song file holds one or two records, and a write per file
  // costs more than the records in it.
  let batch: StagingRow[] = [];
  let rejected: StagingRow[] = [];
  const writeBatch = async () => {
    const full = batch;
    batch = [];
    counts.staged += full.length;
    await rows.write(full);
  };
  const writeRejects = async () => {
    const full = rejected;
    rejected = [];
    await rejects.write(full);
  };

  const loadObject = async (object: SourceObject): Promise<void> => {
    const chunks = object.size <= WHOLE_READ_LIMIT ? wholeText(await location.read(object)) : streamedText(location, object);
    for await (const record of spec.split(chunks, object.uri)) {
      counts.read += 1;
      const parsed = parseRecord(record, spec.fields);
      if ('row' in parsed) {
        batch.push(parsed.row);
        if (batch.length >= BATCH_ROWS) {
          await writeBatch();
          // Big log files take a while: show records moving before the file is done.
          report();
        }
      } else {
        const { file, line, raw, error } = parsed.reject;
        rejected.push([file, line, raw, error, spec.name]);
        counts.rejected += 1;
        if (rejected.length >= BATCH_ROWS) await writeRejects();
      }
    }
    counts.files += 1;
    counts.bytes += object.size;
    report();
  };

  const concurrency = Math.min(location.concurrency ?? spec.concurrency, spec.maxConcurrency);
  const loads = Readable.from(location.list()).map(loadObject, { concurrency });
  for await (const _ of loads) {
    // Draining the mapped stream drives the loads; each result is already written.
  }
  if (batch.length > 0) await writeBatch();
  if (rejected.length > 0) await writeRejects();
}

// Bytes that are not UTF-8 are decoded so that the record checks reject them, never replaced (utf8-text.ts).
async function* wholeText(content: Buffer): AsyncGenerator<string> {
  yield decodeUtf8(content);
}

async function* streamedText(location: DataLocation, object: SourceObject): AsyncGenerator<string> {
  // The decoder keeps multi-byte characters whole across chunk boundaries.
  const decoder = new Utf8ChunkDecoder();
  for await (const chunk of location.stream(object) as AsyncIterable<Buffer>) yield decoder.write(chunk);
  const rest = decoder.end();
  if (rest) yield rest;
}
