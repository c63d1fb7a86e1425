/**
 * The DuckDB warehouse, as the registry knows it: `duckdb:<file>` (or `duckdb:///path`), the embedded
 * default. The driver loads only when a warehouse is opened.
 */
import { ConfigError } from '../../errors.js';
import { streamedStaging } from '../streamed-staging-plan.js';
import type { WarehouseDescriptor } from '../warehouse-descriptor.js';
import type { WarehouseTarget } from '../warehouse.js';

/** A DuckDB database file (or `:memory:`). */
export interface DuckDbTarget extends WarehouseTarget {
  readonly kind: 'duckdb';
  readonly path: string;
}

/** The DuckDB descriptor; see the module comment. */
export const duckDbWarehouse: WarehouseDescriptor<DuckDbTarget> = {
  kind: 'duckdb',
  title: 'DuckDB',
  schemes: ['duckdb'],
  example: 'duckdb:<file>',
  settings: [],
  parse(value, origin) {
    const path = value
      .trim()
      .replace(/^duckdb:/i, '')
      .replace(/^\/\//, '');
    if (path === '') throw new ConfigError(`${origin}: "duckdb:" needs a file path, as in duckdb:sparkify.duckdb`);
    return { kind: 'duckdb', path };
  },
  describe: (target) => `duckdb:${target.path}`,
  secrets: () => [],
  async open(target, options) {
    const { openDuckDbWarehouse } = await import('./duckdb-warehouse.js');
    return openDuckDbWarehouse({ ...options, path: target.path });
  },
  async planner() {
    const { DuckDbDialect } = await import('./duckdb-dialect.js');
    return {
      dialect: new DuckDbDialect(),
      staging: (settings, datasets) =>
        streamedStaging(settings, datasets, {
          load: () => undefined,
          errors: "DuckDB's Appender",
          rows: (table) =>
            `into Parquet segment files, which DuckDB loads with INSERT INTO ${table.name} SELECT ... FROM read_parquet([...])`,
        }),
    };
  },
};
