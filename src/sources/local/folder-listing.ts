/**
 * One folder of a local dataset listed whole: every file below it, in byte order of its path (an S3
 * listing's key order), split into the JSON files a run reads and the files it passes over. Shared by the
 * walk on the main thread and the listing workers (`folder-listing-worker.ts`), so both apply one rule.
 */
import { type Dirent, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** The files below one folder; `sizes` and `mtimes` only when stats were asked for. */
export interface FolderListing {
  /** Paths of the JSON files, in byte order. */
  readonly files: string[];
  /** Each file's size, index for index with `files`; NaN when its stat failed (it is statted again when asked). */
  readonly sizes?: Float64Array;
  /** Each file's modification time in milliseconds, index for index with `files`. */
  readonly mtimes?: Float64Array;
  /** Paths of the files passed over because they are not JSON (hidden files are left out). */
  readonly skipped: string[];
}

/**
 * Lists `folder` whole, every folder below it included, and stats each JSON file when `withStats` is set.
 * A walk of its own rather than `readdirSync(..., { recursive: true })`: measured on M's 27,498 song files
 * in 256 folders, listing and statting took 245 ms against 300 ms, as Node's recursive listing joins and
 * normalises every path; the paths here are built from the already normal folder path.
 */
export function listFolderWhole(folder: string, withStats: boolean): FolderListing {
  const paths: string[] = [];
  const skipped: string[] = [];
  const folders = [folder.length > 1 && folder.endsWith('/') ? folder.slice(0, -1) : folder];
  const linkedFolders = new Set<string>();
  for (let next = folders.pop(); next !== undefined; next = folders.pop()) {
    for (const entry of readdirSync(next, { withFileTypes: true })) {
      const path = `${next}/${entry.name}`;
      const kind = entryKind(path, entry, linkedFolders);
      if (kind === 'folder') folders.push(path);
      else if (kind === 'file' && entry.name.endsWith('.json')) paths.push(path);
      else if (!entry.name.startsWith('.')) skipped.push(path);
    }
  }
  paths.sort(byteOrder);
  skipped.sort(byteOrder);
  if (!withStats) return { files: paths, skipped };
  const sizes = new Float64Array(paths.length);
  const mtimes = new Float64Array(paths.length);
  for (const [index, path] of paths.entries()) {
    const info = statOrUndefined(path);
    sizes[index] = info ? info.size : Number.NaN;
    mtimes[index] = info ? info.mtimeMs : Number.NaN;
  }
  return { files: paths, sizes, mtimes, skipped };
}

// A file that cannot be statted is listed without stats; asking for its token then fails with the reason.
function statOrUndefined(path: string): { size: number; mtimeMs: number } | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/**
 * Why listing a folder failed, for `Cannot list <folder>: ...`: the system's code, and the path it failed
 * on when that is a folder below (the listing is recursive).
 */
export function listingFailure(folder: string, error: unknown): string {
  const { code, path, message } = error as NodeJS.ErrnoException;
  const reason = code ?? message;
  return path && path !== folder ? `${reason} at ${path}` : reason;
}

/** A regular file whose name ends in `.json`: what a run reads. */
export function isListedFile(entry: { isFile(): boolean; name: string }): boolean {
  return entry.isFile() && entry.name.endsWith('.json');
}

/**
 * What the entry at `path` is, a symbolic link taken for what it points to (a file delivered as a link into
 * the day's folder, a folder of logs linked from an archive), as `aws s3 sync` and DuckDB's globs take them.
 * A link to nothing, to a folder that holds the link, or to a folder already reached through a link of this
 * listing (loops), is `other`: passed over.
 */
export function entryKind(path: string, entry: Dirent, linkedFolders: Set<string>): 'file' | 'folder' | 'other' {
  if (!entry.isSymbolicLink()) return entry.isDirectory() ? 'folder' : entry.isFile() ? 'file' : 'other';
  const target = statSync(path, { throwIfNoEntry: false });
  if (target?.isFile()) return 'file';
  if (!target?.isDirectory()) return 'other';
  // A link to a folder that holds it would list the same files again under longer and longer names.
  const real = realpathSync(path);
  const holder = realpathSync(dirname(path));
  if (linkedFolders.has(real) || holder === real || holder.startsWith(`${real}/`)) return 'other';
  linkedFolders.add(real);
  return 'folder';
}

/** Orders paths as S3 orders keys (by code unit, which is byte order for the ASCII names of the bucket). */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
