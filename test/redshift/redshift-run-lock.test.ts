/**
 * Redshift's run lock (a lease row with a heartbeat, see redshift-run-lock.ts), its SQL run for real on the
 * test PostgreSQL server, with a stand-in GETDATE() (Redshift's clock function, which PostgreSQL lacks):
 * one holder at a time even when sessions race, the holder named to the others, a lease not renewed
 * taken over, and the Redshift warehouse class itself taking and releasing it.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RunLockedError } from '../../src/errors.js';
import type { LockSession } from '../../src/warehouses/postgres/postgres-run-lock.js';
import { acquireLeaseRunLock, LEASE_SECONDS } from '../../src/warehouses/redshift/redshift-run-lock.js';
import { openWarehouse } from '../../src/warehouses/open-warehouse.js';
import { newRunLockOwner } from '../../src/warehouses/run-lock.js';
import { parseWarehouseTarget } from '../../src/warehouses/warehouse-target.js';
import { testPostgresUrl, uniqueTestSchema, withSchema } from '../support/test-warehouses.js';

const POSTGRES = testPostgresUrl();
const title = (text: string) => (POSTGRES ? text : `${text} (SKIPPED: SPARKIFY_TEST_WAREHOUSES leaves postgres out)`);

describe.skipIf(!POSTGRES)(title("Redshift's lease lock, run on PostgreSQL"), () => {
  const schema = uniqueTestSchema();
  const clients: pg.Client[] = [];
  const session = async (): Promise<LockSession & { client: pg.Client }> => {
    const client = new pg.Client({ connectionString: POSTGRES });
    await client.connect();
    clients.push(client);
    await client.query(`SET search_path TO ${schema}`);
    return { client, query: async (sql, values) => (await client.query({ text: sql, values: values as unknown[] | undefined })).rows };
  };

  beforeAll(async () => {
    const admin = await session();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.query(`CREATE FUNCTION ${schema}.getdate() RETURNS timestamp AS 'SELECT localtimestamp' LANGUAGE sql`);
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
  });

  it('gives the lease to exactly one of several racing sessions, and names it to the others', async () => {
    const owners = [1, 2, 3, 4].map(() => newRunLockOwner('run'));
    const sessions = await Promise.all(owners.map(() => session()));
    const outcomes = await Promise.allSettled(owners.map((owner, i) => acquireLeaseRunLock(sessions[i]!, owner, {}, 'redshift://test')));
    const won = outcomes.flatMap((outcome, i) => (outcome.status === 'fulfilled' ? [{ i, release: outcome.value }] : []));
    expect(won).toHaveLength(1);
    const winner = owners[won[0]!.i]!;
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        expect(outcome.reason).toBeInstanceOf(RunLockedError);
        expect((outcome.reason as Error).message).toContain(`run ${winner.runId} (sparkify run, pid ${winner.pid}`);
      }
    }
    await won[0]!.release();
    // Released: the next one takes it.
    const next = await acquireLeaseRunLock(sessions[0]!, owners[0]!, {}, 'redshift://test');
    await next();
  });

  it('waits with --wait for a lease released meanwhile', async () => {
    const [a, b] = [await session(), await session()];
    const release = await acquireLeaseRunLock(a, newRunLockOwner('run'), {}, 'redshift://test');
    setTimeout(() => void release(), 600);
    const started = Date.now();
    const second = await acquireLeaseRunLock(b, newRunLockOwner('run'), { waitSeconds: 20 }, 'redshift://test');
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    await second();
  });

  it('takes over a lease whose heartbeat stopped (a run killed with kill -9)', async () => {
    const [a, b] = [await session(), await session()];
    const dead = newRunLockOwner('run');
    await acquireLeaseRunLock(a, dead, {}, 'redshift://test');
    await expect(acquireLeaseRunLock(b, newRunLockOwner('run'), {}, 'redshift://test')).rejects.toBeInstanceOf(RunLockedError);
    // The dead run's heartbeat is older than the lease.
    await a.query(`UPDATE sparkify_lock SET heartbeat = getdate() - INTERVAL '${LEASE_SECONDS + 5} seconds'`);
    const release = await acquireLeaseRunLock(b, newRunLockOwner('run'), {}, 'redshift://test');
    await release();
    expect(await b.query('SELECT count(*)::int AS n FROM sparkify_lock')).toEqual([{ n: 0 }]);
  });

  it('keeps a live lease alive with its heartbeat', async () => {
    const [a, b] = [await session(), await session()];
    const release = await acquireLeaseRunLock(a, newRunLockOwner('run'), {}, 'redshift://test', 0.2);
    await a.query(`UPDATE sparkify_lock SET heartbeat = getdate() - INTERVAL '${LEASE_SECONDS + 5} seconds'`);
    // The heartbeat (every 0.2 s here) renews the lease; on a loaded server its UPDATE may take a while.
    await vi.waitFor(
      async () => {
        const [row] = await b.query(`SELECT (heartbeat > getdate() - INTERVAL '${LEASE_SECONDS} seconds') AS fresh FROM sparkify_lock`);
        expect(row?.fresh).toBe(true);
      },
      { timeout: 20_000, interval: 100 },
    );
    await expect(acquireLeaseRunLock(b, newRunLockOwner('run'), {}, 'redshift://test')).rejects.toBeInstanceOf(RunLockedError);
    await release();
  });

  it('is the lock the Redshift warehouse takes', async () => {
    const url = new URL(withSchema(POSTGRES!, schema));
    url.protocol = 'redshift:';
    url.searchParams.set('sslmode', 'disable');
    const target = parseWarehouseTarget(url.toString(), 'test');
    const first = await openWarehouse(target);
    const second = await openWarehouse(target);
    try {
      const owner = newRunLockOwner('create-tables');
      const release = await first.acquireRunLock(owner);
      await expect(second.acquireRunLock(newRunLockOwner('run'))).rejects.toThrow(`run ${owner.runId} (sparkify create-tables`);
      await release();
      const again = await second.acquireRunLock(newRunLockOwner('run'));
      await again();
    } finally {
      await first.close();
      await second.close();
    }
  });
});
