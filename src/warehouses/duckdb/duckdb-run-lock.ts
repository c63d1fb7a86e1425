/**
 * DuckDB's run lock. Between processes DuckDB locks the database file itself: one process may open it
 * read-write, and then no other can open it at all, not even read-only (duckdb.org/docs/stable/connect/
 * concurrency). That lock is the real one; what it lacks is a name, as DuckDB's error only gives the PID.
 * So the holder writes `<file>.sparkify-lock` next to the database: its run id, process, host and start,
 * read by a second process to say whom it waits for.
 *
 * Inside one process DuckDB does not refuse a second instance of the file (and two of them can lose
 * writes, duckdb/duckdb#17343), so there the sidecar is the lock: created exclusively, it is held by
 * whichever run of this process created it. A sidecar of another process is stale whenever this process
 * could open the file read-write (its owner has died), and is replaced.
 */
import { readFileSync } from 'node:fs';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { RunLockedError } from '../../errors.js';
import { HOST } from '../temp-folders.js';
import {
  describeOwner,
  lockedError,
  pollForLock,
  releaseOnce,
  type ReleaseRunLock,
  type RunLockOptions,
  type RunLockOwner,
} from '../run-lock.js';

/** The sidecar file that names the holder of `databasePath`. */
export function lockInfoPath(databasePath: string): string {
  return `${databasePath}.sparkify-lock`;
}

/**
 * Takes the run lock of the database at `databasePath`, which this process has open read-write. Throws
 * `RunLockedError` when another run of this same process holds it (after `waitSeconds`, if given).
 */
export async function acquireDuckDbRunLock(
  databasePath: string,
  owner: RunLockOwner,
  options: RunLockOptions,
  description: string,
): Promise<ReleaseRunLock> {
  if (databasePath === ':memory:') return async () => undefined;
  const path = lockInfoPath(databasePath);
  const attempt = async (): Promise<ReleaseRunLock | undefined> => {
    try {
      await writeFile(path, `${JSON.stringify(owner)}\n`, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await readHolder(path);
      if (holder?.pid === process.pid && holder.host === owner.host) return undefined;
      // Left by a process that no longer holds the file (else this one could not have opened it).
      await unlink(path).catch(() => undefined);
      return attempt();
    }
    return releaseOnce(async () => {
      if ((await readHolder(path))?.runId === owner.runId) await unlink(path);
    });
  };
  return pollForLock(attempt, async () => describeOwner(await readHolder(path)), description, options.waitSeconds);
}

/** What the refusal of a reader that stepped aside for a waiting writer says (`duckdb-open-waiting.ts`). */
export const WRITER_WAITS_TEXT = 'a writer waits for it';

/** The error DuckDB raises when another process holds the file. */
export function isDuckDbFileLocked(error: unknown): boolean {
  return /Could not set lock on file/i.test(error instanceof Error ? error.message : String(error));
}

/** True when the process DuckDB names as holding the file is a sparkify run that recorded itself. */
export function lockHeldByRun(error: unknown, databasePath: string): boolean {
  const pid = Number(/\(PID (\d+)\)/.exec(error instanceof Error ? error.message : String(error))?.[1]);
  const holder = readHolderSync(lockInfoPath(databasePath));
  return holder !== undefined && holder.pid === pid && holder.host === HOST;
}

/**
 * The one-line error for a DuckDB open that failed on the file lock, or undefined for any other failure.
 * It names the holder from the sidecar when that is the process DuckDB names.
 */
export function duckDbLockConflict(error: unknown, databasePath: string, readOnly: boolean): RunLockedError | undefined {
  if (!isDuckDbFileLocked(error)) return undefined;
  const message = error instanceof Error ? error.message : String(error);
  const pid = Number(/\(PID (\d+)\)/.exec(message)?.[1]);
  const holder = readHolderSync(lockInfoPath(databasePath));
  const warehouse = `duckdb:${databasePath}`;
  if (message.includes(WRITER_WAITS_TEXT)) {
    const who = `a sparkify process (pid ${pid}) waiting to write it`;
    return new RunLockedError(`cannot read ${warehouse} now: ${who}, and readers let writers go first: query it when that run ends`, {
      cause: error,
      warehouse,
      holder: who,
    });
  }
  const who =
    holder && (Number.isNaN(pid) || holder.pid === pid)
      ? describeOwner(holder)
      : `another process${Number.isNaN(pid) ? '' : ` (pid ${pid}, not a sparkify run that recorded itself)`}`;
  if (!readOnly) return lockedError(warehouse, who, 0, error);
  return new RunLockedError(
    `cannot read ${warehouse} while ${who} writes it (DuckDB lets no other process open a file being written): query it when that run ends`,
    { cause: error, warehouse, holder: who },
  );
}

async function readHolder(path: string): Promise<RunLockOwner | undefined> {
  try {
    return parseHolder(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

function readHolderSync(path: string): RunLockOwner | undefined {
  try {
    return parseHolder(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

function parseHolder(text: string): RunLockOwner | undefined {
  const value = JSON.parse(text) as Partial<RunLockOwner>;
  return typeof value.runId === 'string' && typeof value.pid === 'number' ? (value as RunLockOwner) : undefined;
}
