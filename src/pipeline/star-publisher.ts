/**
 * Builds and publishes the star schema from staging in one transaction, then measures it.
 */
import { STAR_TABLES } from '../schema/star-tables.js';
import { publishStatements } from '../warehouses/sql/star-transform-sql.js';
import type { Warehouse } from '../warehouses/warehouse.js';
import type { RunSummary } from './run-summary.js';

/** Replaces the star tables' contents with what staging holds; readers never see a half-built schema. */
export async function publishStarSchema(warehouse: Warehouse): Promise<void> {
  const statements = publishStatements(warehouse.dialect);
  await warehouse.transaction(async () => {
    for (const statement of statements) await warehouse.execute(statement);
  });
}

/** Row counts of the star tables and how many songplays found their song. */
export async function measureStarSchema(
  warehouse: Warehouse,
): Promise<Pick<RunSummary, 'tables' | 'matchedSongplays' | 'matchedShare'>> {
  const counts = STAR_TABLES.map((table) => `(SELECT COUNT(*) FROM ${warehouse.dialect.quote(table.name)}) AS ${table.name}_rows`);
  const [row] = await warehouse.query(
    `SELECT ${counts.join(', ')}, (SELECT COUNT(song_id) FROM songplays) AS matched_rows`,
  );
  const number = (name: string) => Number(row?.[`${name}_rows`] ?? 0);
  const tables = {
    songplays: number('songplays'),
    users: number('users'),
    songs: number('songs'),
    artists: number('artists'),
    time: number('time'),
  };
  const matchedSongplays = number('matched');
  return { tables, matchedSongplays, matchedShare: tables.songplays === 0 ? 0 : matchedSongplays / tables.songplays };
}

/** Rows in a staging table, to reconcile what the reader counted with what the warehouse holds. */
export async function countRows(warehouse: Warehouse, table: string): Promise<number> {
  const [row] = await warehouse.query(`SELECT COUNT(*) AS n FROM ${warehouse.dialect.quote(table)}`);
  return Number(row?.n ?? 0);
}
