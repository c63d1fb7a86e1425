/**
 * DuckDB's node API, loaded with `require`. The package is CommonJS and its index re-exports about a hundred
 * modules: imported from ESM, Node first scans each of them for its exports (cjs-module-lexer). Measured on
 * Node 20, loading it took 0.26-0.31 s by `import` and 0.12-0.13 s by `require`, at the start of every
 * command that opens DuckDB. Types still come from `import type`, which costs nothing at run time.
 */
import { createRequire } from 'node:module';

const nodeApi = createRequire(import.meta.url)('@duckdb/node-api') as typeof import('@duckdb/node-api');

/** DuckDB's database instance class (`DuckDBInstance.create(path, options)`). */
export const { DuckDBInstance } = nodeApi;
/** An open DuckDB database. */
export type DuckDBInstance = import('@duckdb/node-api').DuckDBInstance;
