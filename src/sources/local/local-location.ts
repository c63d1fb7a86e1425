/**
 * A dataset in a local folder, walked recursively in name order. A file's size and change token are read
 * when first asked for, or, when the caller will compare every token with the ledger, while listing, on
 * listing workers (`folder-listing-pool.ts`).
 */
import { createReadStream, type Dirent, readdirSync, realpathSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { SourceError } from '../../errors.js';
import type { DataLocation, ListOptions, SourceObject } from '../source.js';
import { byteOrder, entryKind, type FolderListing } from './folder-listing.js';
import { listOnThisThread, openFolderListingPool } from './folder-listing-pool.js';

/** A folder of JSON files (song_data or log_data in the bucket's layout). */
export class LocalLocation implements DataLocation {
  readonly uri: string;
  readonly localFiles = true;
  private readonly skippedFiles: string[] = [];

  constructor(folder: string) {
    this.uri = resolve(folder);
  }

  get skipped(): readonly string[] {
    return this.skippedFiles;
  }

  async *list(options: ListOptions = {}): AsyncGenerator<SourceObject> {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(this.uri);
    } catch {
      throw new SourceError(`Source folder ${this.uri} does not exist`);
    }
    if (!info.isDirectory()) throw new SourceError(`Source ${this.uri} is not a folder`);
    this.skippedFiles.length = 0;
    // Links to files and folders of the location itself are passed over: the listing reaches them anyway.
    const root = realpathSync(this.uri);
    if (options.changeTokens) {
      yield* this.listWithStats(root);
      return;
    }
    for (const step of this.walk(this.uri, root)) {
      if (step.kind === 'file') yield* this.take(step.path, step.entry, step.regular);
      else yield* this.listed(listOnThisThread(step.path, false, root));
    }
  }

  read(object: SourceObject): Promise<Buffer> {
    return readFile(object.uri).catch((error: NodeJS.ErrnoException) => {
      throw new SourceError(`Cannot read ${object.uri}: ${error.code ?? error.message}`, { cause: error });
    });
  }

  stream(object: SourceObject): Readable {
    return createReadStream(object.uri);
  }

  // Synchronous calls: measured on 27,498 song files in 4,362 folders, the asynchronous walk (a thread-pool
  // round trip per folder and per file) took 1.6 s, a synchronous one per folder 0.17 s. From the third level
  // down (song_data/A/B, log_data/2018/11) each folder is listed whole by one recursive call and sorted: 0.085
  // s, and what is held at once stays one such folder's files (under 1/600 of the real song prefix). The walk
  // yields, in order, the files above that level and the folders to list whole.
  private *walk(folder: string, root: string, depth = 0, linkedFolders = new Set<string>()): Generator<WalkStep> {
    if (depth >= WHOLE_LISTING_DEPTH) {
      yield { kind: 'folder', path: folder };
      return;
    }
    const entries = readdirSync(folder, { withFileTypes: true });
    entries.sort((a, b) => byteOrder(a.name, b.name));
    for (const entry of entries) {
      const path = join(folder, entry.name);
      const kind = entryKind(path, entry, linkedFolders, root);
      if (kind === 'folder') yield* this.walk(path, root, depth + 1, linkedFolders);
      else yield { kind: 'file', path, entry, regular: kind === 'file' };
    }
  }

  /**
   * The walk with every file's stats, the folders listed on worker threads a few ahead of the one being
   * yielded (`folder-listing-pool.ts`); a dataset of few folders (log_data: one a month) is listed here.
   */
  private async *listWithStats(root: string): AsyncGenerator<SourceObject> {
    const steps = [...this.walk(this.uri, root)];
    const folders = steps.filter((step) => step.kind === 'folder').length;
    const pool = openFolderListingPool(folders >= POOL_MIN_FOLDERS ? LISTING_WORKERS : 0);
    const listings = new Map<number, Promise<FolderListing>>();
    let started = 0;
    const startUpTo = (last: number) => {
      for (; started <= last && started < steps.length; started += 1) {
        const step = steps[started]!;
        if (step.kind !== 'folder') continue;
        const listing = pool.list(step.path, root);
        listing.catch(() => {}); // awaited in its turn; a listing dropped when the caller stops early must not go unhandled
        listings.set(started, listing);
      }
    };
    try {
      for (const [index, step] of steps.entries()) {
        if (step.kind === 'file') {
          yield* this.take(step.path, step.entry, step.regular);
          continue;
        }
        startUpTo(index + LISTING_WORKERS * FOLDERS_AHEAD_PER_WORKER);
        const listing = await listings.get(index)!;
        listings.delete(index);
        yield* this.listed(listing);
      }
    } finally {
      await pool.close();
    }
  }

  /** A folder's listing as source objects, its passed-over files remembered. */
  private *listed(listing: FolderListing): Generator<SourceObject> {
    // One by one: a folder of more passed-over files than a call takes arguments would overflow the stack.
    for (const path of listing.skipped) this.skippedFiles.push(path);
    const { files, sizes, mtimes } = listing;
    for (const [index, path] of files.entries()) {
      const size = sizes?.[index] ?? Number.NaN;
      const mtimeMs = mtimes?.[index] ?? Number.NaN;
      yield Number.isNaN(size) ? listedFile(path) : { uri: path, size, changeToken: localChangeToken(size, mtimeMs) };
    }
  }

  /** A JSON file is listed; a hidden file is passed over; anything else is remembered as skipped. */
  private *take(path: string, entry: Dirent, regular: boolean): Generator<SourceObject> {
    if (regular && entry.name.endsWith('.json')) yield listedFile(path);
    else if (!entry.name.startsWith('.')) this.skippedFiles.push(path);
  }
}

/** One step of the walk: a file above the whole-listing depth, or a folder to list whole. */
type WalkStep =
  // `regular`: a file, or a link to one (not a folder, a device or a link to nothing).
  | { readonly kind: 'file'; readonly path: string; readonly entry: Dirent; readonly regular: boolean }
  | { readonly kind: 'folder'; readonly path: string };

// The depth from which a folder is listed whole (song_data/A/B/..., log_data/YYYY/MM/...).
const WHOLE_LISTING_DEPTH = 2;
// Listing workers for a walk with stats, and when they are worth their start (about 30 ms each).
const LISTING_WORKERS = Math.min(availableParallelism(), 4);
const POOL_MIN_FOLDERS = 8;
// Steps of the walk (folders, but for the few files above the third level) listed ahead of the one being
// yielded, per worker: enough to keep each busy through the main thread's pauses (on L's 676 folders, 16
// listed the whole prefix in 2.0 s where 4 took 2.1-2.2 s), few enough that what is held at once stays a few
// dozen folders' files.
const FOLDERS_AHEAD_PER_WORKER = 16;

/**
 * A listed file whose size and change token are read when first asked for. Staging song files never asks
 * for the size (their tasks are counted in files): measured on 366,738 song files, the walk took 1.9 s
 * instead of 3.5 s without a stat per file, on the thread that feeds the staging workers. The ledger asks
 * for the change token only when it has to compare. The getters are own, enumerable properties, so copies
 * (spread, JSON, structuredClone) still carry both.
 */
function listedFile(uri: string): SourceObject {
  let info: { size: number; mtimeMs: number } | undefined;
  const stats = () => {
    info ??= fileStats(uri);
    return info;
  };
  return {
    uri,
    get size() {
      return stats().size;
    },
    get changeToken() {
      const { size, mtimeMs } = stats();
      return localChangeToken(size, mtimeMs);
    },
  };
}

/** A local file's change token for the ledger: its size and modification time in whole milliseconds. */
export function localChangeToken(size: number, mtimeMs: number): string {
  return `${size}:${Math.trunc(mtimeMs)}`;
}

function fileStats(path: string): { size: number; mtimeMs: number } {
  try {
    const { size, mtimeMs } = statSync(path);
    return { size, mtimeMs };
  } catch (error) {
    throw new SourceError(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
}
