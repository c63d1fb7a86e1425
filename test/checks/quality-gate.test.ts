/**
 * The quality checks on every warehouse: the gate of `run` passes on good data, blocks publishing on a
 * failing error check or on a check whose SQL fails (the published tables stay exactly as they were), lets
 * warnings through, keeps failing rows in check_failures, and `check` finds a broken published table.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, QualityCheckError } from '../../src/errors.js';
import { check } from '../../src/pipeline/check.js';
import { query } from '../../src/pipeline/query.js';
import { run } from '../../src/pipeline/run.js';
import { withWarehouse } from '../../src/warehouses/open-warehouse.js';
import { parseWarehouseTarget } from '../../src/warehouses/warehouse-target.js';
import { snapshotStar } from '../support/star-snapshot.js';
import { tempFolder, testWarehouses } from '../support/test-warehouses.js';

const TINY = new URL('../fixtures/tiny', import.meta.url).pathname;

/** A folder holding the given check files. */
function checksFolder(files: Record<string, string>): string {
  const folder = join(tempFolder('sparkify-checks-'), 'checks');
  mkdirSync(folder);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
  return folder;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

for (const target of testWarehouses()) {
  describe(`quality checks on ${target.name}`, () => {
    let warehouse: string;
    let before: Awaited<ReturnType<typeof snapshotStar>>;
    const ask = (sql: string) => query(sql, { options: { warehouse }, env: {} });
    const load = (options: Record<string, string | number> = {}) =>
      // Every load reads the files again (a full refresh), so each one runs the gate on freshly built tables.
      run({ options: { source: TINY, warehouse, ...options }, fullRefresh: true, env: {}, cwd: TINY });

    beforeAll(async () => {
      warehouse = target.fresh();
      const summary = await load();
      expect(summary.checks!.blocking).toBe(false);
      before = await snapshotStar(warehouse);
    });

    it('runs every built-in check in the gate of a run, and all pass on good data', async () => {
      const summary = await load();
      expect(summary.checks).toMatchObject({ phase: 'gate', ran: 16, passed: 16, failed: 0, errored: 0, blocking: false });
      expect(summary.checks!.userChecks).toEqual({ folder: null, files: 0 });
      expect(summary.checks!.results.map((result) => result.name)).toContain('records_reconcile');
      expect(JSON.parse(JSON.stringify(summary.checks))).toEqual(summary.checks);
    });

    it('blocks publishing on a failing error check: exit 1, name, count and first keys; tables unchanged', async () => {
      const checks = checksFolder({ 'no_paid_users.sql': "SELECT user_id, level FROM users WHERE level = 'paid';\n" });
      const paid = await ask("SELECT user_id FROM users WHERE level = 'paid' ORDER BY user_id");
      expect(paid.length).toBeGreaterThan(0);
      const error = await rejection(load({ checks }));
      expect(error).toBeInstanceOf(QualityCheckError);
      const report = (error as QualityCheckError).report;
      expect((error as QualityCheckError).exitCode).toBe(1);
      expect((error as Error).message).toContain(`no_paid_users (error): ${paid.length} failing row`);
      expect((error as Error).message).toContain(
        `first keys: ${paid
          .map((row) => row.user_id)
          .slice(0, 5)
          .join(', ')}`,
      );
      expect(report.results.find((result) => result.name === 'no_paid_users')).toMatchObject({
        status: 'failed',
        failingRows: paid.length,
        origin: join(checks, 'no_paid_users.sql'),
      });
      expect(await snapshotStar(warehouse)).toEqual(before);
      expect(await ask('SELECT check_name, severity, failing_key FROM check_failures ORDER BY failing_key')).toEqual(
        paid.map((row) => ({ check_name: 'no_paid_users', severity: 'error', failing_key: String(row.user_id) })),
      );
    });

    it('prints and records a failing warning without blocking', async () => {
      const checks = checksFolder({ 'paid_users.sql': "-- severity: warn\nSELECT user_id FROM users WHERE level = 'paid'" });
      const summary = await load({ checks });
      expect(summary.checks).toMatchObject({ blocking: false, warnings: 1, failed: 0, userChecks: { folder: checks, files: 1 } });
      const [kept] = await ask("SELECT COUNT(*) AS n FROM check_failures WHERE check_name = 'paid_users' AND severity = 'warn'");
      expect(Number(kept?.n)).toBeGreaterThan(0);
    });

    it('warns, without blocking, when one song_id names two artists in the song files', async () => {
      const source = join(tempFolder('sparkify-two-artists-'), 'source');
      cpSync(TINY, source, { recursive: true });
      // A second record of "Soul Deep" (SOCIWDW12A8C13D406, The Box Tops) credited to another artist.
      const record = { num_songs: 1, artist_id: 'ARNOTTHEBOXTOPS01', artist_latitude: null, artist_longitude: null };
      const song = { artist_location: '', artist_name: 'Not The Box Tops', song_id: 'SOCIWDW12A8C13D406', title: 'Soul Deep' };
      writeFileSync(
        join(source, 'song_data/A/A/A/TRAAAZZ128F429CF99.json'),
        JSON.stringify({ ...record, ...song, duration: 148.0, year: 1969 }),
      );
      const other = target.fresh();
      const summary = await run({ options: { source, warehouse: other }, env: {}, cwd: source });
      expect(summary.published).toBe(true);
      expect(summary.checks).toMatchObject({ blocking: false, warnings: 1, failed: 0 });
      expect(summary.checks!.results.find((result) => result.name === 'song_ids_name_one_artist')).toMatchObject({
        severity: 'warn',
        status: 'failed',
        failingRows: 1,
        firstFailingKeys: ['SOCIWDW12A8C13D406'],
      });
      const clean = await check({ options: { warehouse }, env: {}, cwd: TINY });
      expect(clean.results.find((result) => result.name === 'song_ids_name_one_artist')?.status).toBe('passed');
    });

    it('fails the run on a check whose SQL fails, naming the file and the warehouse message; tables unchanged', async () => {
      const checks = checksFolder({
        'a_broken.sql': 'SELECT no_such_column FROM users',
        'b_fine.sql': 'SELECT user_id FROM users WHERE 1 = 0',
      });
      const error = await rejection(load({ checks }));
      expect(error).toBeInstanceOf(QualityCheckError);
      const results = (error as QualityCheckError).report.results;
      const broken = results.find((result) => result.name === 'a_broken');
      expect(broken?.status).toBe('errored');
      expect(broken?.error).toContain(join(checks, 'a_broken.sql'));
      expect(broken?.error).toMatch(/no_such_column/);
      expect(results.find((result) => result.name === 'b_fine')?.status).toBe('skipped');
      expect(await snapshotStar(warehouse)).toEqual(before);
    });

    it('refuses a named checks folder without checks, and a bad severity line, before loading', async () => {
      const empty = checksFolder({ 'README.txt': 'nothing here' });
      await expect(load({ checks: empty })).rejects.toThrow(ConfigError);
      await expect(load({ checks: empty })).rejects.toThrow(/holds no \.sql file/);
      const bad = checksFolder({ 'x.sql': '-- severity: fatal\nSELECT 1' });
      await expect(load({ checks: bad })).rejects.toThrow(/x\.sql line 1: expected "-- severity: warn"/);
    });

    it('warns, without blocking, when fewer plays match than --min-match-rate', async () => {
      const summary = await load({ minMatchRate: 0.99 });
      expect(summary.checks!.results.find((result) => result.name === 'songplays_match_rate')).toMatchObject({
        severity: 'warn',
        status: 'failed',
        failingRows: 1,
      });
      expect(summary.checks!.blocking).toBe(false);
    });

    it('check passes on the published tables, then finds a play of an unknown user, with its key', async () => {
      const passed = await check({ options: { warehouse }, env: {}, cwd: TINY });
      expect(passed).toMatchObject({ phase: 'check', ran: 15, failed: 0, blocking: false });
      // PostgreSQL enforces primary keys, so the damage is one a key does not stop: a play nobody made.
      await withWarehouse(parseWarehouseTarget(warehouse, 'test'), {}, (open) =>
        open.execute(
          "INSERT INTO songplays (songplay_id, start_time, user_id, level) VALUES (999999, TIMESTAMP '2018-11-30 12:00:00', 424242, 'gold')",
        ),
      );
      const report = await check({ options: { warehouse }, env: {}, cwd: TINY });
      expect(report.blocking).toBe(true);
      for (const name of ['songplays_user_id_in_users', 'songplays_start_time_in_time', 'songplays_level_values']) {
        expect(
          report.results.find((result) => result.name === name),
          name,
        ).toMatchObject({
          status: 'failed',
          failingRows: 1,
          firstFailingKeys: ['999999'],
        });
      }
      expect(report.failed).toBe(3);
      // The next run rebuilds the tables and the gate passes again.
      expect((await load()).checks?.blocking).toBe(false);
    });

    it('check finds a NextSong event whose play is missing, keyed by its start time', async () => {
      const [play] = await ask('SELECT songplay_id, start_time FROM songplays ORDER BY songplay_id LIMIT 1');
      await withWarehouse(parseWarehouseTarget(warehouse, 'test'), {}, (open) =>
        open.execute(`DELETE FROM songplays WHERE songplay_id = ${play!.songplay_id}`),
      );
      const report = await check({ options: { warehouse }, env: {}, cwd: TINY });
      expect(report.results.find((result) => result.name === 'next_song_events_published')).toMatchObject({
        status: 'failed',
        failingRows: 1,
      });
      const [failure] = await ask("SELECT failing_key FROM check_failures WHERE check_name = 'next_song_events_published'");
      expect(failure!.failing_key).toBe(play!.start_time);
      expect((await load()).checks?.blocking).toBe(false);
    });
  });
}
