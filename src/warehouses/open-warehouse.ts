/**
 * Opens the warehouse a target names, through its descriptor. Drivers load lazily, so a DuckDB user never
 * loads `pg`.
 */
import type { Warehouse, WarehouseOpenOptions, WarehouseTarget } from './warehouse.js';
import { descriptorOf } from './warehouse-registry.js';

/** Connects to `target`. The caller closes the result (see `withWarehouse`). */
export async function openWarehouse(target: WarehouseTarget, options: WarehouseOpenOptions = {}): Promise<Warehouse> {
  return descriptorOf(target).open(target, options);
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
