/**
 * Reads whole tables in a canonical order, as JSON-ready rows, so tables from different runs or different
 * warehouses can be compared row by row.
 */
import { query } from '../../src/pipeline/query.js';

/** The star tables and the columns that order each one completely. */
export const STAR_ORDER: Readonly<Record<string, string>> = {
  songplays: 'songplay_id',
  users: 'user_id',
  songs: 'song_id',
  artists: 'artist_id',
  time: 'start_time',
  user_levels: 'user_id, valid_from',
};

/** Every row of every star table of `warehouse`, keyed by table. */
export async function snapshotStar(warehouse: string): Promise<Record<string, Record<string, unknown>[]>> {
  const snapshot: Record<string, Record<string, unknown>[]> = {};
  for (const [table, order] of Object.entries(STAR_ORDER)) {
    snapshot[table] = await query(`SELECT * FROM ${table} ORDER BY ${order}`, { options: { warehouse }, env: {} });
  }
  return snapshot;
}

/** Every row of load_errors, in file and line order. */
export async function snapshotLoadErrors(warehouse: string): Promise<Record<string, unknown>[]> {
  return query('SELECT source_file, line_number, raw_record, error, dataset FROM load_errors ORDER BY source_file, line_number', {
    options: { warehouse },
    env: {},
  });
}
