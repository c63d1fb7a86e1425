/**
 * Loads one dataset (songs or events) from its location into its staging table, streaming: objects are
 * read a bounded number at a time, records are checked one by one, and rows go to the warehouse in
 * batches. Records that fail their checks go to `load_errors` with file, line and raw text.
 *
 * Two paths, same records and rejects: a warehouse whose intake takes rows in its own load format (DuckDB:
 * Parquet files; PostgreSQL: COPY CSV) is fed by worker threads (`staging-worker-pool.ts`), from local
 * files and S3 objects alike; a warehouse that takes JavaScript rows (intake `rows`) is fed from here.
 */
import { Readable } from 'node:stream';
import { parseRecord } from '../records/record-parser.js';
import type { StagingRow } from '../records/record-types.js';
import { decodeUtf8, Utf8ChunkDecoder } from '../records/utf8-text.js';
import type { TableSpec } from '../schema/table-spec.js';
import type { DataLocation, SourceObject } from '../sources/source.js';
import type { StagingLoad, TableWriter, Warehouse } from '../warehouses/warehouse.js';
import type { DatasetSpec, StagedCounts } from './dataset-spec.js';
import type { ProgressListener } from './progress.js';
import { stageInWorkers } from './staging-worker-pool.js';

export { EVENT_DATASET, SONG_DATASET, type DatasetSpec, type StagedCounts } from './dataset-spec.js';

// Objects up to this size are read whole (one call, far cheaper for tiny files); larger ones are streamed.
const WHOLE_READ_LIMIT = 1 << 20;
const BATCH_ROWS = 2048;

/**
 * Opens the load of `table` that `warehouse`'s intake takes. A warehouse that reads its storage itself has
 * none: the pipeline asks it to stage instead.
 */
export async function openStagingLoad(warehouse: Warehouse, table: TableSpec): Promise<StagingLoad> {
  const { intake } = warehouse;
  switch (intake.kind) {
    case 'rows':
      return warehouse.openWriter(table);
    case 'parquet-files':
    case 'csv-chunks':
      return intake.open(table);
    case 'warehouse-reads-storage':
      throw new Error(`${warehouse.description} reads its source itself: ${table.name} takes no load from sparkify`);
  }
}

/** Streams every object of `location` through the checks into `rows` (good records) and `rejects`. */
export async function stageDataset(
  location: DataLocation,
  spec: DatasetSpec,
  rows: StagingLoad,
  rejects: TableWriter,
  onProgress?: ProgressListener,
): Promise<StagedCounts> {
  const counts: StagedCounts = { files: 0, bytes: 0, read: 0, staged: 0, rejected: 0 };
  const report = (done: boolean) =>
    onProgress?.({ stage: spec.stage, files: counts.files, records: counts.read, bytes: counts.bytes, done });
  if (rows.kind === 'rows') await stageHere(location, spec, rows, rejects, counts, () => report(false));
  else await stageInWorkers(location, spec, rows, rejects, counts, () => report(false));
  report(true);
  return counts;
}

/** Reads, checks and batches on this thread: for warehouses that take JavaScript rows. */
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
