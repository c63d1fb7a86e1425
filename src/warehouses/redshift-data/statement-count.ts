/**
 * How many statements a piece of SQL holds, as DuckDB's parser (derived from PostgreSQL's) splits it. For
 * warehouses whose own protocol does not promise to refuse several statements in one call (the Redshift Data
 * API documents ExecuteStatement as running "a SQL statement" but does not say it refuses more), so that a
 * read-only query cannot end its own read-only transaction with `; COMMIT; ...`. A statement DuckDB cannot
 * parse (Redshift-only syntax) gives `undefined`: the warehouse's own answer then decides.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckDBInstance } from '../duckdb/duckdb-node-api.js';

let parser: Promise<DuckDBConnection> | undefined;

/** The number of statements in `sql` (0 for only comments), or undefined when DuckDB cannot parse it. */
export async function countStatements(sql: string): Promise<number | undefined> {
  parser ??= DuckDBInstance.create(':memory:').then((instance) => instance.connect());
  try {
    return (await (await parser).extractStatements(sql)).count;
  } catch {
    return undefined;
  }
}
