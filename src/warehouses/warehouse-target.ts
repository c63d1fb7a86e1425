/**
 * Which warehouse to use, parsed from `--warehouse` (or config) by the descriptor its URL scheme names (see
 * `warehouse-registry.ts`): `duckdb:<path>`, `postgres://user:password@host:port/db` (or `postgresql://`),
 * `postgres:` alone for the server named by the PG* environment variables, `redshift://user:password@host:5439/db`,
 * or Redshift's Data API: `redshift-data://cluster/<cluster-id>/<db>?db_user=<user>`.
 */
import { ConfigError } from '../errors.js';
import { redactUrl } from './url-redaction.js';
import { descriptorForScheme, descriptorOf, warehouseDescriptors } from './warehouse-registry.js';
import type { WarehouseTarget } from './warehouse.js';

export type { WarehouseTarget } from './warehouse.js';
export type { DuckDbTarget } from './duckdb/duckdb-descriptor.js';
export type { ServerTarget } from './postgres/postgres-target.js';
export type { DataApiTarget } from './redshift-data/data-api-target.js';
export { redactUrl } from './url-redaction.js';

/** The default: `sparkify.duckdb` in the working directory. */
export const DEFAULT_WAREHOUSE = 'duckdb:sparkify.duckdb';

/**
 * Parses a warehouse URL. `origin` names where the value came from (a flag, a variable, a config key), so
 * an error can say which one to fix.
 */
export function parseWarehouseTarget(value: string, origin: string): WarehouseTarget {
  const trimmed = value.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1];
  const descriptor = scheme === undefined ? undefined : descriptorForScheme(scheme);
  if (descriptor) return descriptor.parse(trimmed, origin);
  const examples = warehouseDescriptors().map((known) => known.example);
  const expected = examples.length > 1 ? `${examples.slice(0, -1).join(', ')} or ${examples.at(-1)}` : (examples[0] ?? '');
  throw new ConfigError(`${origin}: "${redactUrl(trimmed)}" is not a warehouse URL; expected ${expected}`);
}

/** A printable name for `target` with no secret in it. */
export function describeTarget(target: WarehouseTarget): string {
  return descriptorOf(target).describe(target);
}

/** The secrets `target` holds (a password), for masking wherever they might appear. */
export function targetSecrets(target: WarehouseTarget): string[] {
  return descriptorOf(target).secrets(target);
}
