/**
 * Opening a DuckDB file another process has open. DuckDB lets one process write or many read, never both,
 * and grants the file to whoever asks first once it is free. `sparkify dashboard` opens the file read-only
 * for each request; a client that refreshes without pause keeps it open nearly all the time, with gaps of a
 * millisecond between reads, and a run polling for the file can miss every gap and give up (seen in CI under
 * load). So writers go first: a writer that finds the file held leaves `<file>.sparkify-writer-waiting`, and
 * a reader that sees a live writer waiting does not open the file until that writer has had its turn.
 *
 * The note names its process: one left by a process that has died is ignored and removed, and so is one
 * older than a writer ever waits (its process may be another one now, under a reused pid), so a crashed
 * writer never shuts readers out. A waiting writer renews its note when it finds it gone or replaced, and
 * removes it when it stops waiting, on `process.exit` too.
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
// A writer waits at most LOCK_WAIT_MS per open, so an older note is stale: one from another host, whose
// process cannot be checked, and one from this host whose pid may have been reused since.
const NOTE_LIFETIME_MS = 2 * LOCK_WAIT_MS;

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
  let note: WaitingWriter | undefined;
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
      if (!readOnly) note = keepWriterNote(path, note);
      await sleep(delay);
    }
  } finally {
    note?.withdraw();
  }
}

interface WriterNote {
  readonly token: string;
  readonly pid: number;
  readonly host: string;
  readonly at: number;
}

interface WaitingWriter {
  readonly note: WriterNote;
  readonly withdraw: () => void;
}

// Leaves this process's note, or writes it again when it is gone or another writer's replaced it (two
// waiting writers take turns; each removes only its own).
function keepWriterNote(path: string, writer: WaitingWriter | undefined): WaitingWriter | undefined {
  const notePath = writerWaitingPath(path);
  if (writer && readNote(notePath)?.token === writer.note.token) return writer;
  const note: WriterNote = writer?.note ?? { token: randomUUID(), pid: process.pid, host: HOST, at: Date.now() };
  try {
    writeFileSync(notePath, `${JSON.stringify(note)}\n`);
  } catch {
    // A folder the writer cannot write to: it waits without priority, as before.
    return writer;
  }
  if (writer) return writer;
  const remove = () => {
    if (readNote(notePath)?.token === note.token) removeQuietly(notePath);
  };
  // A second Ctrl-C or the end of the grace period ends the process with process.exit: no finally runs.
  process.once('exit', remove);
  return {
    note,
    withdraw: () => {
      process.off('exit', remove);
      remove();
    },
  };
}

// The pid of a writer that waits for the file and is still alive, or undefined.
function liveWaitingWriter(path: string): number | undefined {
  const notePath = writerWaitingPath(path);
  const note = readNote(notePath);
  if (note === undefined || note.pid === process.pid) return undefined;
  const alive = Date.now() - note.at < NOTE_LIFETIME_MS && (note.host !== HOST || processAlive(note.pid));
  if (alive) return note.pid;
  removeQuietly(notePath);
  return undefined;
}

function readNote(notePath: string): WriterNote | undefined {
  try {
    const value = JSON.parse(readFileSync(notePath, 'utf8')) as Partial<WriterNote>;
    return typeof value.token === 'string' && typeof value.pid === 'number' && typeof value.at === 'number'
      ? (value as WriterNote)
      : undefined;
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
