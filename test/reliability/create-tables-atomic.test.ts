/**
 * create-tables is one transaction on DuckDB too: a reset that fails partway leaves every table as it was.
 * DuckDB drops a table whatever depends on it, so what stops this reset is an object of the user's that is
 * not a table, under the name of one dropped late (`check_failures`): staging, dropped first, must survive.
 * (PostgreSQL's case, a view that depends on a star table: test/postgres/postgres-warehouse.test.ts.)
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTables, run } from '../../src/pipeline/run.js';
import { openWarehouse } from '../../src/warehouses/open-warehouse.js';
import { parseWarehouseTarget } from '../../src/warehouses/warehouse-target.js';
import { tempFolder } from '../support/test-warehouses.js';

const TINY = new URL('../fixtures/tiny', import.meta.url).pathname;

describe('create-tables on DuckDB', () => {
  it('fails whole: a table it cannot drop leaves staging, the star tables and the ledger as they were', async () => {
    const warehouse = `duckdb:${join(tempFolder(), 'reset.duckdb')}`;
    await run({ options: { source: TINY, warehouse }, env: {}, cwd: TINY });
    const counts =
      'SELECT (SELECT COUNT(*) FROM staging_events) AS events, (SELECT COUNT(*) FROM songplays) AS plays, (SELECT COUNT(*) FROM sparkify_files) AS files';
    const opened = await openWarehouse(parseWarehouseTarget(warehouse, 'test'));
    let before: unknown;
    try {
      before = await opened.query(counts);
      await opened.execute('DROP TABLE check_failures');
      await opened.execute('CREATE VIEW check_failures AS SELECT 1 AS kept');
    } finally {
      await opened.close();
    }
    await expect(createTables({ options: { warehouse }, env: {}, cwd: TINY })).rejects.toThrow(/check_failures/);
    const after = await openWarehouse(parseWarehouseTarget(warehouse, 'test'));
    try {
      expect(await after.query(counts)).toEqual(before);
      expect(await after.query('SELECT kept FROM check_failures')).toEqual([{ kept: 1 }]);
    } finally {
      await after.close();
    }
  });
});
