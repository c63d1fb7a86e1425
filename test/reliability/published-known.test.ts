/**
 * A stopped run says truly whether it published. Only the publish (the transaction marked `publishes`)
 * makes it so: the checks' failing rows, kept in a transaction of their own after the gate rolled the
 * publish back, leave the star tables as they were, and a signal that lands while they commit must not
 * make the run say it published.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interruptible } from '../../src/pipeline/run-interruption.js';
import { openWarehouse } from '../../src/warehouses/open-warehouse.js';
import type { Warehouse } from '../../src/warehouses/warehouse.js';
import { parseWarehouseTarget } from '../../src/warehouses/warehouse-target.js';
import { tempFolder } from '../support/test-warehouses.js';

// DuckDB's warehouse, whose transactions let `controller` abort once their work is done and the wrapper has
// decided to commit: the signal lands while COMMIT runs.
function signalDuringCommit(inner: Warehouse, controller: AbortController): Warehouse {
  return {
    dialect: inner.dialect,
    description: inner.description,
    intake: inner.intake,
    execute: (sql) => inner.execute(sql),
    query: (sql, params) => inner.query(sql, params),
    queryTable: (sql) => inner.queryTable(sql),
    acquireRunLock: (owner, options) => inner.acquireRunLock(owner, options),
    openWriter: (table) => inner.openWriter(table),
    transaction: (work, options) =>
      inner.transaction(async () => {
        const value = await work();
        controller.abort('SIGINT');
        return value;
      }, options),
    close: () => inner.close(),
  };
}

describe('whether a stopped run published', () => {
  for (const publishes of [false, true]) {
    it(`a signal while ${publishes ? 'the publish' : 'another transaction (the checks’ failing rows)'} commits: published is ${publishes}`, async () => {
      const opened = await openWarehouse(parseWarehouseTarget(`duckdb:${join(tempFolder(), 'w.duckdb')}`, 'test'));
      try {
        const controller = new AbortController();
        const guarded = interruptible(signalDuringCommit(opened, controller), controller.signal);
        await guarded.warehouse.transaction(() => guarded.warehouse.execute('CREATE TABLE kept AS SELECT 1 AS a'), { publishes });
        // The COMMIT went through: the signal came too late to roll it back.
        expect(controller.signal.aborted).toBe(true);
        expect(await opened.query('SELECT a FROM kept')).toEqual([{ a: 1 }]);
        expect(guarded.published()).toBe(publishes);
        expect(guarded.interruption().published).toBe(publishes);
        expect(guarded.interruption().message).toMatch(publishes ? /after the star tables were published/ : /nothing was published/);
      } finally {
        await opened.close();
      }
    });
  }
});
