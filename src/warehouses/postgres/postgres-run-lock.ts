/**
 * PostgreSQL's run lock: a session-level advisory lock, held by a session of its own for the whole run.
 * The server releases it when that session ends, however the process ends (kill -9 included), so a dead
 * run never blocks the next one. The key is per database (advisory locks are) and per schema
 * (`hashtext(current_schema())`), so several environments in one database run side by side.
 *
 * The holder writes who it is into `sparkify_lock`, created and written only while holding the lock (so no
 * two sessions ever race on its DDL). A second process reads the row whose backend holds the lock now, per
 * pg_locks, so a row left by a run that died is never named as the holder.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describeOwner, pollForLock, releaseOnce, type ReleaseRunLock, type RunLockOptions, type RunLockOwner } from '../run-lock.js';

/** A session to run the lock's statements on (a pg.Client, or a test's stand-in). */
export interface LockSession {
  query(sql: string, values?: readonly unknown[]): Promise<Record<string, unknown>[]>;
}

// Reads of the holder's row before giving up on naming it (about 5 s in all): a refused run waits this long
// only when the holder has not yet written its row, which on a loaded server took over a second.
const HOLDER_READS = 50;
const HOLDER_READ_MS = 100;

/** The advisory lock's two keys, as SQL: sparkify's class, and the schema the tables live in. */
const KEYS = "hashtext('sparkify run lock'), hashtext(current_schema())";

/** The statements of the lock, exported for the plan and the tests. */
export const ADVISORY_LOCK_SQL = {
  tryLock: `SELECT pg_try_advisory_lock(${KEYS}) AS locked`,
  createInfo:
    'CREATE TABLE IF NOT EXISTS sparkify_lock (backend_pid INTEGER NOT NULL, run_id TEXT NOT NULL, command TEXT NOT NULL, ' +
    'pid INTEGER NOT NULL, host TEXT NOT NULL, since TEXT NOT NULL)',
  clearInfo: 'DELETE FROM sparkify_lock',
  writeInfo: 'INSERT INTO sparkify_lock VALUES (pg_backend_pid(), $1, $2, $3, $4, $5)',
  readHolder:
    'SELECT run_id AS "runId", command, pid, host, since FROM sparkify_lock WHERE backend_pid IN ' +
    "(SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2 " +
    "AND classid = hashtext('sparkify run lock')::oid AND objid = hashtext(current_schema())::oid)",
  unlock: `SELECT pg_advisory_unlock(${KEYS})`,
} as const;

/**
 * Takes the advisory run lock on `session` (which must stay open for as long as the lock is held) and
 * records `owner`; throws `RunLockedError` naming the holder when another session has it.
 */
export async function acquireAdvisoryRunLock(
  session: LockSession,
  owner: RunLockOwner,
  options: RunLockOptions,
  description: string,
): Promise<ReleaseRunLock> {
  const attempt = async (): Promise<ReleaseRunLock | undefined> => {
    const [row] = await session.query(ADVISORY_LOCK_SQL.tryLock);
    if (row?.locked !== true) return undefined;
    try {
      await session.query(ADVISORY_LOCK_SQL.createInfo);
      await session.query(ADVISORY_LOCK_SQL.clearInfo);
      await session.query(ADVISORY_LOCK_SQL.writeInfo, [owner.runId, owner.command, owner.pid, owner.host, owner.since]);
    } catch {
      // The lock holds without its name (a user who may not create tables here): a second run then says
      // the holder did not record itself, and the run's own first CREATE reports the missing privilege.
    }
    return releaseOnce(async () => {
      await session.query(ADVISORY_LOCK_SQL.clearInfo).catch(() => undefined);
      await session.query(ADVISORY_LOCK_SQL.unlock);
    });
  };
  const holder = async () => {
    // The holder writes its row just after taking the lock: give it a moment before saying it has none.
    for (let tries = 0; tries < HOLDER_READS; tries++) {
      try {
        const [row] = await session.query(ADVISORY_LOCK_SQL.readHolder);
        if (row) return describeOwner(row as Partial<RunLockOwner>);
      } catch {
        // No sparkify_lock yet: the holder has not created it (or is not sparkify).
      }
      await sleep(HOLDER_READ_MS);
    }
    return describeOwner(undefined);
  };
  return pollForLock(attempt, holder, description, options.waitSeconds);
}
