/**
 * The library's entry points, one per CLI verb: `run` (create what is missing, load what is new, publish),
 * `etl` (the same), and `createTables` (drop and recreate everything).
 *
 * A run is incremental: the ledger (`sparkify_files`) says which files are loaded; only new and changed
 * files are read, into batch tables; one transaction then moves the batch into staging, brings the star
 * tables up to date, and writes the ledger and the run's row of `sparkify_runs`. A crash before that commit
 * leaves everything as it was; the next run starts over from the batch.
 */
import { performance } from 'node:perf_hooks';
import {
  cleanUpAfter,
  ConfigError,
  endingRun,
  InterruptedError,
  type InterruptOutcomes,
  QualityCheckError,
  TooManyRejectsError,
} from '../errors.js';
import { BATCH_ERRORS, BATCH_EVENTS, BATCH_FILES, BATCH_SONGS, SPARKIFY_FILES } from '../schema/ledger-tables.js';
import { gateBeforeCommit, keepFailures, planChecks, type CheckRun } from '../checks/quality-gate.js';
import { runReadCounts } from '../checks/check-definitions.js';
import { RECORD_RULES_VERSION } from '../records/field-spec.js';
import { openLocation } from '../sources/open-location.js';
import { sourceFor } from '../sources/source-registry.js';
import type { DataLocation } from '../sources/source.js';
import { descriptorOf } from '../warehouses/warehouse-registry.js';
import { describeTarget } from '../warehouses/warehouse-target.js';
import type { StagedLoads, StagedUploads, StagingLoad, TableWriter, Warehouse } from '../warehouses/warehouse.js';
import type { TableSpec } from '../schema/table-spec.js';
import { loadSettings, type LoadSettingsInput, type Settings } from '../config/settings.js';
import { withSourceRegion } from '../sources/s3/bucket-region.js';
import { EVENT_DATASET, SONG_DATASET, openStagingLoad, stageDataset, type DatasetSpec, type StagedCounts } from './dataset-stager.js';
import {
  BACKFILL_END,
  BACKFILL_START,
  readLedger,
  selectFiles,
  type Backfill,
  type FileCounts,
  type FileSelection,
} from './file-selection.js';
import type { ProgressListener, StageName } from './progress.js';
import {
  ledgerStatements,
  latestPublishingRun,
  nextRunId,
  type PublishingRun,
  runRecordStatement,
  type RunMode,
  type RunRecord,
} from './run-record.js';
import { pastTheStop, stopSignalOf } from './run-interruption.js';
import { withRunLock } from './run-lock.js';
import type { DatasetSummary, RunSummary } from './run-summary.js';
import { maskedSettings, sparkifyVersion } from './run-settings.js';
import { batchStatements, prepareLoadStatements, resetSchemaStatements } from './schema-setup.js';
import { assertReconciled } from './staging-reconciliation.js';
import { type SharedFileName, SharedFileNames, sharedFileNamesNote } from './shared-file-names.js';
import { repeatedPlaysNote } from './repeated-plays.js';
import { shrunkFilesNote } from './shrunk-files.js';
import { countRows, measureStarSchema, publishStarSchema, type PublishMode } from './star-publisher.js';
import { countExactMatches } from './match-explanation.js';

/** Options of `run` and `etl`: settings (or the inputs to resolve them) and an optional progress listener. */
export interface RunOptions extends LoadSettingsInput {
  /** Already-resolved settings; when given, `options`, `configFile`, `env` and `cwd` are ignored. */
  readonly settings?: Settings;
  readonly onProgress?: ProgressListener;
  /** Rebuild everything from the source as it is now, whatever the ledger says. */
  readonly fullRefresh?: boolean;
  /** Load, or reload, only the log files of these days (song files load incrementally as usual). */
  readonly backfill?: Backfill;
  /** Seconds to wait for another run's lock on the warehouse (`--wait`); 0 or absent: fail at once. */
  readonly waitSeconds?: number;
  /** Stops the run cleanly when aborted with `'SIGINT'` or `'SIGTERM'` (the CLI wires the signals to it). */
  readonly signal?: AbortSignal;
}

/**
 * Loads what is new in the source and publishes the star schema, creating missing tables first.
 *
 * @example
 * const summary = await run({ options: { source: './my-data', warehouse: 'duckdb:my.duckdb' } });
 * console.log(summary.tables.songplays, summary.songs.files.new);
 */
export async function run(options: RunOptions = {}): Promise<RunSummary> {
  return etl(options);
}

/** Same as `run`, the classic etl.py's name. */
export async function etl(options: RunOptions = {}): Promise<RunSummary> {
  const settings = options.settings ?? loadSettings(options);
  if (options.fullRefresh && options.backfill)
    throw new ConfigError('--full-refresh reloads every day already: give it or --from/--to, not both');
  const mode: RunMode = options.fullRefresh ? 'full-refresh' : options.backfill ? 'backfill' : 'incremental';
  assertSourcesReadable(settings);
  await assertWarehouseReadsSources(settings);
  const notes = [...settings.notes];
  const startedAt = new Date();
  const started = performance.now();
  const seconds: Partial<Record<StageName, number>> = {};
  // Stages under way: the run record is written inside the publish, so it holds the publish's time so far.
  const began: Partial<Record<StageName, number>> = {};
  const timed = async <T>(stage: StageName, work: () => Promise<T>): Promise<T> => {
    const begin = performance.now();
    began[stage] = begin;
    try {
      return await work();
    } finally {
      seconds[stage] = (performance.now() - begin) / 1000;
    }
  };
  const secondsSoFar = (): Partial<Record<StageName, number>> => {
    const now = performance.now();
    const running = Object.entries(began).filter(([stage]) => seconds[stage as StageName] === undefined);
    return { ...seconds, ...Object.fromEntries(running.map(([stage, begin]) => [stage, (now - begin) / 1000])) };
  };

  const lock = { command: 'run', waitSeconds: options.waitSeconds, signal: options.signal };
  return withRunLock(settings.warehouse, lock, async (warehouse) => {
    // User checks are read before any data moves, so a broken check file stops the run at once.
    planChecks(warehouse.dialect, settings);
    const { intake } = warehouse;
    // Staged loading (Redshift with --s3-staging): sparkify reads the files as on any warehouse, and the
    // warehouse COPYs what it uploaded; the run is incremental like any other.
    const staged = intake.kind === 'warehouse-reads-storage' && intake.openStaged && settings.storageLoad.mode === 'staged';
    const storage = intake.kind === 'warehouse-reads-storage' && !staged;
    if (storage) notes.push(DIRECT_COPY_NOTE);
    // COPY from the source prefix reads every file: such a run is a full refresh whatever was asked.
    const recordedMode: RunMode = storage ? 'full-refresh' : mode;
    await timed('create-tables', () => executeAll(warehouse, prepareLoadStatements(warehouse.dialect, { storage })));
    const runId = await nextRunId(warehouse);
    // What was staged, once it is: a run that fails after staging (too many rejects, a check) records its counts.
    let loaded: LoadedBatch | undefined;
    // Whether the run's own record (succeeded or no-op) is written.
    let recorded = false;
    const record = (status: RunRecord['status'], summary: RunSummary | undefined, error?: string): RunRecord => {
      const counts = summary ?? loaded;
      return {
        runId,
        startedAt,
        finishedAt: new Date(),
        status,
        mode: recordedMode,
        songFiles: counts?.songs.files,
        eventFiles: counts?.events.files,
        recordsRead: (counts?.songs.read ?? 0) + (counts?.events.read ?? 0),
        recordsRejected: (counts?.songs.rejected ?? 0) + (counts?.events.rejected ?? 0),
        songplays: summary?.tables.songplays,
        version: sparkifyVersion(),
        settings: maskedSettings(settings),
        seconds: secondsSoFar(),
        error,
        details: summary,
      };
    };
    try {
      loaded = storage
        ? // COPY must name the bucket's region, found once for both datasets.
          await stageInWarehouseAll(warehouse, await withSourceRegion(settings), timed, options.onProgress)
        : await stageBatch(warehouse, settings, options, timed, staged ? await openStaged(warehouse, settings) : undefined);
      const rejected = loaded.songs.rejected + loaded.events.rejected;
      // A forced rebuild read every day whatever --from/--to said, and its own note says so.
      if (options.backfill && !loaded.keepsRemoved)
        notes.push(totalFiles(loaded.events.files) === 0 ? noLogFileNote(options.backfill) : backfillNote(options.backfill));
      if (loaded.note) notes.push(loaded.note);

      if (rejected > settings.maxErrors) {
        const table = storage ? 'load_errors' : 'batch_load_errors';
        throw new TooManyRejectsError(
          rejected,
          settings.maxErrors,
          `the ${table} table in ${describeTarget(settings.warehouse)}`,
          loaded.note,
        );
      }
      if (!storage && loaded.songs.files.changed + loaded.events.files.changed > 0) {
        const shrunk = await shrunkFilesNote(warehouse);
        if (shrunk) notes.push(shrunk);
      }
      if (!storage && !loaded.full && loaded.events.files.new + loaded.events.files.changed > 0) {
        const repeated = await repeatedPlaysNote(warehouse);
        if (repeated) notes.push(repeated);
      }
      const base = {
        warehouse: describeTarget(settings.warehouse),
        bundledSample: settings.bundledSample,
        runId,
        mode: recordedMode,
        songs: loaded.songs,
        events: loaded.events,
        rejected,
        maxErrors: settings.maxErrors,
        notes,
        match: settings.match,
        ...(loaded.staging ? { staging: loaded.staging } : {}),
      };
      if (loaded.nothingNew) {
        const latest = await latestPublishingRun(warehouse);
        const summary = finish({
          ...base,
          published: false,
          ...(latest ? { nothingNewSince: { runId: latest.runId, finishedAt: latest.finishedAt } } : {}),
          ...(await measureStarSchema(warehouse)),
        });
        await warehouse.execute(runRecordStatement(warehouse.dialect, record('no-op', summary)));
        recorded = true;
        await executeAll(warehouse, batchStatements(warehouse.dialect, 'drop'));
        return summary;
      }
      const publishMode: PublishMode = {
        kind: storage || loaded.full ? 'full' : 'incremental',
        records: storage ? 'staging' : 'batch',
        match: settings.match,
        ...(loaded.keepsRemoved ? { keepRemoved: true } : {}),
      };
      const ledger = storage ? [] : ledgerStatements(warehouse.dialect, runId, new Date(), publishMode.kind === 'full');
      // Records read per source: the ledger's (written in the transaction before the checks) covers every
      // file loaded so far; a warehouse that COPYs the whole source has only this run's.
      const readCounts = storage
        ? runReadCounts(loaded)
        : `SELECT dataset, SUM(records_read) AS records_read FROM ${SPARKIFY_FILES.name} GROUP BY dataset`;
      const plan = planChecks(warehouse.dialect, settings, { readCounts });
      let gate: CheckRun | undefined;
      const gateChecks = gateBeforeCommit(warehouse, plan, (checked) => {
        gate = checked;
      });
      let summary: RunSummary | undefined;
      const { sharedNames } = loaded;
      try {
        await timed('publish', () =>
          publishStarSchema(warehouse, publishMode, {
            record: ledger,
            // Write, audit, publish: a failing check throws here and the whole transaction rolls back.
            beforeCommit: async () => {
              await gateChecks();
              if (sharedNames) notes.push(sharedFileNamesNote(sharedNames, 'published')!);
              const star = await measureStarSchema(warehouse);
              const exact = settings.match === 'exact' ? undefined : await countExactMatches(warehouse);
              summary = finish({
                ...base,
                published: true,
                ...star,
                ...(exact === undefined
                  ? {}
                  : { exactMatch: { songplays: exact, share: star.tables.songplays === 0 ? 0 : exact / star.tables.songplays } }),
                checks: gate?.report,
              });
              await warehouse.execute(runRecordStatement(warehouse.dialect, record('succeeded', summary)));
            },
          }),
        );
        // Committed: the run's record is in with its tables.
        recorded = true;
      } catch (error) {
        // The error is all a failed run prints: it carries why the keys may collide.
        if (error instanceof QualityCheckError && sharedNames && failedKeyCheck(error)) {
          throw new QualityCheckError(error.report, sharedFileNamesNote(sharedNames, 'refused'));
        }
        throw error;
      } finally {
        // Kept whether the gate passed or rolled the publish back: the failing rows are what the user needs.
        if (gate) await keepFailures(warehouse, gate);
      }
      if (!storage) await executeAll(warehouse, batchStatements(warehouse.dialect, 'drop'));
      return finish(summary!);
    } catch (error) {
      // The failure is recorded on its own, unless the run's own record is written already (it published, or
      // found nothing new, and failed after); recording it must never hide it. A run stopped by a signal is
      // recorded too, past the stop, with what the command will say.
      if (!recorded) {
        const stopped = options.signal?.aborted === true;
        // Stopped, the command says the InterruptedError's line (which knows whether the run published).
        const message =
          stopped && !(error instanceof InterruptedError)
            ? new InterruptedError(stopSignalOf(options.signal!), false).message
            : (error as Error).message;
        recorded = await (stopped ? pastTheStop(warehouse) : warehouse)
          .execute(runRecordStatement(warehouse.dialect, record('failed', undefined, message)))
          .then(() => true)
          .catch(() => false);
      }
      throw recorded ? endingRun(error, runId) : error;
    }
  });

  function finish(summary: Omit<RunSummary, 'seconds' | 'totalSeconds' | 'peakMemoryMB'>): RunSummary {
    return {
      ...summary,
      seconds: { ...seconds },
      totalSeconds: (performance.now() - started) / 1000,
      // maxRSS is in kilobytes.
      peakMemoryMB: Math.round(process.resourceUsage().maxRSS / 1024),
      notes,
    };
  }
}

// A local folder that is not there is a configuration error (exit 2) naming what named it, found before the
// warehouse is opened: no DuckDB file is created and no failed run recorded for a mistyped path.
function assertSourcesReadable(settings: Settings): void {
  const locations = [
    [settings.songData, settings.dataOrigins?.songData ?? 'the song data'],
    [settings.logData, settings.dataOrigins?.logData ?? 'the log data'],
  ] as const;
  for (const [location, origin] of locations) {
    const problem = sourceFor(location).unreadable?.(location);
    if (problem) throw new ConfigError(`${origin}: ${problem}`);
  }
}

// A warehouse that COPYs the source itself (Redshift without --s3-staging) reads only s3:// locations. Its
// planner builds the COPY from the settings alone and says so in one line, before the run connects: a local
// folder given to it would otherwise fail first on the connection, or after it.
async function assertWarehouseReadsSources(settings: Settings): Promise<void> {
  if ([settings.songData, settings.logData].every((location) => /^s3:\/\//i.test(location))) return;
  const planner = await descriptorOf(settings.warehouse).planner(settings.warehouse);
  const copies = (planner.storage ?? false) && !(planner.stagedLoading && settings.storageLoad.mode === 'staged');
  if (copies) planner.staging(settings, [SONG_DATASET, EVENT_DATASET]);
}

function totalFiles(files: FileCounts): number {
  return files.new + files.changed + files.unchanged + files.removed;
}

// A backfill whose days hold no log file loads nothing: said, so a mistyped year does not pass for a no-op.
function noLogFileNote(backfill: Backfill): string {
  return `no log file of the source is dated ${backfillDays(backfill)} (the date in its path, log_data/YYYY/MM/YYYY-MM-DD-events.json)`;
}

// The events row of a backfill's summary counts only the files of its days: said, so "removed 0" or a small
// "unchanged" is not read as the state of the whole source.
function backfillNote(backfill: Backfill): string {
  return `backfill: the events row counts only the log files dated ${backfillDays(backfill)}; the others were not compared and stay as they are`;
}

function backfillDays(backfill: Backfill): string {
  if (backfill.from === BACKFILL_START) return `up to ${backfill.to}`;
  return backfill.to === BACKFILL_END ? `from ${backfill.from} on` : `from ${backfill.from} to ${backfill.to}`;
}

/** Said on every run whose warehouse COPYs the source prefixes itself. */
const DIRECT_COPY_NOTE =
  'COPY read every object under the source prefixes (direct load, no staging location): this run is a full refresh; ' +
  'give --s3-staging s3://bucket/prefix/ to load only new and changed files, staged';

/** What a stopped create-tables says: its reset commits whole or not at all. */
const RESET_OUTCOMES: InterruptOutcomes = {
  published: 'every table was dropped and created again: they are empty',
  unpublished: 'no table was dropped, every table is as it was',
};

/** Drops and creates every table (staging, load_errors, star, ledger, runs), like the classic create_tables.py. */
export async function createTables(options: Omit<RunOptions, 'onProgress'> = {}): Promise<{ warehouse: string; tables: string[] }> {
  const settings = options.settings ?? loadSettings(options);
  const lock = { command: 'create-tables', waitSeconds: options.waitSeconds, signal: options.signal, outcomes: RESET_OUTCOMES };
  return withRunLock(settings.warehouse, lock, async (warehouse) => {
    const { statements, tables } = resetSchemaStatements(warehouse.dialect);
    // One transaction: a reset that fails or is stopped partway (a view of the user's that depends on a
    // table, a signal) leaves every table as it was instead of half of them dropped.
    await warehouse.transaction(() => executeAll(warehouse, statements), { publishes: true });
    return { warehouse: describeTarget(settings.warehouse), tables };
  });
}

type Timed = <T>(stage: StageName, work: () => Promise<T>) => Promise<T>;

/** What the load before the publish gives. */
interface LoadedBatch {
  readonly songs: DatasetSummary;
  readonly events: DatasetSummary;
  /** Nothing to publish: no file is new or changed (and none is to be reloaded). */
  readonly nothingNew: boolean;
  /** The publish rebuilds everything: a full refresh, or the first load. */
  readonly full: boolean;
  /** Staged loading: what every COPY of the run read and what was uploaded. */
  readonly staging?: RunSummary['staging'];
  /** Why the run read everything when it was not asked to, for the summary. */
  readonly note?: string;
  /** The run rebuilds everything unasked (see `note`) and keeps the records of files removed from the source. */
  readonly keepsRemoved?: boolean;
  /** Log files loaded that share a name with another (`shared-file-names.ts`), for the summary and errors. */
  readonly sharedNames?: readonly SharedFileName[];
}

/** How the batch's rows enter the warehouse: its own intake and row writers, or staged loads. */
interface BatchLoads {
  open(table: TableSpec): Promise<StagingLoad>;
  openWriter(table: TableSpec): Promise<TableWriter>;
  /** What a staged load uploaded and COPYed (undefined for the warehouse's own loads). */
  uploadsOf?(load: StagingLoad): StagedUploads | undefined;
}

/** The staged loads of a warehouse that reads storage and can stage (its settings' region found first). */
async function openStaged(warehouse: Warehouse, settings: Settings): Promise<StagedLoads> {
  if (warehouse.intake.kind !== 'warehouse-reads-storage' || !warehouse.intake.openStaged)
    throw new Error(`${warehouse.description} has no staged loading`);
  const staging = settings.storageLoad.staging;
  if (!staging) throw new ConfigError('Staged loading needs an S3 staging location: give --s3-staging s3://bucket/prefix/');
  // The AWS SDK loads only for a run that stages through S3: it costs every other run 0.2 s of start-up.
  const { StagingBucket } = await import('../sources/s3/s3-staging-bucket.js');
  const store = await StagingBucket.open(staging, { endpoint: settings.s3.endpoint });
  try {
    return await warehouse.intake.openStaged(settings, store);
  } catch (error) {
    store.close();
    throw error;
  }
}

/** Loads that count what staged loads uploaded and COPYed, for the summary. */
function tallied(staged: StagedLoads): BatchLoads & { total(): NonNullable<RunSummary['staging']> } {
  const opened = new Map<object, () => StagedUploads>();
  return {
    open: async (table) => {
      const load = await staged.open(table);
      opened.set(load, () => load.uploads());
      return load;
    },
    openWriter: async (table) => {
      const writer = await staged.openWriter(table);
      opened.set(writer, () => writer.uploads());
      return writer;
    },
    uploadsOf: (load) => opened.get(load)?.(),
    total: () => {
      const all = [...opened.values()].map((uploads) => uploads());
      return {
        objects: all.reduce((sum, uploads) => sum + uploads.objects, 0),
        bytes: all.reduce((sum, uploads) => sum + uploads.bytes, 0),
        copies: all.filter((uploads) => uploads.manifest !== undefined).length,
      };
    },
  };
}

/** Lists both datasets against the ledger and stages the files to load into the batch tables. */
async function stageBatch(
  warehouse: Warehouse,
  settings: Settings,
  options: RunOptions,
  timed: Timed,
  staged?: StagedLoads,
): Promise<LoadedBatch> {
  try {
    return await stageBatchThrough(warehouse, settings, options, timed, staged);
  } finally {
    staged?.close();
  }
}

async function stageBatchThrough(
  warehouse: Warehouse,
  settings: Settings,
  options: RunOptions,
  timed: Timed,
  staged: StagedLoads | undefined,
): Promise<LoadedBatch> {
  const tally = staged ? tallied(staged) : undefined;
  const loads: BatchLoads = tally ?? {
    open: (table) => openStagingLoad(warehouse, table),
    openWriter: (table) => warehouse.openWriter(table),
  };
  await executeAll(warehouse, batchStatements(warehouse.dialect, 'create'));
  const songLedger = await readLedger(warehouse, 'songs');
  const eventLedger = await readLedger(warehouse, 'events');
  // The first load (an empty ledger) publishes as a full refresh does: the same tables, built faster. So does
  // a change of --match, since every play may then find another song, and a change of the record checks
  // (an upgrade of sparkify), since the files loaded before were checked by other rules.
  const previous = await latestPublishingRun(warehouse);
  const matchChanged = previous !== undefined && (previous.match ?? 'exact') !== settings.match;
  const rulesChanged = previous !== undefined && previous.recordRules !== RECORD_RULES_VERSION;
  const full = options.fullRefresh === true || (songLedger.size === 0 && eventLedger.size === 0) || matchChanged || rulesChanged;
  // A rebuild the user did not ask for keeps what removed files left, as an incremental run does.
  const forced = previous !== undefined && options.fullRefresh !== true && (matchChanged || rulesChanged) ? previous : undefined;
  const songLocation = await openLocation(settings.songData, settings.s3);
  const eventLocation = await openLocation(settings.logData, settings.s3);
  const files = await loads.openWriter(BATCH_FILES);
  const rejects = await loads.openWriter(BATCH_ERRORS);
  let songs: DatasetSummary;
  let events: DatasetSummary;
  const eventNames = new SharedFileNames();
  try {
    const songSelection = selectFiles(songLocation, songLedger, files, { dataset: 'songs', everything: full });
    const eventSelection = selectFiles(eventLocation, eventLedger, files, {
      dataset: 'events',
      everything: full,
      // A forced rebuild reads every day: the days --from/--to leaves out were staged by other rules too.
      backfill: forced ? undefined : options.backfill,
      names: eventNames,
      keepRemoved: forced !== undefined,
    });
    // One dataset into its batch table: its files' ledger rows are complete once it is staged.
    const stageSelected = (selection: FileSelection, location: DataLocation, spec: DatasetSpec) =>
      timed(spec.stage, async () => {
        const counts = await stage(warehouse, loads, selection.location, spec, rejects, options.onProgress);
        await selection.flush();
        return summarise(location, counts, selection.counts);
      });
    songs = await stageSelected(songSelection, songLocation, { ...SONG_DATASET, table: BATCH_SONGS });
    events = await stageSelected(eventSelection, eventLocation, { ...EVENT_DATASET, table: BATCH_EVENTS });
  } catch (error) {
    // Abandoning the batch's writers after a failure must not hide the failure.
    return cleanUpAfter(error, () => Promise.all([files.abort(), rejects.abort()]));
  }
  await files.finish();
  await rejects.finish();
  const loadedFiles = await countRows(warehouse, BATCH_FILES.name);
  const sharedNames = eventNames.found.length > 0 ? eventNames.found : undefined;
  return {
    songs,
    events,
    full,
    nothingNew: loadedFiles === 0 && !full,
    ...(sharedNames ? { sharedNames } : {}),
    ...(tally ? { staging: tally.total() } : {}),
    ...(forced
      ? {
          keepsRemoved: true,
          note: rebuildNote(forced, settings.match, songs.files.removed + events.files.removed, options.backfill !== undefined),
        }
      : {}),
  };
}

// Why a run the user did not ask to rebuild read every file again, and that removed files' records stayed.
function rebuildNote(previous: PublishingRun, match: Settings['match'], removed: number, backfill: boolean): string {
  const why =
    previous.recordRules !== RECORD_RULES_VERSION
      ? `the record checks changed since run ${previous.runId} (rules ${previous.recordRules}, now ${RECORD_RULES_VERSION}), so the ` +
        "tables are those of a full refresh under today's rules"
      : `the match mode changed since run ${previous.runId} (${previous.match ?? 'exact'}, now ${match}), so every play looked for its song again`;
  const kept = removed === 0 ? '' : `; the records of the ${removed} file(s) no longer in the source stay, as they were staged`;
  const days = backfill ? ' (every day, not only those of --from/--to)' : '';
  return `every file was read again${days}: ${why}${kept}`;
}

// The check that log files sharing a name fail, when they hold the same plays.
function failedKeyCheck(error: QualityCheckError): boolean {
  return error.report.results.some((result) => result.name === 'songplays_primary_key' && result.status === 'failed');
}

function summarise(
  location: DataLocation,
  counts: StagedCounts & { stagedInWarehouse: number; uploads?: StagedUploads },
  files: FileCounts,
): DatasetSummary {
  return {
    ...(counts.uploads ? { stagedObjects: { objects: counts.uploads.objects, bytes: counts.uploads.bytes } } : {}),
    location: location.uri,
    files: { ...files },
    filesRead: counts.files,
    bytes: counts.bytes,
    read: counts.read,
    staged: counts.stagedInWarehouse,
    rejected: counts.rejected,
    skippedFiles: location.skipped.length,
  };
}

async function stage(
  warehouse: Warehouse,
  loads: BatchLoads,
  location: DataLocation,
  spec: DatasetSpec,
  rejects: TableWriter,
  onProgress: ProgressListener | undefined,
): Promise<StagedCounts & { stagedInWarehouse: number; uploads?: StagedUploads }> {
  const writer = await loads.open(spec.table);
  let counts: StagedCounts;
  try {
    counts = await stageDataset(location, spec, writer, rejects, onProgress);
  } catch (error) {
    return cleanUpAfter(error, () => writer.abort());
  }
  await writer.finish();
  // Reconcile against the warehouse itself, not only our own counters.
  const stagedInWarehouse = await countRows(warehouse, spec.table.name);
  assertReconciled({ dataset: spec.name, location: location.uri, ...counts, stagedInWarehouse });
  const uploads = loads.uploadsOf?.(writer);
  return { ...counts, stagedInWarehouse, ...(uploads ? { uploads } : {}) };
}

/**
 * Both datasets staged by the warehouse itself (Redshift's COPY from S3, which reads the whole prefix):
 * staging is rebuilt and the publish is full; each is reconciled like a streamed load.
 */
async function stageInWarehouseAll(
  warehouse: Warehouse,
  settings: Settings,
  timed: Timed,
  onProgress: ProgressListener | undefined,
): Promise<LoadedBatch> {
  const songs = await timed('stage-songs', () => stageInWarehouse(warehouse, settings, SONG_DATASET, onProgress));
  const events = await timed('stage-events', () => stageInWarehouse(warehouse, settings, EVENT_DATASET, onProgress));
  return { songs, events, full: true, nothingNew: false };
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
  if (warehouse.intake.kind !== 'warehouse-reads-storage') throw new Error(`${warehouse.description} does not read its source itself`);
  const result = await warehouse.intake.stage(spec, settings);
  const staged = await countRows(warehouse, spec.table.name);
  const read = staged + result.rejected;
  onProgress?.({ stage: spec.stage, files: result.files, records: read, bytes: result.bytes, done: true });
  return {
    location: spec.name === 'songs' ? settings.songData : settings.logData,
    // COPY reads the whole prefix every run: every file counts as new.
    files: { new: result.files, changed: 0, unchanged: 0, removed: 0 },
    filesRead: result.files,
    bytes: result.bytes,
    read,
    staged,
    rejected: result.rejected,
    skippedFiles: 0,
  };
}

async function executeAll(warehouse: Warehouse, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await warehouse.execute(statement);
}

// The report of a gate that never ran (the publish returned without calling it): nothing was checked.
