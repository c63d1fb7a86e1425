/**
 * `sparkify query` loses nothing and changes nothing (issue 14, items 3 and 7), on every warehouse:
 * - duplicate column names are all kept, made unique the same way (`count`, `count_2`, `count_3`);
 * - a string of several statements is refused with one line;
 * - query sessions are read-only for real: on DuckDB no COPY ... TO, EXPORT, ATTACH, INSTALL, LOAD or SET
 *   that lifts the limits; on PostgreSQL and Redshift a read-only transaction around each query.
 * Redshift's query path is the Redshift warehouse class itself, connected to the test PostgreSQL server.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { QueryError } from '../../src/errors.js';
import { query } from '../../src/pipeline/query.js';
import { run } from '../../src/pipeline/run.js';
import { uniqueColumnNames } from '../../src/warehouses/query-table.js';
import { openReadOnlyWarehouse } from '../../src/warehouses/open-warehouse.js';
import { parseWarehouseTarget } from '../../src/warehouses/warehouse-target.js';
import { testPostgresUrl, testWarehouses, tempFolder } from '../support/test-warehouses.js';
import { sparkify } from '../cli/run-cli.js';

const TINY = new URL('../fixtures/tiny', import.meta.url).pathname;

describe('uniqueColumnNames', () => {
  it('keeps every column, numbering repeats from 2 and skipping names already taken', () => {
    expect(uniqueColumnNames(['level', 'count', 'count', 'count'])).toEqual(['level', 'count', 'count_2', 'count_3']);
    expect(uniqueColumnNames(['a', 'a_2', 'a'])).toEqual(['a', 'a_2', 'a_3']);
    expect(uniqueColumnNames(['x', 'y'])).toEqual(['x', 'y']);
  });
});

for (const target of testWarehouses()) {
  describe(`query output on ${target.name}`, () => {
    let warehouse: string;
    beforeAll(async () => {
      warehouse = target.fresh();
      await run({ options: { source: TINY, warehouse }, env: {}, cwd: TINY });
    });
    const ask = (sql: string) => query(sql, { options: { warehouse }, env: {} });

    it('keeps columns of the same name, made unique the same way on every warehouse', async () => {
      const rows = await ask(
        'select level, count(*) as count, count(1) as count, count(distinct user_id) as count from songplays group by level order by level',
      );
      expect(Object.keys(rows[0]!)).toEqual(['level', 'count', 'count_2', 'count_3']);
      const total = await ask('select count(*) as plays, count(distinct user_id) as users from songplays');
      expect(rows.reduce((sum, row) => sum + Number(row.count), 0)).toBe(total[0]!.plays);
      expect(rows.every((row) => row.count === row.count_2)).toBe(true);
      // The last count is distinct users: not the plays of the first, as it was when names collided.
      expect(rows.some((row) => row.count_3 !== row.count)).toBe(true);
      // The issue's own query, with the names each warehouse gives (PostgreSQL: count three times).
      const unnamed = await ask('select level, count(*), count(1), count(distinct user_id) from songplays group by level');
      expect(Object.keys(unnamed[0]!)).toHaveLength(4);
      if (target.name === 'postgres') expect(Object.keys(unnamed[0]!)).toEqual(['level', 'count', 'count_2', 'count_3']);
    });

    it('refuses a string of several statements with one line', async () => {
      await expect(ask('select 1 as a; select 2')).rejects.toThrow(
        /^The query holds (2|several) statements; sparkify query runs exactly one/,
      );
      await expect(ask('select 1 as a; select 2')).rejects.toBeInstanceOf(QueryError);
      // A single statement with its semicolon is fine.
      expect(await ask('select 1 as a;')).toEqual([{ a: 1 }]);
    });

    it('refuses every write', async () => {
      for (const sql of [
        'create table intruder (a integer)',
        'drop table songplays',
        'insert into users (user_id) values (424242)',
        'delete from songs',
      ]) {
        await expect(ask(sql), sql).rejects.toThrow(/read-only|read only/i);
      }
      expect((await ask('select count(*) as n from songs'))[0]!.n).toBeGreaterThan(0);
    });

    it('prints several statements refused in one line on the CLI, with exit status 1', () => {
      const result = sparkify(['query', '--warehouse', warehouse, 'select 1 as a; select 2'], TINY);
      expect(result.status).toBe(1);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/statements; sparkify query runs exactly one/);
    });
  });
}

describe('DuckDB query sessions cannot change the machine or lift their limits', () => {
  let folder: string;
  let warehouse: string;
  beforeAll(async () => {
    folder = tempFolder();
    warehouse = `duckdb:${join(folder, 'w.duckdb')}`;
    await run({ options: { source: TINY, warehouse }, env: {}, cwd: TINY });
  });

  const refused: [string, RegExp][] = [
    [`copy (select 42 as x) to 'x.csv'`, /file system operations are disabled/],
    [`export database 'exported'`, /disabled/],
    [`attach 'other.duckdb' as other`, /disabled/],
    ['install httpfs', /disabled/],
    ['load httpfs', /disabled/],
    ['set enable_external_access = true', /configuration has been locked/],
    ['set lock_configuration = false', /configuration has been locked/],
    [`set memory_limit = '100GB'`, /configuration has been locked/],
    [`select * from read_csv('/etc/passwd')`, /disabled/],
  ];
  it("holds for programs too: openReadOnlyWarehouse (the dashboard's opening) refuses the same and keeps every column", async () => {
    const opened = await openReadOnlyWarehouse(parseWarehouseTarget(warehouse, 'test'));
    try {
      await expect(opened.query(`copy (select 42 as x) to '${join(folder, 'y.csv')}'`)).rejects.toThrow(/disabled/);
      await expect(opened.execute('create table intruder (a integer)')).rejects.toThrow(/read-only/);
      const rows = await opened.query('select count(*) as n, count(1) as n from songplays');
      expect(Object.keys(rows[0]!)).toEqual(['n', 'n_2']);
    } finally {
      await opened.close();
    }
    expect(existsSync(join(folder, 'y.csv'))).toBe(false);
  });

  for (const [sql, reason] of refused) {
    it(`refuses ${sql} with one line, writing nothing`, () => {
      const result = sparkify(['query', '--warehouse', warehouse, sql], folder);
      expect(result.status).toBe(1);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(reason);
      expect(readdirSync(folder).sort()).toEqual(['w.duckdb']);
      expect(existsSync(join(folder, 'x.csv'))).toBe(false);
    });
  }
});

const POSTGRES = testPostgresUrl();
describe.skipIf(!POSTGRES)(
  POSTGRES
    ? 'Redshift query sessions are read-only transactions'
    : 'Redshift query sessions (SKIPPED: SPARKIFY_TEST_WAREHOUSES leaves postgres out)',
  () => {
    let redshift: string;
    beforeAll(async () => {
      const postgres = testWarehouses()
        .find((w) => w.name === 'postgres')!
        .fresh();
      await run({ options: { source: TINY, warehouse: postgres }, env: {}, cwd: TINY });
      // The Redshift warehouse class, pointed at the test server: the same protocol, its own query path.
      const url = new URL(postgres);
      url.protocol = 'redshift:';
      url.searchParams.set('sslmode', 'disable');
      redshift = url.toString();
    });
    const ask = (sql: string) => query(sql, { options: { warehouse: redshift }, env: {} });

    it('refuses writes, keeps duplicate columns and refuses several statements', async () => {
      await expect(ask('drop table songplays')).rejects.toThrow(/read-only/i);
      await expect(ask('create table intruder (a integer)')).rejects.toThrow(/read-only/i);
      const rows = await ask('select count(*) as count, count(1) as count from songplays');
      expect(Object.keys(rows[0]!)).toEqual(['count', 'count_2']);
      await expect(ask('select 1; select 2')).rejects.toThrow(/several statements/);
      expect((await ask('select count(*) as n from songplays'))[0]!.n).toBe(6);
    });
  },
);
