/**
 * The quick proof of a built-in check on DuckDB (equal counts and hash fingerprints of NextSong events and
 * plays): it holds on good data, so the gate skips the grouping; it never passes damage, which the grouping
 * then finds exactly; and the runner trusts a proof only when it says true.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { builtInChecks } from '../../src/checks/check-definitions.js';
import { runChecks } from '../../src/checks/check-runner.js';
import { check } from '../../src/pipeline/check.js';
import { query } from '../../src/pipeline/query.js';
import { run } from '../../src/pipeline/run.js';
import { withWarehouse } from '../../src/warehouses/open-warehouse.js';
import { DuckDbDialect } from '../../src/warehouses/duckdb/duckdb-dialect.js';
import { PostgresDialect } from '../../src/warehouses/postgres/postgres-dialect.js';
import { parseWarehouseTarget } from '../../src/warehouses/warehouse-target.js';
import type { Warehouse } from '../../src/warehouses/warehouse.js';
import { tempFolder } from '../support/test-warehouses.js';

const TINY = new URL('../fixtures/tiny', import.meta.url).pathname;

describe('the quick proof of a built-in check on DuckDB', () => {
  let warehouse: string;
  const load = () => run({ options: { source: TINY, warehouse }, fullRefresh: true, env: {}, cwd: TINY });
  const on = <T>(work: (open: Warehouse) => Promise<T>) => withWarehouse(parseWarehouseTarget(warehouse, 'test'), {}, work);
  const resultOf = async (name: string) =>
    (await check({ options: { warehouse }, env: {}, cwd: TINY })).results.find((r) => r.name === name);

  beforeAll(async () => {
    warehouse = `duckdb:${tempFolder()}/proofs.duckdb`;
    expect((await load()).checks?.blocking).toBe(false);
  });

  it('is given for the NextSong check on DuckDB only, and holds on good data', async () => {
    const proven = builtInChecks(new DuckDbDialect()).filter((definition) => definition.quickPass);
    expect(proven.map((definition) => definition.name)).toEqual(['next_song_events_published']);
    expect(builtInChecks(new PostgresDialect()).filter((definition) => definition.quickPass)).toEqual([]);
    // Were the hashed columns of two types (say INTEGER against BIGINT), the fingerprints would never agree and
    // every gate would fall back to grouping: the proof must hold here.
    const passes = await on((open) => Promise.all(proven.map(async (definition) => (await open.query(definition.quickPass!))[0]?.passes)));
    expect(passes).toEqual(proven.map(() => true));
  });

  it('leaves a moved play to the grouping, which finds its event by the old start time', async () => {
    const [play] = await query('SELECT songplay_id, start_time FROM songplays ORDER BY songplay_id LIMIT 1', {
      options: { warehouse },
      env: {},
    });
    // As many plays as events still: only the fingerprint tells them apart.
    await on((open) =>
      open.execute(`UPDATE songplays SET start_time = start_time + INTERVAL 1 HOUR WHERE songplay_id = ${play!.songplay_id}`),
    );
    expect(await resultOf('next_song_events_published')).toMatchObject({
      status: 'failed',
      failingRows: 1,
      firstFailingKeys: [String(play!.start_time)],
    });
    await load();
  });

  it('leaves a surplus play to the grouping, which allows it; the primary keys find a duplicated play and song', async () => {
    const [play] = await on((open) => open.query('SELECT songplay_id FROM songplays ORDER BY songplay_id LIMIT 1'));
    await on(async (open) => {
      await open.execute(`INSERT INTO songplays SELECT * FROM songplays WHERE songplay_id = ${play!.songplay_id}`);
      await open.execute('INSERT INTO songs SELECT * FROM songs WHERE song_id = (SELECT MIN(song_id) FROM songs)');
    });
    expect(await resultOf('songplays_primary_key')).toMatchObject({
      status: 'failed',
      failingRows: 1,
      firstFailingKeys: [String(play!.songplay_id)],
    });
    const [song] = await on((open) => open.query('SELECT MIN(song_id) AS song_id FROM songs'));
    expect(await resultOf('songs_primary_key')).toMatchObject({ status: 'failed', failingRows: 1, firstFailingKeys: [song!.song_id] });
    // The proof fails (one play more than events); the grouping allows more plays than events.
    expect(await resultOf('next_song_events_published')).toMatchObject({ status: 'passed', failingRows: 0 });
    await load();
  });

  it('is trusted only when it says true', async () => {
    const definition = {
      name: 'x',
      severity: 'error',
      description: 'x',
      origin: 'built-in',
      sql: 'SELECT no_such_column FROM users',
    } as const;
    const outcomes = await on((open) =>
      runChecks(
        open,
        [
          { ...definition, name: 'proven', quickPass: 'SELECT true AS passes' },
          { ...definition, name: 'unproven', quickPass: 'SELECT NULL::BOOLEAN AS passes' },
          { ...definition, name: 'disproven', quickPass: 'SELECT false AS passes', sql: 'SELECT user_id FROM users' },
        ],
        false,
      ),
    );
    expect(outcomes.map(({ result }) => [result.name, result.status])).toEqual([
      ['proven', 'passed'],
      ['unproven', 'errored'],
      ['disproven', 'failed'],
    ]);
  });
});
