/**
 * Opens the warehouse a target names. Drivers load lazily, so a DuckDB user never loads `pg`.
 */
import type { Warehouse, WarehouseOpenOptions } from './warehouse.js';
import type { WarehouseTarget } from './warehouse-target.js';

/** Connects to `target`. The caller closes the result (see `withWarehouse`). */
export async function openWarehouse(target: WarehouseTarget, options: WarehouseOpenOptions = {}): Promise<Warehouse> {
  switch (target.kind) {
    case 'duckdb': {
      const { openDuckDbWarehouse } = await import('./duckdb/duckdb-warehouse.js');
      return openDuckDbWarehouse({ ...options, path: target.path });
    }
    case 'postgres': {
      const { openPostgresWarehouse } = await import('./postgres/postgres-warehouse.js');
      return openPostgresWarehouse(target, options);
    }
    case 'redshift': {
      const { openRedshiftWarehouse } = await import('./redshift/redshift-warehouse.js');
      return openRedshiftWarehouse(target, options);
    }
    case 'redshift-data': {
      const { openDataApiWarehouse } = await import('./redshift-data/data-api-warehouse.js');
      return openDataApiWarehouse(target, options);
    }
  }
}

/** Opens `target`, runs `work` with it and always closes it. */
export async function withWarehouse<T>(
  target: WarehouseTarget,
  options: WarehouseOpenOptions,
  work: (warehouse: Warehouse) => Promise<T>,
): Promise<T> {
  const warehouse = await openWarehouse(target, options);
  try {
    return await work(warehouse);
  } finally {
    await warehouse.close();
  }
}
