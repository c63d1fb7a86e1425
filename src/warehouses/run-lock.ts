/**
 * One run at a time per warehouse: the parts every warehouse's run lock shares. Each warehouse takes the
 * lock its own way (`Warehouse.acquireRunLock`: an advisory lock on PostgreSQL, a lease row on Redshift,
 * the file lock plus a sidecar on DuckDB) and records who holds it, so a second process can say whom it
 * waits for: the run id, the process, the host and since when.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { RunLockedError } from '../errors.js';
import { HOST } from './temp-folders.js';

/** Who holds (or asks for) a run lock. Stored by the lock; never holds a secret. */
export interface RunLockOwner {
  /** A fresh id per run, as printed in messages. */
  readonly runId: string;
  /** The verb: `run`, `etl`, `create-tables`. */
  readonly command: string;
  readonly pid: number;
  readonly host: string;
  /** When the run started, ISO 8601 UTC. */
  readonly since: string;
}

/** How long to wait for a lock another run holds. */
export interface RunLockOptions {
  /** 0 (the default): fail at once with `RunLockedError`; otherwise poll for up to this many seconds. */
  readonly waitSeconds?: number;
}

/** Gives a run lock back. Safe to call twice; never throws (the lock also ends with the session or process). */
export type ReleaseRunLock = () => Promise<void>;

/** A new owner for this process, running `command`. */
export function newRunLockOwner(command: string): RunLockOwner {
  return { runId: randomUUID().slice(0, 8), command, pid: process.pid, host: HOST, since: new Date().toISOString() };
}

/** `run 1a2b3c4d (sparkify run, pid 4242 on host etl-1, since 2026-12-01T20:00:00.000Z)`. */
export function describeOwner(owner: Partial<RunLockOwner> | undefined): string {
  if (!owner?.runId) return 'another sparkify process (it has not recorded who it is)';
  return `run ${owner.runId} (sparkify ${owner.command ?? 'run'}, pid ${owner.pid ?? '?'} on host ${owner.host ?? '?'}, since ${owner.since ?? '?'})`;
}

/** The one line a second run prints. */
export function lockedError(warehouse: string, holder: string, waitSeconds: number, cause?: unknown): RunLockedError {
  const waited = waitSeconds > 0 ? ` after waiting ${waitSeconds} s` : '';
  // Only the writing commands wait; `check` and the readers meet a held DuckDB file too, and have no --wait.
  const wait = waitSeconds > 0 ? 'a longer --wait' : '--wait <seconds> (run, etl, create-tables)';
  return new RunLockedError(
    `${warehouse} is in use by ${holder}${waited}: one run at a time per warehouse; try again when it ends, or pass ${wait}`,
    { warehouse, holder, cause },
  );
}

// How often a waiting run tries again.
const POLL_MS = 250;

/**
 * Calls `attempt` until it takes the lock (returns a release function) or `waitSeconds` have passed; then
 * throws the `lockedError` naming the holder `holder()` reads.
 */
export async function pollForLock(
  attempt: () => Promise<ReleaseRunLock | undefined>,
  holder: () => Promise<string>,
  warehouse: string,
  waitSeconds = 0,
): Promise<ReleaseRunLock> {
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    const release = await attempt();
    if (release) return release;
    if (Date.now() >= deadline) throw lockedError(warehouse, await holder(), waitSeconds);
    await sleep(Math.min(POLL_MS, Math.max(deadline - Date.now(), 1)));
  }
}

/** A release function that runs `release` once and swallows its failure. */
export function releaseOnce(release: () => Promise<unknown>): ReleaseRunLock {
  let done: Promise<void> | undefined;
  return () => {
    done ??= release().then(
      () => undefined,
      () => undefined,
    );
    return done;
  };
}
