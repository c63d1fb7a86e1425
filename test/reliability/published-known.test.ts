/**
 * A stopped run says truly whether it published. Only the publish (the transaction marked `publishes`)
 * makes it so: the checks' failing rows, kept in a transaction of their own after the gate rolled the
 * publish back, leave the star tables as they were, and a signal that lands while they commit must not
 * make the run say it published.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interruptible } from '../../src/pipeline/run-interruption.js';
import { createTables, run } from '../../src/pipeline/run.js';
import { openWarehouse } from '../../src/warehouses/open-warehouse.js';
import type { Warehouse } from '../../src/warehouses/warehouse.js';
import { parseWarehouseTarget } from '../../src/warehouses/warehouse-target.js';
import { tempFolder } from '../support/test-warehouses.js';

const TINY = new URL('../fixtures/tiny', import.meta.url).pathname;

// What a test sees of the wrapped warehouse while it commits: each interrupt that reaches it, and a hook run
// right after the signal.
interface CommitWatch {
  readonly interrupted?: () => void;
  readonly duringCommit?: () => void;
}

// DuckDB's warehouse, whose transactions let `controller` abort once their work is done and the wrapper has
// decided to commit: the signal lands while COMMIT runs.
function signalDuringCommit(inner: Warehouse, controller: AbortController, watch: CommitWatch = {}): Warehouse {
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
        watch.duringCommit?.();
        return value;
      }, options),
    interrupt: () => {
      watch.interrupted?.();
      inner.interrupt?.();
    },
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

  it('a COMMIT under way is never cut short: neither the signal nor an interrupt() during it reaches the warehouse', async () => {
    const opened = await openWarehouse(parseWarehouseTarget(`duckdb:${join(tempFolder(), 'w.duckdb')}`, 'test'));
    try {
      const controller = new AbortController();
      let interrupts = 0;
      const watched = signalDuringCommit(opened, controller, {
        interrupted: () => interrupts++,
        duringCommit: () => guarded.warehouse.interrupt?.(),
      });
      const guarded = interruptible(watched, controller.signal);
      await guarded.warehouse.transaction(() => guarded.warehouse.execute('CREATE TABLE kept AS SELECT 1 AS a'), { publishes: true });
      expect(interrupts).toBe(0);
      expect(await opened.query('SELECT a FROM kept')).toEqual([{ a: 1 }]);
      expect(guarded.published()).toBe(true);
      // Once the COMMIT is done, an interrupt goes through again.
      guarded.warehouse.interrupt?.();
      expect(interrupts).toBe(1);
    } finally {
      await opened.close();
    }
  });

  it('a stopped create-tables speaks of its own work: every table is as it was', async () => {
    const warehouse = `duckdb:${join(tempFolder(), 'w.duckdb')}`;
    await run({ options: { source: TINY, warehouse }, env: {}, cwd: TINY });
    const controller = new AbortController();
    controller.abort('SIGTERM');
    const stopped = createTables({ options: { warehouse }, env: {}, cwd: TINY, signal: controller.signal });
    await expect(stopped).rejects.toThrow('Interrupted by SIGTERM: no table was dropped, every table is as it was');
    const opened = await openWarehouse(parseWarehouseTarget(warehouse, 'test'));
    try {
      expect(await opened.query('SELECT COUNT(*) > 0 AS kept FROM songplays')).toEqual([{ kept: true }]);
    } finally {
      await opened.close();
    }
  });
});
