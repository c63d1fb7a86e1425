/**
 * Which files a run loads: the ledger (`sparkify_files`) says which files are loaded and with which change
 * token; a file is new when the ledger does not have it, changed when its token differs, unchanged
 * otherwise, and removed when the ledger has it but the source no longer does (its records stay until a
 * full refresh). The selection wraps a dataset's location so the stager sees only the files to load, and
 * writes each one's ledger row to the batch as it goes, so nothing grows with the listing but the ledger's
 * own map of names to tokens.
 */
import type { DataLocation, SourceObject } from '../sources/source.js';
import { SPARKIFY_FILES } from '../schema/ledger-tables.js';
import type { StagingRow } from '../records/record-types.js';
import type { TableWriter, Warehouse } from '../warehouses/warehouse.js';
import type { SharedFileNames } from './shared-file-names.js';

/** How many files of one dataset fall in each class. */
export interface FileCounts {
  new: number;
  changed: number;
  unchanged: number;
  removed: number;
}

/** Days of log files to (re)load, by the date in their path; both ends included, as YYYY-MM-DD. */
export interface Backfill {
  readonly from: string;
  readonly to: string;
}

/** The ends of a backfill given only `--to` or only `--from`: before and after any day a path holds. */
export const BACKFILL_START = '0000-01-01';
export const BACKFILL_END = '9999-12-31';

/** What a selection needs to know. */
export interface SelectionOptions {
  readonly dataset: 'songs' | 'events';
  /** Load every file, whatever the ledger says (a full refresh). */
  readonly everything: boolean;
  /** With `everything`: the rebuild keeps the records of removed files (`PublishMode.keepRemoved`). */
  readonly keepRemoved?: boolean;
  /** For event files: only these days, reloaded even when unchanged. */
  readonly backfill?: Backfill;
  /** For event files: told every listed and removed file, to find names shared (`shared-file-names.ts`). */
  readonly names?: SharedFileNames;
}

/** A location limited to the files to load, and the counts it keeps while it is listed. */
export interface FileSelection {
  readonly location: DataLocation;
  /** Complete once the location's listing has ended. */
  readonly counts: FileCounts;
  /** Writes the ledger rows still buffered; call after staging. */
  flush(): Promise<void>;
}

const LEDGER_BATCH = 2048;

/** The ledger of one dataset: file name to change token. Empty when the ledger table is. */
export async function readLedger(warehouse: Warehouse, dataset: 'songs' | 'events'): Promise<Map<string, string>> {
  const where = `dataset = '${dataset}'`;
  const packed = warehouse.dialect.packedPairs?.('source_file', 'change_token', SPARKIFY_FILES.name, where);
  const ledger = packed === undefined ? undefined : unpackLedger(await warehouse.query(packed));
  if (ledger) return ledger;
  const rows = await warehouse.query(`SELECT source_file, change_token FROM ${SPARKIFY_FILES.name} WHERE ${where}`);
  return new Map(rows.map((row) => [String(row.source_file), String(row.change_token)]));
}

// Pairs packed by `SqlDialect.packedPairs`; undefined when a value holds a NUL itself (each group must split
// into exactly twice its count of fields), so the ledger is read row by row instead.
function unpackLedger(groups: readonly Record<string, unknown>[]): Map<string, string> | undefined {
  const ledger = new Map<string, string>();
  for (const group of groups) {
    const fields = String(group.packed).split('\0');
    if (fields.length !== 2 * Number(group.pairs)) return undefined;
    for (let index = 0; index < fields.length; index += 2) ledger.set(fields[index]!, fields[index + 1]!);
  }
  return ledger;
}

/**
 * Wraps `location` so its listing yields only the files to load, counting every class and writing each
 * selected file's row (source_file, dataset, size, change_token) to `files`. `ledger` is consumed.
 */
export function selectFiles(
  location: DataLocation,
  ledger: Map<string, string>,
  files: TableWriter,
  options: SelectionOptions,
): FileSelection {
  const counts: FileCounts = { new: 0, changed: 0, unchanged: 0, removed: 0 };
  let pending: StagingRow[] = [];
  // New local files whose ledger row waits for what their staging worker finds opening them (`settle`):
  // no token to compare, so the main thread need not stat them. Only the tasks in flight wait here; a file
  // nobody settles (a warehouse fed from the main thread) is statted by flush.
  const awaiting = new Map<string, SourceObject>();
  const row = (uri: string, size: number, token: string): StagingRow => [uri, options.dataset, size, token];
  const flush = async () => {
    for (const object of awaiting.values()) pending.push(row(object.uri, object.size, object.changeToken));
    awaiting.clear();
    const rows = pending;
    pending = [];
    if (rows.length > 0) await files.write(rows);
  };
  const inRange = (uri: string) => !options.backfill || withinBackfill(uri, options.backfill);
  async function* list(): AsyncGenerator<SourceObject> {
    // Every listed file's token is compared when the ledger has files of this dataset.
    for await (const object of location.list({ changeTokens: ledger.size > 0 })) {
      if (!inRange(object.uri)) {
        ledger.delete(object.uri);
        continue;
      }
      const known = ledger.get(object.uri);
      ledger.delete(object.uri);
      if (known === undefined && location.localFiles) {
        counts.new += 1;
        options.names?.listed(object.uri, true);
        awaiting.set(object.uri, object);
        if (pending.length >= LEDGER_BATCH) await writePending();
        yield object;
        continue;
      }
      const token = object.changeToken;
      if (known === undefined) counts.new += 1;
      else if (known !== token) counts.changed += 1;
      else {
        counts.unchanged += 1;
        if (!options.everything && !options.backfill) {
          options.names?.listed(object.uri, false);
          continue;
        }
      }
      options.names?.listed(object.uri, true);
      pending.push(row(object.uri, object.size, token));
      if (pending.length >= LEDGER_BATCH) await writePending();
      yield object;
    }
    // What the ledger still holds was not listed: removed from the source (within the backfill's days).
    // A full refresh drops their records; otherwise they stay beside any file of their name.
    for (const uri of ledger.keys()) {
      if (!inRange(uri)) continue;
      counts.removed += 1;
      if (!options.everything || options.keepRemoved) options.names?.removed(uri);
    }
    ledger.clear();
  }
  // Writes the rows complete so far (not the awaiting ones: their workers may still be reading them).
  async function writePending(): Promise<void> {
    const rows = pending;
    pending = [];
    if (rows.length > 0) await files.write(rows);
  }
  const selected: DataLocation = {
    uri: location.uri,
    settle: (uri, size, token) => {
      if (awaiting.delete(uri)) pending.push(row(uri, size, token));
    },
    list,
    read: (object) => location.read(object),
    stream: (object) => location.stream(object),
    concurrency: location.concurrency,
    localFiles: location.localFiles,
    get skipped() {
      return location.skipped;
    },
  };
  return { location: selected, counts, flush };
}

/** The day in a log file's name (`YYYY-MM-DD-events.json`), or undefined when it has none. */
export function dayOfLogFile(uri: string): string | undefined {
  return /(\d{4}-\d{2}-\d{2})[^/]*\.json$/.exec(uri)?.[1];
}

function withinBackfill(uri: string, backfill: Backfill): boolean {
  const day = dayOfLogFile(uri);
  return day !== undefined && day >= backfill.from && day <= backfill.to;
}
