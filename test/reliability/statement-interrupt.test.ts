/**
 * A signal cuts short the statement under way (DuckDB), not only the next one: a stopped run no longer
 * waits for a long publish statement to end, which on L could outlast the 10 s grace period. The statement
 * fails, and its transaction rolls back as after any failure.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interruptible } from '../../src/pipeline/run-interruption.js';
import type { TableSpec } from '../../src/schema/table-spec.js';
import { openWarehouse } from '../../src/warehouses/open-warehouse.js';
import { parseWarehouseTarget } from '../../src/warehouses/warehouse-target.js';
import { tempFolder } from '../support/test-warehouses.js';

// Hours of counting without an interrupt.
const ENDLESS = 'SELECT COUNT(*) AS n FROM range(1000000000000) a';
// DuckDB's own error, not the wrapper's InterruptedError (whose message also says "Interrupted").
const DUCKDB_INTERRUPT = /INTERRUPT Error/;

describe('a signal during a statement', () => {
  it('interrupts a DuckDB statement that would run for hours, and its transaction rolls back', async () => {
    const opened = await openWarehouse(parseWarehouseTarget(`duckdb:${join(tempFolder(), 'w.duckdb')}`, 'test'));
    try {
      const controller = new AbortController();
      const { warehouse } = interruptible(opened, controller.signal);
      const started = Date.now();
      const publish = warehouse.transaction(async () => {
        await warehouse.execute('CREATE TABLE written AS SELECT 1 AS a');
        // The signal comes once the count has been sent, whenever it starts.
        setTimeout(() => controller.abort('SIGINT'), 200);
        await warehouse.query(ENDLESS);
      });
      await expect(publish).rejects.toThrow(DUCKDB_INTERRUPT);
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(await opened.query("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = 'written'")).toEqual([{ n: 0n }]);
      // The connection goes on working.
      expect(await opened.query('SELECT 42 AS answer')).toEqual([{ answer: 42 }]);
    } finally {
      await opened.close();
    }
  }, 60_000);

  it('interrupts a statement sent in the same tick, before DuckDB has started it (DuckDB forgets such an interrupt)', async () => {
    const opened = await openWarehouse(parseWarehouseTarget(`duckdb:${join(tempFolder(), 'w.duckdb')}`, 'test'));
    try {
      for (const send of [() => opened.query(ENDLESS), () => opened.execute(ENDLESS), () => opened.queryTable(ENDLESS)]) {
        const started = Date.now();
        const statement = send();
        opened.interrupt?.();
        await expect(statement).rejects.toThrow(DUCKDB_INTERRUPT);
        expect(Date.now() - started).toBeLessThan(30_000);
      }
      // The repeated interrupt ends with the statement it was meant for: a count sent straight after, long
      // enough for several repeats (20 ms apart), runs to its end.
      expect(await opened.query('SELECT COUNT(*) AS n FROM range(300000000) a')).toEqual([{ n: 300000000n }]);
      // Inside a transaction, the ROLLBACK that follows an interrupted statement is not cut short.
      const transaction = opened.transaction(async () => {
        await opened.execute('CREATE TABLE written AS SELECT 1 AS a');
        const statement = opened.query(ENDLESS);
        opened.interrupt?.();
        await statement;
      });
      await expect(transaction).rejects.toThrow(DUCKDB_INTERRUPT);
      expect(await opened.query("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = 'written'")).toEqual([{ n: 0n }]);
      expect(await opened.query('SELECT 42 AS answer')).toEqual([{ answer: 42 }]);
    } finally {
      await opened.close();
    }
  }, 90_000);

  it('closes the connection of a staging load that fails, so a later signal does not keep interrupting it', async () => {
    const opened = await openWarehouse(parseWarehouseTarget(`duckdb:${join(tempFolder(), 'w.duckdb')}`, 'test'));
    // The loads' connections are private: what is checked is that none stays open after the load ends.
    const openLoads = () => (opened as unknown as { loadConnections: Set<unknown> }).loadConnections.size;
    const table: TableSpec = { name: 'staged', role: 'staging', columns: [{ name: 'a', type: 'integer' }] };
    try {
      expect(opened.intake.kind).toBe('parquet-files');
      if (opened.intake.kind !== 'parquet-files') return;
      await opened.execute('CREATE TABLE staged (a INTEGER)');
      for (const end of ['finish', 'abort'] as const) {
        const load = await opened.intake.open(table);
        expect(openLoads()).toBe(1);
        const damaged = join(load.folder, 'damaged.parquet');
        writeFileSync(damaged, 'not a Parquet file');
        await load.add(damaged, 1);
        if (end === 'finish') await expect(load.finish()).rejects.toThrow(/Failed to load staged in DuckDB/);
        else await load.abort().catch(() => undefined);
        expect(openLoads()).toBe(0);
      }
      expect(await opened.query('SELECT COUNT(*) AS n FROM staged')).toEqual([{ n: 0n }]);
    } finally {
      await opened.close();
    }
  });
});
