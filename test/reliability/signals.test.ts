/**
 * Crash and signal safety (issue 14, item 2), with real signals sent to a real `sparkify run` child process
 * at several points of a run on a generated dataset:
 * - SIGINT and SIGTERM stop the workers, abort the writers, remove the temporary files, say in one line
 *   whether anything was published, and exit 130 and 143; the star tables stay as the previous run left
 *   them (or, past the publish's commit, hold this run's data);
 * - after kill -9 (which nothing can catch) the next run sweeps the dead run's temporary folder, and gives
 *   the same tables as an uninterrupted run. (Issue 14: a run killed six seconds in left 424 MB of Parquet
 *   segments in the temporary folder, which nothing ever removed.)
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/pipeline/run.js';
import { snapshotStar } from '../support/star-snapshot.js';
import { tempFolder, testPostgresUrl, testWarehouses } from '../support/test-warehouses.js';
import { generateDataset, sparkifyAsync, startSparkify, waitUntil, type RunningChild } from './child-process.js';

const TINY = new URL('../fixtures/tiny', import.meta.url).pathname;
const NOTHING_PUBLISHED =
  /^sparkify: Interrupted by (SIGINT|SIGTERM): nothing was published, the star tables are as the previous run left them$/;
const PUBLISHED = /^sparkify: Interrupted by (SIGINT|SIGTERM) after the star tables were published: they hold this run's data$/;

let source: string;
let reference: Record<string, Record<string, unknown>[]>;
let tinyStar: Record<string, Record<string, unknown>[]>;
beforeAll(async () => {
  // A run of several seconds on two shared cores: long enough to be caught listing, staging or publishing.
  source = generateDataset(tempFolder(), 'data', ['--songs', '3000', '--events', '120000', '--days', '3', '--seed', '7']);
  // The uninterrupted history the interrupted ones are held to: the tiny fixture published (as by
  // publishedWarehouse), then an incremental run on the generated source (the tiny files stay loaded).
  const warehouse = `duckdb:${join(tempFolder(), 'reference.duckdb')}`;
  await run({ options: { source: TINY, warehouse }, env: {}, cwd: TINY });
  await run({ options: { source, warehouse }, env: {}, cwd: source });
  reference = await snapshotStar(warehouse);
  const tiny = `duckdb:${join(tempFolder(), 'tiny.duckdb')}`;
  await run({ options: { source: TINY, warehouse: tiny }, env: {}, cwd: TINY });
  tinyStar = await snapshotStar(tiny);
}, 300_000);

/** Temporary load folders under `tmp` (the child's TMPDIR). */
const loadFolders = (tmp: string) => readdirSync(tmp).filter((name) => name.startsWith('sparkify-load-'));
const parquetFiles = (tmp: string) =>
  loadFolders(tmp).flatMap((folder) => readdirSync(join(tmp, folder)).filter((name) => name.endsWith('.parquet')));

/** A warehouse already holding the tiny fixture's star schema, so "left as they were" can be checked. */
async function publishedWarehouse(kind: string): Promise<string> {
  const warehouse = testWarehouses()
    .find((target) => target.name === kind)!
    .fresh();
  await run({ options: { source: TINY, warehouse }, env: {}, cwd: TINY });
  return warehouse;
}

function startRun(warehouse: string, tmp: string): RunningChild {
  return startSparkify(['run', '--warehouse', warehouse, '--source', source], tmp, { TMPDIR: tmp });
}

/** The checks after a signal: exit code, one line, no temporary files, tables as the line says. */
async function expectStoppedCleanly(child: RunningChild, signal: 'SIGINT' | 'SIGTERM', warehouse: string, tmp: string): Promise<void> {
  const result = await child.done;
  expect(result.status, result.stderr).toBe(signal === 'SIGINT' ? 130 : 143);
  const lines = result.stderr.trim().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toContain(signal);
  expect(loadFolders(tmp)).toEqual([]);
  const star = await snapshotStar(warehouse);
  if (PUBLISHED.test(lines[0]!)) expect(star).toEqual(reference);
  else {
    expect(lines[0]).toMatch(NOTHING_PUBLISHED);
    expect(star).toEqual(tinyStar);
  }
  if (warehouse.startsWith('duckdb:')) expect(existsSync(`${warehouse.slice('duckdb:'.length)}.sparkify-lock`)).toBe(false);
}

describe('signals on DuckDB', () => {
  it('SIGINT as the run starts (listing): exit 130, nothing published, no temporary files', async () => {
    const warehouse = await publishedWarehouse('duckdb');
    const tmp = tempFolder();
    const child = startRun(warehouse, tmp);
    // The lock's sidecar appears once the run holds the warehouse, before the first file is listed.
    await waitUntil(() => existsSync(`${warehouse.slice('duckdb:'.length)}.sparkify-lock`), 60_000, 'the run to start');
    child.child.kill('SIGINT');
    await expectStoppedCleanly(child, 'SIGINT', warehouse, tmp);
  }, 120_000);

  it('SIGTERM while staging: exit 143, nothing published, the Parquet segments removed', async () => {
    const warehouse = await publishedWarehouse('duckdb');
    const tmp = tempFolder();
    const child = startRun(warehouse, tmp);
    await waitUntil(() => parquetFiles(tmp).length > 0, 60_000, 'staging segments');
    child.child.kill('SIGTERM');
    await expectStoppedCleanly(child, 'SIGTERM', warehouse, tmp);
  }, 120_000);

  it('SIGINT after staging (building and publishing): exit 130, and the line says truly whether it published', async () => {
    const warehouse = await publishedWarehouse('duckdb');
    const tmp = tempFolder();
    const child = startRun(warehouse, tmp);
    let seen = false;
    // The events' load folder comes and goes: once it has gone, the run builds and publishes the star.
    await waitUntil(
      () => {
        const folders = loadFolders(tmp).length;
        if (folders > 0 && parquetFiles(tmp).some((name) => name.startsWith('events'))) seen = true;
        return seen && folders === 0;
      },
      120_000,
      'the end of staging',
    );
    child.child.kill('SIGINT');
    await expectStoppedCleanly(child, 'SIGINT', warehouse, tmp);
  }, 180_000);

  it("kill -9 while staging, then a new run: the dead run's folder is swept and the tables equal an uninterrupted run's", async () => {
    const warehouse = await publishedWarehouse('duckdb');
    const tmp = tempFolder();
    const child = startRun(warehouse, tmp);
    await waitUntil(() => parquetFiles(tmp).length > 0, 60_000, 'staging segments');
    child.child.kill('SIGKILL');
    const killed = await child.done;
    expect(killed.signal).toBe('SIGKILL');
    const left = loadFolders(tmp);
    expect(left.length).toBeGreaterThan(0);
    expect(left.every((name) => name.startsWith(`sparkify-load-${child.child.pid}-`))).toBe(true);
    // The tables are still the previous run's: nothing was committed.
    expect(await snapshotStar(warehouse)).toEqual(tinyStar);
    const again = await sparkifyAsync(['run', '--warehouse', warehouse, '--source', source], tmp, { TMPDIR: tmp });
    expect(again.status, again.stderr).toBe(0);
    expect(loadFolders(tmp)).toEqual([]);
    expect(await snapshotStar(warehouse)).toEqual(reference);
  }, 240_000);

  it('kill -9 at several moments, each followed by a new run: always the tables of an uninterrupted run', async () => {
    const warehouse = await publishedWarehouse('duckdb');
    const tmp = tempFolder();
    for (const delayMs of [1500, 6000]) {
      const child = startRun(warehouse, tmp);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      child.child.kill('SIGKILL');
      await child.done;
      const again = await sparkifyAsync(['run', '--warehouse', warehouse, '--source', source], tmp, { TMPDIR: tmp });
      expect(again.status, `after kill -9 at ${delayMs} ms: ${again.stderr}`).toBe(0);
      expect(await snapshotStar(warehouse)).toEqual(reference);
      expect(loadFolders(tmp)).toEqual([]);
    }
  }, 300_000);
});

const POSTGRES = testPostgresUrl();
describe.skipIf(!POSTGRES)(
  POSTGRES ? 'signals on PostgreSQL' : 'signals on PostgreSQL (SKIPPED: SPARKIFY_TEST_WAREHOUSES leaves postgres out)',
  () => {
    /**
     * The warehouse of one test, with a session name of its own: `copying` then sees this test's COPY only,
     * never one of another file's run on the shared server.
     */
    async function ownWarehouse(): Promise<{ warehouse: string; copying: () => Promise<boolean> }> {
      const url = new URL(await publishedWarehouse('postgres'));
      const application = `sparkify_signals_${process.pid}_${Date.now()}`;
      url.searchParams.set('application_name', application);
      const copying = async () => {
        const client = new pg.Client({ connectionString: POSTGRES });
        await client.connect();
        try {
          const { rows } = await client.query(
            "SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND state = 'active' AND query LIKE 'COPY%staging_events%'",
            [application],
          );
          return rows.length > 0;
        } finally {
          await client.end();
        }
      };
      return { warehouse: url.href, copying };
    }

    it("SIGTERM while staging: exit 143, nothing published; kill -9 then a new run gives an uninterrupted run's tables", async () => {
      const { warehouse, copying } = await ownWarehouse();
      const tmp = tempFolder();
      const child = startRun(warehouse, tmp);
      await waitUntil(copying, 120_000, 'the COPY of staging_events');
      child.child.kill('SIGTERM');
      await expectStoppedCleanly(child, 'SIGTERM', warehouse, tmp);

      const killed = startRun(warehouse, tmp);
      await waitUntil(copying, 120_000, 'the COPY of staging_events');
      killed.child.kill('SIGKILL');
      await killed.done;
      expect(await snapshotStar(warehouse)).toEqual(tinyStar);
      // The server ended the dead run's sessions, and with them its advisory lock.
      const again = await sparkifyAsync(['run', '--warehouse', warehouse, '--source', source, '--wait', '30'], tmp, { TMPDIR: tmp });
      expect(again.status, again.stderr).toBe(0);
      expect(await snapshotStar(warehouse)).toEqual(reference);
    }, 300_000);
  },
);
