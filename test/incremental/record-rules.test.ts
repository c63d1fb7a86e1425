/**
 * An upgrade that changes the record checks keeps the contract of incremental loads: the files loaded
 * before were checked by the old rules, so the first run after it reads every file again, as a full
 * refresh would, instead of keeping what the old rules staged from the files it would skip as unchanged.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/pipeline/run.js';
import { RECORD_RULES_VERSION } from '../../src/records/field-spec.js';
import { openWarehouse } from '../../src/warehouses/open-warehouse.js';
import { parseWarehouseTarget } from '../../src/warehouses/warehouse-target.js';
import { tempFolder } from '../support/test-warehouses.js';

const TINY = new URL('../fixtures/tiny', import.meta.url).pathname;

async function withDuckDb<T>(warehouse: string, work: (opened: Awaited<ReturnType<typeof openWarehouse>>) => Promise<T>): Promise<T> {
  const opened = await openWarehouse(parseWarehouseTarget(warehouse, 'test'));
  try {
    return await work(opened);
  } finally {
    await opened.close();
  }
}

describe('a change of the record checks', () => {
  it('makes the next run read every file again, so staging holds what today’s rules stage', async () => {
    const warehouse = `duckdb:${join(tempFolder(), 'rules.duckdb')}`;
    await run({ options: { source: TINY, warehouse }, env: {}, cwd: TINY });
    // As an older sparkify left it: its run recorded no rules version, and its rules staged a level that
    // today's refuse.
    await withDuckDb(warehouse, async (opened) => {
      await opened.execute(`UPDATE sparkify_runs SET settings = replace(settings, '"recordRules":${RECORD_RULES_VERSION},', '')`);
      await opened.execute("UPDATE staging_events SET level = 'PAID' WHERE level = 'paid'");
    });

    const upgraded = await run({ options: { source: TINY, warehouse }, env: {}, cwd: TINY });
    expect(upgraded.published).toBe(true);
    expect(upgraded.notes).toContain(
      `every file was read again: the record checks changed since run 1 (rules 1, now ${RECORD_RULES_VERSION}), so the tables are those of a full refresh under today's rules`,
    );
    expect(upgraded.events.filesRead).toBe(2);
    const levels = await withDuckDb(warehouse, (opened) => opened.query('SELECT DISTINCT level FROM staging_events ORDER BY level'));
    expect(levels).toEqual([{ level: 'free' }, { level: 'paid' }]);

    // Recorded under today's rules, the run after finds nothing new.
    const next = await run({ options: { source: TINY, warehouse }, env: {}, cwd: TINY });
    expect(next.published).toBe(false);
    expect(next.nothingNewSince?.runId).toBe(2);
  });
});
