/**
 * Creates the product's tables. `create-tables` drops and recreates everything (the classic
 * create_tables.py), the ledger and the runs included; a run creates what is missing and keeps the rest, so
 * a failed run leaves the published schema, staging and the ledger exactly as they were.
 */
import { BATCH_ERRORS, BATCH_EVENTS, BATCH_FILES, BATCH_SONGS, SPARKIFY_FILES, SPARKIFY_RUNS } from '../schema/ledger-tables.js';
import { CHECK_FAILURES } from '../schema/check-tables.js';
import { LOAD_ERRORS, STAGING_EVENTS, STAGING_SONGS } from '../schema/staging-tables.js';
import { STAR_TABLES } from '../schema/star-tables.js';
import type { TableSpec } from '../schema/table-spec.js';
import type { SqlDialect } from '../warehouses/sql/sql-dialect.js';

const LOAD_TABLES = [STAGING_EVENTS, STAGING_SONGS, LOAD_ERRORS];
// What runs leave behind: the failing rows of the latest checks, the ledger of files, the runs.
const LEDGER_TABLES = [CHECK_FAILURES, SPARKIFY_FILES, SPARKIFY_RUNS];
const BATCH_TABLES = [BATCH_FILES, BATCH_SONGS, BATCH_EVENTS, BATCH_ERRORS];

/** Statements that drop and create every table, and the names of the tables they create. */
export function resetSchemaStatements(dialect: SqlDialect): { statements: string[]; tables: string[] } {
  const all: TableSpec[] = [...LOAD_TABLES, ...STAR_TABLES, ...LEDGER_TABLES];
  return {
    statements: [
      ...[...all, ...BATCH_TABLES].map((table) => dialect.dropTable(table)),
      ...all.map((table) => dialect.createTable(table, { ifNotExists: false })),
    ],
    tables: all.map((table) => table.name),
  };
}

/**
 * Statements that start a run: every table created if missing. With `storage` (a warehouse that COPYs the
 * whole source into staging itself), staging and load_errors are recreated empty first, and the ledger of
 * files is emptied.
 */
export function prepareLoadStatements(dialect: SqlDialect, options: { storage: boolean } = { storage: false }): string[] {
  const fresh = options.storage
    ? [
        ...LOAD_TABLES.map((table) => dialect.dropTable(table)),
        ...LOAD_TABLES.map((table) => dialect.createTable(table, { ifNotExists: false })),
      ]
    : LOAD_TABLES.map((table) => dialect.createTable(table, { ifNotExists: true }));
  const created = [...fresh, ...[...STAR_TABLES, ...LEDGER_TABLES].map((table) => dialect.createTable(table, { ifNotExists: true }))];
  // Staging is rebuilt from the whole source, without a file per row: a ledger left by earlier staged runs
  // would no longer describe it, so it is emptied, and the next staged run loads everything again.
  return options.storage ? [...created, `DELETE FROM ${dialect.quote(SPARKIFY_FILES.name)}`] : created;
}

/** Statements that create the batch tables empty (dropping a dead run's), or drop them after a publish. */
export function batchStatements(dialect: SqlDialect, action: 'create' | 'drop'): string[] {
  const drops = BATCH_TABLES.map((table) => dialect.dropTable(table));
  return action === 'drop' ? drops : [...drops, ...BATCH_TABLES.map((table) => dialect.createTable(table, { ifNotExists: false }))];
}
