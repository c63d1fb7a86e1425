/**
 * The warehouses every shared suite runs against. DuckDB always runs in-process; PostgreSQL joins when the
 * harness has a server (see postgres-server.ts). Filter with SPARKIFY_TEST_WAREHOUSES=duckdb,postgres.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A warehouse a test can load into: `fresh()` returns the `--warehouse` URL of an empty one. */
export interface TestWarehouse {
  readonly name: string;
  fresh(): string;
}

let counter = 0;

const DUCKDB: TestWarehouse = {
  name: 'duckdb',
  fresh: () => `duckdb:${join(mkdtempSync(join(tmpdir(), 'sparkify-test-')), `warehouse-${++counter}.duckdb`)}`,
};

/** The warehouses to run shared suites against. */
export function testWarehouses(): TestWarehouse[] {
  const all = [DUCKDB];
  const wanted = process.env.SPARKIFY_TEST_WAREHOUSES?.split(',').map((name) => name.trim());
  return wanted ? all.filter((warehouse) => wanted.includes(warehouse.name)) : all;
}

/** A fresh temporary folder. */
export function tempFolder(prefix = 'sparkify-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
