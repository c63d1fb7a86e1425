/**
 * Opening a DuckDB file another process has open. DuckDB lets one process write or many read, never both,
 * and grants the file to whoever asks first once it is free. `sparkify dashboard` opens the file read-only
 * for each request; a client that refreshes without pause keeps it open nearly all the time, with gaps of a
 * millisecond between reads, and a run polling for the file can miss every gap and give up (seen in CI under
 * load). So writers go first: a writer that finds the file held leaves `<file>.sparkify-writer-waiting`, and
 * a reader that sees a live writer waiting does not open the file until that writer has had its turn.
 *
 * The note names its process: one left by a process that has died is ignored and removed, so a crashed
 * writer never shuts readers out.
 *
 * Only brief holders are waited for. A file held by a sparkify run (its sidecar `<file>.sparkify-lock`
 * names the process DuckDB names) stays held until the run ends, so the open fails at once with the line
 * naming that run; `--wait` retries it.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { DuckDBInstance } from './duckdb-node-api.js';
import { HOST } from '../temp-folders.js';
import { isDuckDbFileLocked, lockHeldByRun, WRITER_WAITS_TEXT } from './duckdb-run-lock.js';

// How long an open waits for another process's lock on the file when that process is not a run: a dashboard
// read holds the file for milliseconds to a few seconds, so a run that starts meanwhile waits for it
// instead of failing.
const LOCK_WAIT_MS = 15_000;
// A note from another host cannot be checked by its process; it counts for this long after it was written.
const FOREIGN_NOTE_MS = 2 * LOCK_WAIT_MS;

/** The note a waiting writer leaves next to `databasePath`. */
export function writerWaitingPath(databasePath: string): string {
  return `${databasePath}.sparkify-writer-waiting`;
}

/**
 * Opens the DuckDB file at `path`, retrying for up to 15 s while a process other than a run holds it;
 * writers announce themselves while they wait, and readers step aside for them. Throws DuckDB's own lock
 * error at once when a run holds the file, or when the time runs out (a reader that stepped aside throws
 * one naming the waiting writer's process).
 */
export async function openWaitingForLock(path: string, settings: Record<string, string>, readOnly: boolean): Promise<DuckDBInstance> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  let withdraw: (() => void) | undefined;
  try {
    for (let delay = 25; ; delay = Math.min(delay * 2, 500)) {
      let refusal: unknown;
      const writer = readOnly ? liveWaitingWriter(path) : undefined;
      if (writer === undefined) {
        try {
          return await DuckDBInstance.create(path, settings);
        } catch (error) {
          // A run holds the file until it ends: waiting here would only delay its one-line refusal (--wait,
          // which retries the open, is how to wait for a run).
          if (!isDuckDbFileLocked(error) || lockHeldByRun(error, path)) throw error;
          refusal = error;
        }
      } else {
        refusal = new Error(`Could not set lock on file "${path}": ${WRITER_WAITS_TEXT} (PID ${writer})`);
      }
      if (Date.now() + delay > deadline) throw refusal;
      if (!readOnly) withdraw ??= announceWriter(path);
      await sleep(delay);
    }
  } finally {
    withdraw?.();
  }
}

interface WriterNote {
  readonly token: string;
  readonly pid: number;
  readonly host: string;
  readonly at: number;
}

// Leaves this process's note (the latest writer's note wins; each removes only its own).
function announceWriter(path: string): () => void {
  const note: WriterNote = { token: randomUUID(), pid: process.pid, host: HOST, at: Date.now() };
  const notePath = writerWaitingPath(path);
  try {
    writeFileSync(notePath, `${JSON.stringify(note)}\n`);
  } catch {
    // A folder the writer cannot write to: it waits without priority, as before.
    return () => undefined;
  }
  return () => {
    if (readNote(notePath)?.token === note.token) removeQuietly(notePath);
  };
}

// The pid of a writer that waits for the file and is still alive, or undefined.
function liveWaitingWriter(path: string): number | undefined {
  const notePath = writerWaitingPath(path);
  const note = readNote(notePath);
  if (note === undefined || note.pid === process.pid) return undefined;
  const alive = note.host === HOST ? processAlive(note.pid) : Date.now() - note.at < FOREIGN_NOTE_MS;
  if (alive) return note.pid;
  removeQuietly(notePath);
  return undefined;
}

function readNote(notePath: string): WriterNote | undefined {
  try {
    const value = JSON.parse(readFileSync(notePath, 'utf8')) as Partial<WriterNote>;
    return typeof value.token === 'string' && typeof value.pid === 'number' ? (value as WriterNote) : undefined;
  } catch {
    return undefined;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone, or removed by its writer meanwhile.
  }
}
