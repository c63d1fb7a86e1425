/**
 * One run at a time per warehouse (issue 14, item 1). Three `sparkify run` at once against one PostgreSQL
 * schema used to fail with `duplicate key value violates unique constraint "pg_type_typname_nsp_index"` and
 * `relation "staging_songs" does not exist`. Now, on PostgreSQL and DuckDB, with real child processes:
 * - without --wait, each run either succeeds or fails at once with exit code 3 and one line naming the
 *   holder (run id, process, host, since); none fails with a database error;
 * - with --wait, all succeed one after the other;
 * - either way the final tables equal those of one run;
 * - `create-tables` takes the same lock; on DuckDB `sparkify query` says in one line who writes the file;
 * - on DuckDB a run gets the file although readers keep it open without pause (writers go first).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseWarehouseTarget } from '../../src/warehouses/warehouse-target.js';
import { openReadOnlyWarehouse, openWarehouse } from '../../src/warehouses/open-warehouse.js';
import { writerWaitingPath } from '../../src/warehouses/duckdb/duckdb-open-waiting.js';
import { newRunLockOwner } from '../../src/warehouses/run-lock.js';
import { RunLockedError } from '../../src/errors.js';
import { run } from '../../src/pipeline/run.js';
import { snapshotStar } from '../support/star-snapshot.js';
import { tempFolder, testWarehouses } from '../support/test-warehouses.js';
import { generateDataset, sparkifyAsync } from './child-process.js';

const HOLDER_LINE =
  /^sparkify: .+ is in use by run [0-9a-f]{8} \(sparkify (run|create-tables), pid \d+ on host .+, since \d{4}-\d\d-\d\dT[\d:.]+Z\)/;

let source: string;
let reference: Record<string, Record<string, unknown>[]>;
beforeAll(async () => {
  // Big enough that runs started together overlap (a second or two each), small enough for 2 shared cores.
  source = generateDataset(tempFolder(), 'data', ['--songs', '1500', '--events', '40000', '--days', '3', '--seed', '14']);
  const warehouse = `duckdb:${join(tempFolder(), 'reference.duckdb')}`;
  await run({ options: { source, warehouse }, env: {}, cwd: source });
  reference = await snapshotStar(warehouse);
}, 300_000);

for (const target of testWarehouses()) {
  describe(`one run at a time on ${target.name}`, () => {
    it("three runs at once: each succeeds or fails at once naming the holder (exit 3); the tables are one run's", async () => {
      const warehouse = target.fresh();
      const cwd = tempFolder();
      const results = await Promise.all(
        [1, 2, 3].map(() => sparkifyAsync(['run', '--warehouse', warehouse, '--source', source, '--json'], cwd)),
      );
      const statuses = results.map((result) => result.status);
      expect(
        statuses.every((status) => status === 0 || status === 3),
        JSON.stringify(results.map((r) => r.stderr)),
      ).toBe(true);
      expect(statuses).toContain(0);
      for (const result of results.filter((r) => r.status === 3)) {
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
        expect(result.stderr).toMatch(HOLDER_LINE);
      }
      expect(await snapshotStar(warehouse)).toEqual(reference);
    }, 180_000);

    it("three runs at once with --wait: all succeed, one after the other, and the tables are one run's", async () => {
      const warehouse = target.fresh();
      const cwd = tempFolder();
      const results = await Promise.all(
        [1, 2, 3].map(() => sparkifyAsync(['run', '--warehouse', warehouse, '--source', source, '--wait', '170', '--json'], cwd)),
      );
      expect(
        results.map((result) => result.status),
        results.map((result) => result.stderr).join('\n'),
      ).toEqual([0, 0, 0]);
      expect(await snapshotStar(warehouse)).toEqual(reference);
    }, 240_000);

    it('a held lock: run and create-tables fail at once naming the holder, --wait waits, then succeeds once it is released', async () => {
      const warehouse = target.fresh();
      const cwd = tempFolder();
      await run({ options: { source, warehouse }, env: {}, cwd });
      const opened = await openWarehouse(parseWarehouseTarget(warehouse, 'test'));
      const owner = newRunLockOwner('run');
      const release = await opened.acquireRunLock(owner);
      try {
        // A second holder in this same process is refused too.
        await expect(opened.acquireRunLock(newRunLockOwner('run'))).rejects.toBeInstanceOf(RunLockedError);
        for (const verb of [['run', '--source', source], ['create-tables'], ['etl', '--source', source]]) {
          const result = await sparkifyAsync([...verb, '--warehouse', warehouse], cwd);
          expect(result.status, result.stderr).toBe(3);
          expect(result.stderr.trim().split('\n')).toHaveLength(1);
          expect(result.stderr).toContain(
            `run ${owner.runId} (sparkify run, pid ${process.pid} on host ${owner.host}, since ${owner.since})`,
          );
        }
        const started = Date.now();
        const waited = await sparkifyAsync(['create-tables', '--warehouse', warehouse, '--wait', '2'], cwd);
        expect(waited.status).toBe(3);
        expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
        expect(waited.stderr).toMatch(
          /after waiting 2 s: one run at a time per warehouse; try again when it ends, or pass a longer --wait$/m,
        );
      } finally {
        await release();
        await opened.close();
      }
      const after = await sparkifyAsync(['run', '--warehouse', warehouse, '--source', source], cwd);
      expect(after.status, after.stderr).toBe(0);
      expect(await snapshotStar(warehouse)).toEqual(reference);
    }, 180_000);

    it('--wait takes a lock released while it waits', async () => {
      const warehouse = target.fresh();
      const cwd = tempFolder();
      const opened = await openWarehouse(parseWarehouseTarget(warehouse, 'test'));
      const release = await opened.acquireRunLock(newRunLockOwner('run'));
      const waiting = sparkifyAsync(['run', '--warehouse', warehouse, '--source', source, '--wait', '120'], cwd);
      await new Promise((resolve) => setTimeout(resolve, 2500));
      await release();
      await opened.close();
      const result = await waiting;
      expect(result.status, result.stderr).toBe(0);
      expect(await snapshotStar(warehouse)).toEqual(reference);
    }, 180_000);

    it('rejects a bad --wait with one line naming the flag (exit 2)', async () => {
      const result = await sparkifyAsync(['run', '--warehouse', target.fresh(), '--wait', 'soon'], tempFolder());
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/^sparkify: --wait: expected a number of seconds/);
    });
  });
}

describe('DuckDB: a reader while a run writes the file', () => {
  it('sparkify query fails with one line naming the run that writes the file', async () => {
    const folder = tempFolder();
    const warehouse = `duckdb:${join(folder, 'w.duckdb')}`;
    await run({ options: { source, warehouse }, env: {}, cwd: folder });
    const opened = await openWarehouse(parseWarehouseTarget(warehouse, 'test'));
    const owner = newRunLockOwner('run');
    const release = await opened.acquireRunLock(owner);
    try {
      const started = Date.now();
      const result = await sparkifyAsync(['query', '--warehouse', warehouse, 'select count(*) from songplays'], folder);
      expect(result.status).toBe(3);
      // At once: a run holds the file until it ends, so the 15 s wait for brief holders (readers) is skipped.
      expect(Date.now() - started).toBeLessThan(12_000);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^sparkify: cannot read duckdb:.+w\.duckdb while run [0-9a-f]{8} \(sparkify run, pid \d+/);
      expect(result.stderr).toContain(owner.runId);
      // check writes check_failures, so it meets the file as a writer would; it has no --wait to suggest.
      const checked = await sparkifyAsync(['check', '--warehouse', warehouse], folder);
      expect(checked.status).toBe(3);
      expect(checked.stderr.trim()).toMatch(/or pass --wait <seconds> \(run, etl, create-tables\)$/);
    } finally {
      await release();
      await opened.close();
    }
    const after = await sparkifyAsync(['query', '--warehouse', warehouse, 'select count(*) as n from songplays', '--json'], folder);
    expect(after.status).toBe(0);
  }, 120_000);

  it('a run gets the file although readers keep it open without pause (writers go first)', async () => {
    const folder = tempFolder();
    const path = join(folder, 'w.duckdb');
    await run({ options: { source, warehouse: `duckdb:${path}` }, env: {}, cwd: folder });
    // Two readers in processes of their own (dashboards, queries), each reopening the file at once after
    // each read, staggered so one of them always holds it. Before writers went first, the run never found
    // the file free and gave up after 15 s with exit 3.
    const first = startReader(path);
    await sleep(250);
    const second = startReader(path);
    try {
      await Promise.all([first.reading, second.reading]);
      await sleep(500);
      const result = await sparkifyAsync(['run', '--warehouse', `duckdb:${path}`, '--source', source, '--json'], folder);
      expect(result.status, result.stderr).toBe(0);
      expect(existsSync(writerWaitingPath(path))).toBe(false);
      // The readers went on once the run was done.
      const before = first.reads();
      await waitUntil(() => first.reads() > before, 20_000, 'the reader to read again');
    } finally {
      first.child.kill();
      second.child.kill();
    }
  }, 120_000);

  it('a note left by a writer that died does not keep readers out, and is removed', async () => {
    const folder = tempFolder();
    const path = join(folder, 'w.duckdb');
    await run({ options: { source, warehouse: `duckdb:${path}` }, env: {}, cwd: folder });
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    await expectNoteIgnored(path, { token: 'x', pid: Number(gone.stdout), host: hostname(), at: Date.now() });
  });

  it('a note older than any wait does not keep readers out though its pid lives (reused), and is removed', async () => {
    const folder = tempFolder();
    const path = join(folder, 'w.duckdb');
    await run({ options: { source, warehouse: `duckdb:${path}` }, env: {}, cwd: folder });
    const living = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)'], { stdio: 'ignore' });
    try {
      await expectNoteIgnored(path, { token: 'x', pid: living.pid, host: hostname(), at: Date.now() - 60_000 });
    } finally {
      living.kill();
    }
  });

  it('a waiting writer writes its note again when it is removed, and removes it once it has the file', async () => {
    const folder = tempFolder();
    const path = join(folder, 'w.duckdb');
    await run({ options: { source, warehouse: `duckdb:${path}` }, env: {}, cwd: folder });
    const holder = holdFile(path, 3_000);
    await holder.holding;
    const opening = openWarehouse(parseWarehouseTarget(`duckdb:${path}`, 'test'));
    try {
      const note = writerWaitingPath(path);
      await waitUntil(() => existsSync(note), 2_000, 'the writer to leave its note');
      // A reader that took it for stale, or another writer that came and went, removed it.
      unlinkSync(note);
      await waitUntil(() => existsSync(note), 2_000, 'the writer to write its note again');
    } finally {
      await (await opening).close();
    }
    expect(existsSync(writerWaitingPath(path))).toBe(false);
  }, 30_000);
});

const LIBRARY = new URL('../../dist/index.js', import.meta.url).href;

// A process that opens the DuckDB file read-only, reads, holds it 400 ms, closes it and opens it again at
// once, printing a dot per read; a refused open is retried at once.
function startReader(path: string): { child: ChildProcess; reading: Promise<void>; reads: () => number } {
  const script = `
    const { openReadOnlyWarehouse, parseWarehouseTarget } = await import(${JSON.stringify(LIBRARY)});
    const target = parseWarehouseTarget(${JSON.stringify(`duckdb:${path}`)}, 'test');
    for (;;) {
      try {
        const opened = await openReadOnlyWarehouse(target);
        await opened.query('select count(*) from songplays');
        await new Promise((resolve) => setTimeout(resolve, 400));
        await opened.close();
        process.stdout.write('.');
      } catch {}
    }`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let reads = 0;
  const reading = new Promise<void>((resolve) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      reads += chunk.length;
      resolve();
    });
  });
  return { child, reading, reads: () => reads };
}

// Leaves `note` beside the file: a reader opens it at once all the same, and removes the note.
async function expectNoteIgnored(path: string, note: object): Promise<void> {
  writeFileSync(writerWaitingPath(path), JSON.stringify(note));
  const started = Date.now();
  const opened = await openReadOnlyWarehouse(parseWarehouseTarget(`duckdb:${path}`, 'test'));
  await opened.close();
  // Stepping aside would have waited out the full 15 s.
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(existsSync(writerWaitingPath(path))).toBe(false);
}

// A process that opens the DuckDB file read-only (not a run: a writer waits for it) and holds it for `ms`.
function holdFile(path: string, ms: number): { holding: Promise<void> } {
  const script = `
    const { openReadOnlyWarehouse, parseWarehouseTarget } = await import(${JSON.stringify(LIBRARY)});
    const opened = await openReadOnlyWarehouse(parseWarehouseTarget(${JSON.stringify(`duckdb:${path}`)}, 'test'));
    process.stdout.write('held');
    await new Promise((resolve) => setTimeout(resolve, ${ms}));
    await opened.close();`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return { holding: new Promise<void>((resolve) => child.stdout!.once('data', () => resolve())) };
}

async function waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
