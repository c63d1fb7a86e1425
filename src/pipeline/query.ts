/**
 * Read-only queries against the warehouse, for `sparkify query` and for programs.
 */
import { ConfigError, QueryError } from '../errors.js';
import { loadSettings, type LoadSettingsInput, type Settings } from '../config/settings.js';
import { withWarehouse } from '../warehouses/open-warehouse.js';
import { rowObjects, uniqueColumnNames } from '../warehouses/query-table.js';
import type { QueryTable, ResultRow } from '../warehouses/warehouse.js';

/** Options of `query`. */
export interface QueryOptions extends LoadSettingsInput {
  readonly settings?: Settings;
}

/**
 * Runs `sql` (exactly one statement) on a read-only connection and returns plain JSON-ready rows:
 * timestamps as ISO strings, big integers as numbers when they fit (as strings otherwise). Columns of the
 * same name are all kept: the second `count` becomes `count_2`, and so on (`uniqueColumnNames`).
 *
 * @example
 * const rows = await query('select count(*) as plays from songplays');
 */
export async function query(sql: string, options: QueryOptions = {}): Promise<Record<string, unknown>[]> {
  return (await queryWithColumns(sql, options)).rows;
}

/** A query's result with its column names, which an empty result still has (`sparkify query` prints them). */
export interface QueryResult {
  /** As the row objects name them (`uniqueColumnNames`). */
  readonly columns: string[];
  readonly rows: Record<string, unknown>[];
}

/** `query`, with the result's column names too. */
export async function queryWithColumns(sql: string, options: QueryOptions = {}): Promise<QueryResult> {
  // DuckDB answers an empty statement with "Error in native callback": said in words instead, before opening.
  if (/^[\s;]*$/.test(sql)) {
    throw new ConfigError('The query is empty: give one SQL statement, for example sparkify query "select count(*) from songplays"');
  }
  const settings = options.settings ?? loadSettings(options);
  return withWarehouse(settings.warehouse, { readOnly: true }, async (warehouse) => {
    let table: QueryTable;
    try {
      table = await warehouse.queryTable(sql);
    } catch (error) {
      if (error instanceof QueryError) throw error;
      throw new QueryError(`Query failed: ${(error as Error).message}`, { cause: error });
    }
    return { columns: uniqueColumnNames(table.columns), rows: rowObjects(table).map(toJsonRow) };
  });
}

/** Converts one row's values to JSON-friendly ones. */
export function toJsonRow(row: ResultRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) out[key] = toJsonValue(value);
  return out;
}

function toJsonValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, toJsonValue(inner)]));
  }
  return value;
}
