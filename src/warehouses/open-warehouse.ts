/**
 * Opens the warehouse a target names, through its descriptor. Drivers load lazily, so a DuckDB user never
 * loads `pg`.
 */
import { cleanUpAfter } from '../errors.js';
import type { Warehouse, WarehouseOpenOptions, WarehouseTarget } from './warehouse.js';
import { descriptorOf } from './warehouse-registry.js';

/** Connects to `target`. The caller closes the result (see `withWarehouse`). */
export async function openWarehouse(target: WarehouseTarget, options: WarehouseOpenOptions = {}): Promise<Warehouse> {
  return descriptorOf(target).open(target, options);
}

/**
 * Opens `target` for reading only, as `sparkify query` does; for the dashboard and other readers. It holds:
 * DuckDB opens the file READ_ONLY with external access off and its configuration locked (no COPY ... TO,
 * EXPORT, ATTACH, INSTALL, LOAD, or SET lifting that), PostgreSQL and Redshift run each `queryTable` in a
 * read-only transaction. Query sessions have their own memory limit (DuckDB: 1GB), not the loader's.
 */
export function openReadOnlyWarehouse(target: WarehouseTarget): Promise<Warehouse> {
  return openWarehouse(target, { readOnly: true });
}

/** Opens `target`, runs `work` with it and always closes it. */
export async function withWarehouse<T>(
  target: WarehouseTarget,
  options: WarehouseOpenOptions,
  work: (warehouse: Warehouse) => Promise<T>,
): Promise<T> {
  const warehouse = await openWarehouse(target, options);
  let result: T;
  try {
    result = await work(warehouse);
  } catch (error) {
    // A failure to close must not hide the failure of the work.
    return cleanUpAfter(error, () => warehouse.close());
  }
  await warehouse.close();
  return result;
}
