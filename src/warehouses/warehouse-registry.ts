/**
 * Every kind of warehouse the product knows, one line each. To add one: a folder under `warehouses/` whose
 * descriptor (`warehouse-descriptor.ts`) goes on the list below; a program may also register its own with
 * `registerWarehouse`.
 */
import { ConfigError } from '../errors.js';
import { duckDbWarehouse } from './duckdb/duckdb-descriptor.js';
import { postgresWarehouse } from './postgres/postgres-descriptor.js';
import { redshiftWarehouse } from './redshift/redshift-descriptor.js';
import { redshiftDataWarehouse } from './redshift-data/redshift-data-descriptor.js';
import type { WarehouseDescriptor } from './warehouse-descriptor.js';
import type { WarehouseTarget } from './warehouse.js';

const WAREHOUSES: WarehouseDescriptor[] = [
  duckDbWarehouse as WarehouseDescriptor,
  postgresWarehouse as WarehouseDescriptor,
  redshiftWarehouse as WarehouseDescriptor,
  redshiftDataWarehouse as WarehouseDescriptor,
];

/** The known warehouses, in the order messages list them. */
export function warehouseDescriptors(): readonly WarehouseDescriptor[] {
  return WAREHOUSES;
}

/**
 * Adds a kind of warehouse (its kind and schemes must be new); returns a function that removes it again.
 *
 * @example
 * const unregister = registerWarehouse(myWarehouse);
 */
export function registerWarehouse<T extends WarehouseTarget>(descriptor: WarehouseDescriptor<T>): () => void {
  const taken = WAREHOUSES.find(
    (known) => known.kind === descriptor.kind || known.schemes.some((scheme) => descriptor.schemes.includes(scheme)),
  );
  if (taken) throw new Error(`A warehouse of kind "${taken.kind}" already answers to ${taken.schemes.join(', ')}`);
  const entry = descriptor as unknown as WarehouseDescriptor;
  WAREHOUSES.push(entry);
  return () => {
    const at = WAREHOUSES.indexOf(entry);
    if (at >= 0) WAREHOUSES.splice(at, 1);
  };
}

/** The descriptor for URLs of `scheme`, if any. */
export function descriptorForScheme(scheme: string): WarehouseDescriptor | undefined {
  const lower = scheme.toLowerCase();
  return WAREHOUSES.find((descriptor) => descriptor.schemes.includes(lower));
}

/** The descriptor that parsed `target`. */
export function descriptorOf(target: WarehouseTarget): WarehouseDescriptor {
  const descriptor = WAREHOUSES.find((known) => known.kind === target.kind);
  if (!descriptor) throw new ConfigError(`No warehouse of kind "${target.kind}" is registered`);
  return descriptor;
}
