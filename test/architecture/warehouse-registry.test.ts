/**
 * A new warehouse is one folder and one registry line: a minimal warehouse (DuckDB underneath, but taking
 * JavaScript rows through `openWriter`, the `rows` intake no built-in warehouse uses) is registered through
 * the registry and runs the whole pipeline, giving the same star schema and rejects as the DuckDB warehouse.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/settings.js';
import { ConfigError } from '../../src/errors.js';
import { planRun } from '../../src/pipeline/run-plan.js';
import { run } from '../../src/pipeline/run.js';
import { DuckDbDialect } from '../../src/warehouses/duckdb/duckdb-dialect.js';
import { openDuckDbWarehouse } from '../../src/warehouses/duckdb/duckdb-warehouse.js';
import type { WarehouseDescriptor } from '../../src/warehouses/warehouse-descriptor.js';
import { registerWarehouse } from '../../src/warehouses/warehouse-registry.js';
import { describeTarget, parseWarehouseTarget } from '../../src/warehouses/warehouse-target.js';
import type { Warehouse, WarehouseTarget } from '../../src/warehouses/warehouse.js';
import { snapshotLoadErrors, snapshotStar } from '../support/star-snapshot.js';
import { tempFolder } from '../support/test-warehouses.js';

const TINY = new URL('../fixtures/tiny', import.meta.url).pathname;

interface RowDuckTarget extends WarehouseTarget {
  readonly kind: 'row-duck';
  readonly path: string;
}

/** What a new warehouse folder would export: its descriptor. */
const rowDuckWarehouse: WarehouseDescriptor<RowDuckTarget> = {
  kind: 'row-duck',
  title: 'RowDuck',
  schemes: ['rowduck'],
  example: 'rowduck:<file>',
  settings: [],
  parse(value, origin) {
    const path = value.slice('rowduck:'.length);
    if (path === '') throw new ConfigError(`${origin}: rowduck: needs a file`);
    return { kind: 'row-duck', path };
  },
  describe: (target) => `rowduck:${target.path}`,
  secrets: () => [],
  async open(target, options) {
    const inner = await openDuckDbWarehouse({ ...options, path: target.path });
    const warehouse: Warehouse = {
      dialect: inner.dialect,
      description: `rowduck:${target.path}`,
      intake: { kind: 'rows' },
      execute: (sql) => inner.execute(sql),
      query: (sql, params) => inner.query(sql, params),
      queryTable: (sql) => inner.queryTable(sql),
      acquireRunLock: (owner, lockOptions) => inner.acquireRunLock(owner, lockOptions),
      transaction: (work) => inner.transaction(work),
      openWriter: (table) => inner.openWriter(table),
      close: () => inner.close(),
    };
    return warehouse;
  },
  async planner() {
    return {
      dialect: new DuckDbDialect(),
      staging: (_settings, datasets) => datasets.map((dataset) => ({ dataset: dataset.name, comment: `rows into ${dataset.table.name}` })),
    };
  },
};

describe('a warehouse registered through the registry', () => {
  let unregister: () => void;
  const folder = tempFolder('sparkify-registry-');
  const ours = `rowduck:${join(folder, 'rows.duckdb')}`;
  const reference = `duckdb:${join(folder, 'reference.duckdb')}`;

  beforeAll(() => {
    unregister = registerWarehouse(rowDuckWarehouse);
  });
  afterAll(() => unregister());

  it('is parsed, described and listed by its scheme', () => {
    const target = parseWarehouseTarget(ours, 'flag');
    expect(target).toEqual({ kind: 'row-duck', path: join(folder, 'rows.duckdb') });
    expect(describeTarget(target)).toBe(ours);
    expect(() => parseWarehouseTarget('nosuch://x', 'flag')).toThrow(/expected duckdb:<file>, .* or rowduck:<file>$/);
    expect(() => loadSettings({ options: { warehouse: ours, schema: 'dev' }, env: {} })).toThrow(/not RowDuck$/);
  });

  it('refuses a second warehouse on a scheme already taken', () => {
    expect(() => registerWarehouse({ ...rowDuckWarehouse, kind: 'other' })).toThrow(/already answers to rowduck/);
  });

  it('runs the pipeline through its rows intake, with the same star schema and rejects as DuckDB', async () => {
    const summary = await run({ options: { source: TINY, warehouse: ours }, env: {}, cwd: TINY });
    await run({ options: { source: TINY, warehouse: reference }, env: {}, cwd: TINY });
    expect(summary.warehouse).toBe(ours);
    expect(summary.tables.songplays).toBeGreaterThan(0);
    expect(summary.events.read).toBe(summary.events.staged + summary.events.rejected);
    expect(await snapshotStar(ours)).toEqual(await snapshotStar(reference));
    expect(await snapshotLoadErrors(ours)).toEqual(await snapshotLoadErrors(reference));
  });

  it('plans through its own planner', async () => {
    const steps = await planRun(loadSettings({ options: { source: TINY, warehouse: ours }, env: {} }));
    expect(steps.filter((step) => step.stage === 'stage-songs').map((step) => step.comment)).toEqual(['rows into staging_songs']);
    expect(steps.some((step) => step.stage === 'publish' && step.sql?.startsWith('INSERT INTO'))).toBe(true);
  });
});
