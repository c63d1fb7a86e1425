/**
 * The tables that make loads incremental and auditable: `sparkify_files`, the ledger of every source file
 * loaded (one row per file, replaced when the file changes), and `sparkify_runs`, one row per run. Both are
 * written in the transaction that publishes, so they never disagree with the data. The batch tables hold
 * one run's records until that transaction moves them into staging.
 */
import { LOAD_ERRORS, STAGING_EVENTS, STAGING_SONGS } from './staging-tables.js';
import type { TableSpec } from './table-spec.js';

/** Every source file loaded, with its change token and what its records became. */
export const SPARKIFY_FILES: TableSpec = {
  name: 'sparkify_files',
  role: 'ledger',
  columns: [
    { name: 'source_file', type: 'text', maxLength: 1024, notNull: true },
    { name: 'dataset', type: 'text', maxLength: 16, notNull: true },
    { name: 'size', type: 'bigint' },
    // Size and modification time for a local file, the ETag for an S3 object.
    { name: 'change_token', type: 'text', maxLength: 256, notNull: true },
    { name: 'records_read', type: 'bigint', notNull: true },
    { name: 'records_staged', type: 'bigint', notNull: true },
    { name: 'records_rejected', type: 'bigint', notNull: true },
    { name: 'run_id', type: 'bigint', notNull: true },
    { name: 'loaded_at', type: 'timestamp', notNull: true },
  ],
  primaryKey: ['source_file'],
  sortKey: ['source_file'],
};

/** One row per run: when, how, what it found and published; `details` holds the whole summary as JSON. */
export const SPARKIFY_RUNS: TableSpec = {
  name: 'sparkify_runs',
  role: 'ledger',
  columns: [
    { name: 'run_id', type: 'bigint', notNull: true },
    { name: 'started_at', type: 'timestamp', notNull: true },
    { name: 'finished_at', type: 'timestamp' },
    // succeeded, no-op or failed.
    { name: 'status', type: 'text', maxLength: 16, notNull: true },
    // incremental, full-refresh or backfill.
    { name: 'mode', type: 'text', maxLength: 16, notNull: true },
    { name: 'song_files_new', type: 'integer' },
    { name: 'song_files_changed', type: 'integer' },
    { name: 'song_files_unchanged', type: 'integer' },
    { name: 'song_files_removed', type: 'integer' },
    { name: 'event_files_new', type: 'integer' },
    { name: 'event_files_changed', type: 'integer' },
    { name: 'event_files_unchanged', type: 'integer' },
    { name: 'event_files_removed', type: 'integer' },
    { name: 'records_read', type: 'bigint' },
    { name: 'records_rejected', type: 'bigint' },
    { name: 'songplays', type: 'bigint' },
    { name: 'sparkify_version', type: 'text', maxLength: 32 },
    // The settings of the run, secrets masked.
    { name: 'settings', type: 'text', maxLength: 4096 },
    // Seconds per stage, as JSON.
    { name: 'seconds', type: 'text', maxLength: 1024 },
    { name: 'error', type: 'text', maxLength: 1024 },
    { name: 'details', type: 'text', maxLength: 65535 },
  ],
  primaryKey: ['run_id'],
  sortKey: ['run_id'],
};

/** The files a run (re)loads, listed before it publishes: the ledger rows it will write. */
export const BATCH_FILES: TableSpec = {
  name: 'batch_files',
  role: 'batch',
  columns: [
    { name: 'source_file', type: 'text', maxLength: 1024, notNull: true },
    { name: 'dataset', type: 'text', maxLength: 16, notNull: true },
    { name: 'size', type: 'bigint' },
    { name: 'change_token', type: 'text', maxLength: 256, notNull: true },
  ],
};

/** A staging table's batch twin: the same columns, filled by one run and moved into staging when it publishes. */
export function batchTable(table: TableSpec): TableSpec {
  return { ...table, name: `batch_${table.name}`, role: 'batch', primaryKey: undefined, bulk: table.role === 'staging' };
}

/** The batch twins of staging_events, staging_songs and load_errors. */
export const BATCH_EVENTS = batchTable(STAGING_EVENTS);
export const BATCH_SONGS = batchTable(STAGING_SONGS);
export const BATCH_ERRORS = batchTable(LOAD_ERRORS);
