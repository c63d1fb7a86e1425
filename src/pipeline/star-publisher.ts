/**
 * Builds and publishes the star schema from staging in one transaction, then measures it.
 */
import { STAR_TABLES } from '../schema/star-tables.js';
import { DAY_MS, emptyStatement, fillStatement, starTableBuilds, type SongplaySlices } from '../warehouses/sql/star-transform-sql.js';
import type { MatchMode } from '../warehouses/sql/match-sql.js';
import type { SqlDialect } from '../warehouses/sql/sql-dialect.js';
import type { Warehouse } from '../warehouses/warehouse.js';
import type { RunSummary } from './run-summary.js';

/** How `publishStarSchema` builds the tables, and what runs on them before they are published. */
export interface PublishOptions {
  /** How plays find their song (default exact). */
  readonly match?: MatchMode;
  /**
   * Runs inside the transaction once every table is filled, before the commit (write, audit, publish): a
   * throw rolls the transaction back, so the published tables stay exactly as they were.
   */
  readonly beforeCommit?: () => Promise<void>;
}

/** Replaces the star tables' contents with what staging holds; readers never see a half-built schema. */
export async function publishStarSchema(warehouse: Warehouse, options: PublishOptions = {}): Promise<void> {
  const { dialect } = warehouse;
  await warehouse.transaction(async () => {
    for (const build of starTableBuilds(dialect, { match: options.match })) {
      await warehouse.execute(emptyStatement(dialect, build));
      if (!build.slices) {
        await warehouse.execute(fillStatement(dialect, build, build.select));
        continue;
      }
      const { prepare, cleanup } = build.slices;
      for (const statement of prepare) await warehouse.execute(statement);
      for (const select of await sliceSelects(warehouse, build.slices)) {
        await warehouse.execute(fillStatement(dialect, build, select));
      }
      for (const statement of cleanup) await warehouse.execute(statement);
    }
    await options.beforeCommit?.();
  });
}

/**
 * The publish's statements as `publishStarSchema` sends them, inside its transaction, for `sparkify plan`:
 * a build made in slices shows its per-day count, then its INSERT once with the slice's bounds as
 * placeholders.
 */
export function plannedPublish(dialect: SqlDialect, match: MatchMode = 'exact'): { sql: string; comment?: string }[] {
  return starTableBuilds(dialect, { match }).flatMap((build) => {
    const empty = { sql: emptyStatement(dialect, build) };
    const { slices } = build;
    if (!slices) return [empty, { sql: fillStatement(dialect, build, build.select) }];
    return [
      empty,
      ...slices.prepare.map((sql) => ({ sql })),
      {
        sql: slices.playsPerDay,
        comment: `${build.table.name} is filled in slices of whole days of about ${slices.targetPlays.toLocaleString('en-US')} plays each, so each INSERT fits in memory`,
      },
      {
        sql: fillStatement(dialect, build, slices.select({ from: ':slice_start_ms', to: ':slice_end_ms', before: ':plays_before_slice' })),
        comment: 'Once per slice, in day order; each numbers its plays after those of the slices before it',
      },
      ...slices.cleanup.map((sql) => ({ sql })),
    ];
  });
}

/** The slices' SELECTs: runs of whole days of about `targetPlays` plays each, numbered one after another. */
async function sliceSelects(warehouse: Warehouse, slices: SongplaySlices): Promise<string[]> {
  const selects: string[] = [];
  let slice: { first: number; last: number; plays: number } | undefined;
  let before = 0;
  const close = () => {
    if (!slice) return;
    selects.push(slices.select({ from: String(slice.first * DAY_MS), to: String((slice.last + 1) * DAY_MS), before: String(before) }));
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
export async function measureStarSchema(warehouse: Warehouse): Promise<Pick<RunSummary, 'tables' | 'matchedSongplays' | 'matchedShare'>> {
  const counts = STAR_TABLES.map((table) => `(SELECT COUNT(*) FROM ${warehouse.dialect.quote(table.name)}) AS ${table.name}_rows`);
  const [row] = await warehouse.query(`SELECT ${counts.join(', ')}, (SELECT COUNT(song_id) FROM songplays) AS matched_rows`);
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
