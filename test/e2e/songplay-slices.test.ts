/**
 * Publishing songplays in slices of event time (DuckDB, for big inputs) gives exactly the tables of one
 * statement: same ids, same matches, same time rows, whatever the slice size.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/generator/generate.js';
import { query } from '../../src/pipeline/query.js';
import { run } from '../../src/pipeline/run.js';
import { publishStarSchema } from '../../src/pipeline/star-publisher.js';
import { DuckDbDialect } from '../../src/warehouses/duckdb/duckdb-dialect.js';
import { openDuckDbWarehouse } from '../../src/warehouses/duckdb/duckdb-warehouse.js';
import type { DialectCapabilities } from '../../src/warehouses/sql/sql-dialect.js';
import { starTableBuilds } from '../../src/warehouses/sql/star-transform-sql.js';
import type { Warehouse } from '../../src/warehouses/warehouse.js';
import { snapshotStar } from '../support/star-snapshot.js';
import { tempFolder } from '../support/test-warehouses.js';

/** DuckDB's dialect with slices of about `plays` plays. */
class SlicedDialect extends DuckDbDialect {
  constructor(plays: number | undefined) {
    super();
    (this as { capabilities: DialectCapabilities }).capabilities = { ...this.capabilities, songplaySlicePlays: plays };
  }
}

describe('songplays published in slices', () => {
  let path: string;
  let whole: Awaited<ReturnType<typeof snapshotStar>>;

  beforeAll(async () => {
    const folder = join(tempFolder('sparkify-slices-'), 'data');
    await generate({ out: folder, songs: 500, events: 6_000, days: 6, seed: 11 });
    path = join(tempFolder(), 'slices.duckdb');
    await run({ options: { source: folder, warehouse: `duckdb:${path}` }, env: {} });
    whole = await snapshotStar(`duckdb:${path}`);
  });

  it('has several days of plays to slice', () => {
    expect(new Set(whole.songplays!.map((row) => String(row.start_time).slice(0, 10))).size).toBeGreaterThanOrEqual(6);
    expect(starTableBuilds(new DuckDbDialect()).find((build) => build.table.name === 'songplays')?.slices).toBeDefined();
  });

  for (const plays of [1, 700, 2_000, undefined]) {
    it(`gives the same star tables with slices of ${plays ?? 'all'} plays`, async () => {
      const opened = await openDuckDbWarehouse({ path });
      // The same warehouse, speaking a dialect with another slice size.
      const warehouse = Object.create(opened, { dialect: { value: new SlicedDialect(plays) } }) as Warehouse;
      try {
        await publishStarSchema(warehouse);
      } finally {
        await opened.close();
      }
      expect(await snapshotStar(`duckdb:${path}`)).toEqual(whole);
    });
  }
});

describe('songplays that tie on time, session and item', () => {
  // A NextSong event of `user`; every event of the test shares ts, sessionId and itemInSession.
  const event = (user: number) =>
    JSON.stringify({
      artist: 'A',
      auth: 'Logged In',
      firstName: 'F',
      gender: 'F',
      itemInSession: 3,
      lastName: 'L',
      length: 200.5,
      level: 'free',
      location: 'X',
      method: 'PUT',
      page: 'NextSong',
      registration: null,
      sessionId: 9,
      song: 'S',
      status: 200,
      ts: 1541122176796,
      userAgent: 'U',
      userId: String(user),
    });

  it('are numbered by file path in byte order, then line, in slices as in one statement', async () => {
    const folder = join(tempFolder('sparkify-ties-'), 'data');
    mkdirSync(join(folder, 'song_data'), { recursive: true });
    mkdirSync(join(folder, 'log_data'), { recursive: true });
    // By bytes 'B' sorts before 'a' (most locales put 'a' first), and the slices number by a rank of the paths.
    writeFileSync(join(folder, 'log_data', 'a-events.json'), `${event(7)}\n${event(8)}\n`);
    writeFileSync(join(folder, 'log_data', 'B-events.json'), `${event(5)}\n${event(6)}\n`);
    const path = join(tempFolder(), 'ties.duckdb');
    const warehouse = `duckdb:${path}`;
    const users = async () => {
      const rows = await query('SELECT user_id FROM songplays ORDER BY songplay_id', { options: { warehouse }, env: {} });
      return rows.map((row) => row.user_id);
    };
    await run({ options: { source: folder, warehouse }, env: {} });
    expect(await users()).toEqual([5, 6, 7, 8]);
    const opened = await openDuckDbWarehouse({ path });
    try {
      await publishStarSchema(Object.create(opened, { dialect: { value: new SlicedDialect(undefined) } }) as Warehouse);
    } finally {
      await opened.close();
    }
    expect(await users()).toEqual([5, 6, 7, 8]);
  });
});
