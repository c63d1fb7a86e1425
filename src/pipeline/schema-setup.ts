/**
 * Creates the product's tables. `create-tables` drops and recreates everything (the classic
 * create_tables.py); a run recreates only staging and load_errors and keeps the star tables, so a failed
 * run leaves the published schema exactly as it was.
 */
import { CHECK_FAILURES } from '../schema/check-tables.js';
import { LOAD_ERRORS, STAGING_EVENTS, STAGING_SONGS } from '../schema/staging-tables.js';
import { STAR_TABLES } from '../schema/star-tables.js';
import type { SqlDialect } from '../warehouses/sql/sql-dialect.js';

const LOAD_TABLES = [STAGING_EVENTS, STAGING_SONGS, LOAD_ERRORS];

/** Statements that drop and create every table: staging, load_errors, the star tables and check_failures. */
export function resetSchemaStatements(dialect: SqlDialect): string[] {
  const all = [...LOAD_TABLES, ...STAR_TABLES, CHECK_FAILURES];
  return [...all.map((table) => dialect.dropTable(table)), ...all.map((table) => dialect.createTable(table, { ifNotExists: false }))];
}

/** Statements that start a load: fresh staging and load_errors; star tables and check_failures created if missing. */
export function prepareLoadStatements(dialect: SqlDialect): string[] {
  return [
    ...LOAD_TABLES.map((table) => dialect.dropTable(table)),
    ...LOAD_TABLES.map((table) => dialect.createTable(table, { ifNotExists: false })),
    ...STAR_TABLES.map((table) => dialect.createTable(table, { ifNotExists: true })),
    dialect.createTable(CHECK_FAILURES, { ifNotExists: true }),
  ];
}
