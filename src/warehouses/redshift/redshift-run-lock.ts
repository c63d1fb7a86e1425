/**
 * Redshift's run lock: a lease row with an owner and a heartbeat, in `sparkify_lock`.
 *
 * Why not PostgreSQL's way: Redshift has no advisory locks. Why not `LOCK` on a sparkify table inside the
 * run's transactions: a Redshift lock lasts until its transaction ends, and a run is many transactions
 * (DDL, two COPYs that commit on their own, the publish), so a LOCK would protect each of them but leave
 * the gaps open: a second run could recreate staging between the first run's COPY and its publish. Holding
 * one transaction across the whole run is not possible either (TRUNCATE and some DDL commit by themselves).
 *
 * So the lock is a row: `LOCK sparkify_lock` (inside a short transaction) serializes the take-over itself,
 * and the row says who holds the lease and when it last proved it is alive. The holder refreshes
 * `heartbeat` every HEARTBEAT_SECONDS on a session of its own (so a COPY of an hour does not stop it); a
 * row whose heartbeat is older than LEASE_SECONDS belongs to a run that died (kill -9, a lost network) and
 * is taken over. Times are the cluster's own (GETDATE()), so clocks of the machines running sparkify do
 * not matter.
 */
import { describeOwner, pollForLock, releaseOnce, type ReleaseRunLock, type RunLockOptions, type RunLockOwner } from '../run-lock.js';
import type { LockSession } from '../postgres/postgres-run-lock.js';

/** A lease not renewed for this long is taken to belong to a dead run. */
export const LEASE_SECONDS = 120;
/** How often the holder renews its lease. */
export const HEARTBEAT_SECONDS = 20;

/** The statements of the lease, exported for the tests (which run them on PostgreSQL). */
export const LEASE_LOCK_SQL = {
  create:
    'CREATE TABLE IF NOT EXISTS sparkify_lock (run_id VARCHAR(64) NOT NULL, command VARCHAR(32) NOT NULL, pid INTEGER NOT NULL, ' +
    'host VARCHAR(256) NOT NULL, since VARCHAR(32) NOT NULL, heartbeat TIMESTAMP NOT NULL)',
  begin: 'BEGIN',
  lock: 'LOCK sparkify_lock',
  read: `SELECT run_id AS "runId", command, pid, host, since, heartbeat > GETDATE() - INTERVAL '${LEASE_SECONDS} seconds' AS fresh FROM sparkify_lock`,
  clear: 'DELETE FROM sparkify_lock',
  take: 'INSERT INTO sparkify_lock VALUES ($1, $2, $3, $4, $5, GETDATE())',
  commit: 'COMMIT',
  rollback: 'ROLLBACK',
  heartbeat: 'UPDATE sparkify_lock SET heartbeat = GETDATE() WHERE run_id = $1',
  release: 'DELETE FROM sparkify_lock WHERE run_id = $1',
} as const;

/**
 * Takes the lease for `owner` on `session`, which stays open for the heartbeat until the release; throws
 * `RunLockedError` naming the holder when a live run has it.
 */
export async function acquireLeaseRunLock(
  session: LockSession,
  owner: RunLockOwner,
  options: RunLockOptions,
  description: string,
  heartbeatSeconds = HEARTBEAT_SECONDS,
): Promise<ReleaseRunLock> {
  let holder: Partial<RunLockOwner> | undefined;
  const attempt = async (): Promise<ReleaseRunLock | undefined> => {
    await createTable(session);
    await session.query(LEASE_LOCK_SQL.begin);
    try {
      await session.query(LEASE_LOCK_SQL.lock);
      const rows = await session.query(LEASE_LOCK_SQL.read);
      const live = rows.find((row) => row.fresh === true && row.runId !== owner.runId);
      if (live) {
        holder = live as Partial<RunLockOwner>;
        await session.query(LEASE_LOCK_SQL.rollback);
        return undefined;
      }
      await session.query(LEASE_LOCK_SQL.clear);
      await session.query(LEASE_LOCK_SQL.take, [owner.runId, owner.command, owner.pid, owner.host, owner.since]);
      await session.query(LEASE_LOCK_SQL.commit);
    } catch (error) {
      await session.query(LEASE_LOCK_SQL.rollback).catch(() => undefined);
      throw error;
    }
    const timer = setInterval(() => {
      session.query(LEASE_LOCK_SQL.heartbeat, [owner.runId]).catch(() => undefined);
    }, heartbeatSeconds * 1000);
    // The heartbeat alone must not keep the process alive.
    timer.unref();
    return releaseOnce(async () => {
      clearInterval(timer);
      await session.query(LEASE_LOCK_SQL.release, [owner.runId]);
    });
  };
  return pollForLock(attempt, async () => describeOwner(holder), description, options.waitSeconds);
}

// Two first runs may create the table at once; the loser's CREATE fails on the catalog and it looks again.
async function createTable(session: LockSession): Promise<void> {
  try {
    await session.query(LEASE_LOCK_SQL.create);
  } catch (error) {
    await session.query(LEASE_LOCK_SQL.create).catch(() => {
      throw error;
    });
  }
}
