/**
 * The library's entry points, one per CLI verb: `run` (create what is missing, load, publish), `etl` (the
 * same on existing tables), and `createTables` (drop and recreate everything).
 */
import { performance } from 'node:perf_hooks';
import { cleanUpAfter, TooManyRejectsError } from '../errors.js';
import { LOAD_ERRORS } from '../schema/staging-tables.js';
import { openLocation } from '../sources/open-location.js';
import type { DataLocation } from '../sources/source.js';
import { describeTarget } from '../warehouses/warehouse-target.js';
import type { TableWriter, Warehouse } from '../warehouses/warehouse.js';
import { loadSettings, type LoadSettingsInput, type Settings } from '../config/settings.js';
import { EVENT_DATASET, SONG_DATASET, stageDataset, type DatasetSpec, type StagedCounts } from './dataset-stager.js';
import type { ProgressListener, StageName } from './progress.js';
import { withRunLock } from './run-lock.js';
import type { DatasetSummary, RunSummary } from './run-summary.js';
import { prepareLoadStatements, resetSchemaStatements } from './schema-setup.js';
import { countRows, measureStarSchema, publishStarSchema } from './star-publisher.js';

/** Options of `run` and `etl`: settings (or the inputs to resolve them) and an optional progress listener. */
export interface RunOptions extends LoadSettingsInput {
  /** Already-resolved settings; when given, `options`, `configFile`, `env` and `cwd` are ignored. */
  readonly settings?: Settings;
  readonly onProgress?: ProgressListener;
  /** Seconds to wait for another run's lock on the warehouse (`--wait`); 0 or absent: fail at once. */
  readonly waitSeconds?: number;
  /** Stops the run cleanly when aborted with `'SIGINT'` or `'SIGTERM'` (the CLI wires the signals to it). */
  readonly signal?: AbortSignal;
}

/**
 * Loads the source into staging and publishes the star schema, creating missing tables first.
 *
 * @example
 * const summary = await run({ options: { source: './my-data', warehouse: 'duckdb:my.duckdb' } });
 * console.log(summary.tables.songplays);
 */
export async function run(options: RunOptions = {}): Promise<RunSummary> {
  return etl(options);
}

/** Same as `run`: staging is always rebuilt and the star tables created when missing. */
export async function etl(options: RunOptions = {}): Promise<RunSummary> {
  const settings = options.settings ?? loadSettings(options);
  const started = performance.now();
  const seconds: Partial<Record<StageName, number>> = {};
  const timed = async <T>(stage: StageName, work: () => Promise<T>): Promise<T> => {
    const begin = performance.now();
    try {
      return await work();
    } finally {
      seconds[stage] = (performance.now() - begin) / 1000;
    }
  };

  const lock = { command: 'run', waitSeconds: options.waitSeconds, signal: options.signal };
  return withRunLock(settings.warehouse, lock, async (warehouse) => {
    await timed('create-tables', () => executeAll(warehouse, prepareLoadStatements(warehouse.dialect)));
    let songs: DatasetSummary;
    let events: DatasetSummary;
    if (warehouse.stageFromStorage) {
      // The warehouse reads the files itself (Redshift's COPY from S3); none passes through this process.
      songs = await timed('stage-songs', () => stageInWarehouse(warehouse, settings, SONG_DATASET, options.onProgress));
      events = await timed('stage-events', () => stageInWarehouse(warehouse, settings, EVENT_DATASET, options.onProgress));
    } else {
      const songLocation = await openLocation(settings.songData, settings.s3);
      const eventLocation = await openLocation(settings.logData, settings.s3);
      const rejects = await warehouse.openWriter(LOAD_ERRORS);
      try {
        songs = await timed('stage-songs', () => stage(warehouse, songLocation, SONG_DATASET, rejects, options.onProgress));
        events = await timed('stage-events', () => stage(warehouse, eventLocation, EVENT_DATASET, rejects, options.onProgress));
      } catch (error) {
        // Closing the rejects' writer after a failure must not hide the failure.
        return cleanUpAfter(error, () => rejects.finish());
      }
      await rejects.finish();
    }
    const rejected = songs.rejected + events.rejected;
    if (rejected > settings.maxErrors) {
      throw new TooManyRejectsError(rejected, settings.maxErrors, `the load_errors table in ${describeTarget(settings.warehouse)}`);
    }
    await timed('publish', () => publishStarSchema(warehouse));
    const star = await measureStarSchema(warehouse);
    return {
      warehouse: describeTarget(settings.warehouse),
      bundledSample: settings.bundledSample,
      songs,
      events,
      ...star,
      rejected,
      maxErrors: settings.maxErrors,
      seconds,
      totalSeconds: (performance.now() - started) / 1000,
      // maxRSS is in kilobytes.
      peakMemoryMB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  });
}

/** Drops and creates every table (staging, load_errors, star), like the classic create_tables.py. */
export async function createTables(options: Omit<RunOptions, 'onProgress'> = {}): Promise<{ warehouse: string; tables: string[] }> {
  const settings = options.settings ?? loadSettings(options);
  const lock = { command: 'create-tables', waitSeconds: options.waitSeconds, signal: options.signal };
  return withRunLock(settings.warehouse, lock, async (warehouse) => {
    await executeAll(warehouse, resetSchemaStatements(warehouse.dialect));
    return {
      warehouse: describeTarget(settings.warehouse),
      tables: ['staging_events', 'staging_songs', 'load_errors', 'songplays', 'users', 'songs', 'artists', 'time'],
    };
  });
}

async function executeAll(warehouse: Warehouse, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await warehouse.execute(statement);
}

/** One dataset staged by the warehouse itself; reconciled like a streamed load (read = staged + rejected). */
async function stageInWarehouse(
  warehouse: Warehouse,
  settings: Settings,
  spec: DatasetSpec,
  onProgress: ProgressListener | undefined,
): Promise<DatasetSummary> {
  // Shown while the warehouse works (a COPY of many small files can take long); it reports once, at the end.
  onProgress?.({ stage: spec.stage, files: 0, records: 0, bytes: 0, done: false });
  const result = await warehouse.stageFromStorage!(spec, settings);
  const staged = await countRows(warehouse, spec.table.name);
  const read = staged + result.rejected;
  onProgress?.({ stage: spec.stage, files: result.files, records: read, bytes: result.bytes, done: true });
  return {
    location: spec.name === 'songs' ? settings.songData : settings.logData,
    files: result.files,
    bytes: result.bytes,
    read,
    staged,
    rejected: result.rejected,
    skippedFiles: 0,
  };
}

async function stage(
  warehouse: Warehouse,
  location: DataLocation,
  spec: DatasetSpec,
  rejects: TableWriter,
  onProgress: ProgressListener | undefined,
): Promise<DatasetSummary> {
  const writer = await warehouse.openWriter(spec.table);
  let counts: StagedCounts;
  try {
    counts = await stageDataset(location, spec, writer, rejects, onProgress);
  } catch (error) {
    return cleanUpAfter(error, () => writer.abort());
  }
  await writer.finish();
  // Reconcile against the warehouse itself, not only our own counters.
  const staged = await countRows(warehouse, spec.table.name);
  return {
    location: location.uri,
    files: counts.files,
    bytes: counts.bytes,
    read: counts.read,
    staged,
    rejected: counts.rejected,
    skippedFiles: location.skipped.length,
  };
}
