/**
 * Builds and publishes the star schema from staging in one transaction, then measures it.
 */
import { STAR_TABLES } from '../schema/star-tables.js';
import { DAY_MS, emptyStatement, fillStatement, starTableBuilds, type SongplaySlices } from '../warehouses/sql/star-transform-sql.js';
import type { Warehouse } from '../warehouses/warehouse.js';
import type { RunSummary } from './run-summary.js';

/** Replaces the star tables' contents with what staging holds; readers never see a half-built schema. */
export async function publishStarSchema(warehouse: Warehouse): Promise<void> {
  const { dialect } = warehouse;
  await warehouse.transaction(async () => {
    for (const build of starTableBuilds(dialect)) {
      await warehouse.execute(emptyStatement(dialect, build));
      const selects = build.slices ? await sliceSelects(warehouse, build.slices) : [build.select];
      for (const select of selects) await warehouse.execute(fillStatement(dialect, build, select));
    }
  });
}

/** The slices' SELECTs: runs of whole days of about `targetPlays` plays each, numbered one after another. */
async function sliceSelects(warehouse: Warehouse, slices: SongplaySlices): Promise<string[]> {
  const selects: string[] = [];
  let slice: { first: number; last: number; plays: number } | undefined;
  let before = 0;
  const close = () => {
    if (!slice) return;
    selects.push(slices.select({ from: slice.first * DAY_MS, to: (slice.last + 1) * DAY_MS, before }));
    before += slice.plays;
  };
  for (const row of await warehouse.query(slices.playsPerDay)) {
    const day = Number(row.day);
    const plays = Number(row.plays);
    if (slice && slice.plays < slices.targetPlays) {
      slice.last = day;
      slice.plays += plays;
    } else {
      close();
      slice = { first: day, last: day, plays };
    }
  }
  close();
  return selects;
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
