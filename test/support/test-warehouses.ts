/**
 * The warehouses every shared suite runs against. DuckDB always runs in-process; PostgreSQL joins when the
 * harness has a server (global-setup.ts starts one, or SPARKIFY_TEST_PG_URL names one). Filter with
 * SPARKIFY_TEST_WAREHOUSES=duckdb,postgres.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';

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

/** The test server's superuser URL, or undefined when PostgreSQL is not under test. */
export function testPostgresUrl(): string | undefined {
  return inject('postgresUrl') || undefined;
}

/**
 * A schema name no other test (in this worker, in other workers, or in an earlier run on the same server)
 * uses; global teardown drops them all from a server that outlives the run.
 */
export function uniqueTestSchema(): string {
  return `${inject('postgresSchemaPrefix')}${process.pid}_${++counter}`;
}

/** `url` with `?schema=` set to `schema`. */
export function withSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('schema', schema);
  return parsed.toString();
}

const POSTGRES: TestWarehouse = {
  name: 'postgres',
  // One database for the whole run; each fresh warehouse is a schema of its own, so tests stay isolated.
  fresh: () => withSchema(testPostgresUrl()!, uniqueTestSchema()),
};

/** The warehouses to run shared suites against. */
export function testWarehouses(): TestWarehouse[] {
  const all = testPostgresUrl() ? [DUCKDB, POSTGRES] : [DUCKDB];
  const wanted = process.env.SPARKIFY_TEST_WAREHOUSES?.split(',').map((name) => name.trim());
  return wanted ? all.filter((warehouse) => wanted.includes(warehouse.name)) : all;
}

/** A fresh temporary folder. */
export function tempFolder(prefix = 'sparkify-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
