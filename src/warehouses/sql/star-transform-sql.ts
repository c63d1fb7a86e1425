/**
 * The SQL that builds the star tables from staging, written once for every warehouse. The rules are
 * DATA.md's; each statement's comment says how it applies them. Text tie-breaks go through
 * `dialect.byteOrder` so every warehouse picks the same row whatever its collation.
 */
import { ARTISTS, SONGPLAYS, SONGS, TIME, USERS } from '../../schema/star-tables.js';
import { columnNames, type TableSpec } from '../../schema/table-spec.js';
import type { SqlDialect } from './sql-dialect.js';
import { userLevelsBuild } from './user-levels-sql.js';

/** One star table and the SELECT that produces all of its rows from staging (and, for time, from songplays). */
export interface StarTableBuild {
  readonly table: TableSpec;
  readonly columns: readonly string[];
  readonly select: string;
  /** Present when the warehouse builds the table in slices of event time (see `SongplaySlices`). */
  readonly slices?: SongplaySlices;
}

/**
 * Songplays built a slice of event time at a time, each slice small enough for the warehouse to number and
 * join in memory (DuckDB, whose window and join spill to disk when they hold every play at once). A slice is
 * a run of whole days, so plays with equal `ts` never straddle two slices and the numbering is the same.
 */
export interface SongplaySlices {
  /** About how many plays a slice holds. */
  readonly targetPlays: number;
  /** Rows of (day, plays), in day order; day d holds ts in [d * 86,400,000, (d + 1) * 86,400,000). */
  readonly playsPerDay: string;
  /** Run once before the slices: temporary tables that every slice reads rather than computes again. */
  readonly prepare: readonly string[];
  /** The SELECT for the plays with `from <= ts < to`, numbered after the `before` plays of earlier slices. */
  select(slice: SliceBounds): string;
  /** Run once after the slices: drops the tables of `prepare`. */
  readonly cleanup: readonly string[];
}

// Temporary tables of a sliced songplays build (see `SongplaySlices.prepare`).
const SLICE_SONG_MATCHES = 'songplay_song_matches';
const SLICE_EVENT_FILES = 'songplay_event_files';

// A condition on event time appended to a WHERE clause, for events aliased by the prefix given ('e.').
type SliceFilter = (e: string) => string;

/** A slice's bounds, as SQL: integer literals in a run, named placeholders in `sparkify plan`. */
export interface SliceBounds {
  readonly from: string;
  readonly to: string;
  readonly before: string;
}

/** A day of epoch milliseconds. */
export const DAY_MS = 86_400_000;

/** The builds of all star tables, in dependency order (time reads songplays). */
export function starTableBuilds(dialect: SqlDialect): StarTableBuild[] {
  const songplayColumns = dialect.capabilities.identitySongplayIds
    ? columnNames(SONGPLAYS).filter((name) => name !== 'songplay_id')
    : columnNames(SONGPLAYS);
  // Numbered in event order so the ids are the same on every run and every warehouse.
  const eventOrder = (e: string) => `${e}ts, ${e}session_id, ${e}item_in_session, ${dialect.byteOrder(`${e}source_file`)}, ${e}line_number`;
  const rowId = dialect.capabilities.identitySongplayIds ? undefined : dialect.capabilities.numbersSongplaysBy;
  // One song for each (title, artist name, duration) a play can name (see the songplays rule below).
  const songMatches = `SELECT title, artist_name, duration, song_id, artist_id
FROM (
  SELECT title, artist_name, duration, song_id, artist_id,
         ROW_NUMBER() OVER (
           PARTITION BY title, artist_name, duration
           ORDER BY ${dialect.byteOrder('song_id')}, ${dialect.byteOrder('artist_id')}
         ) AS pick
  FROM staging_songs
) candidates
WHERE pick = 1`;
  const inlineMatches = `(\n${indent(songMatches)}\n)`;
  // Every NextSong event (or those of one slice of event time) with its song from `matches`; `first` opens
  // the SELECT list.
  const playsSelect = (first: string, inSlice: SliceFilter, matches = inlineMatches) =>
    `SELECT ${first}${dialect.epochMillisToTimestamp('e.ts')} AS start_time,
       e.user_id, e.level, m.song_id, m.artist_id, e.session_id, e.location,
       CASE WHEN e.user_agent LIKE '"%"' THEN SUBSTRING(e.user_agent, 2, LENGTH(e.user_agent) - 2)
            ELSE e.user_agent END AS user_agent
FROM staging_events e
LEFT JOIN ${matches} m ON e.song = m.title AND e.artist = m.artist_name AND e.length = m.duration
WHERE e.page = 'NextSong'${inSlice('e.')}`;
  // With `numbersSongplaysBy`: the plays joined to their numbers, computed apart in a narrow subquery. The
  // numbers are joined to the plays already matched to their song, so the join's hash table holds the narrow
  // numbers and the wide plays (user agents, locations) stream past it. Numbered first and matched after,
  // DuckDB estimated the rowid join at 59,000 rows of 1.65 million, built the song join's hash table on the
  // wide plays and spilled: a slice of 1.65 million plays took 12 to 18 s of CPU; 7 s now, 6 s with the
  // `prepared` tables of the slices.
  const numberedSelect = (inSlice: SliceFilter, before: string, idColumn: string, prepared: boolean) => {
    const playColumns = songplayColumns.filter((name) => name !== 'songplay_id').map((name) => `plays.${name}`);
    const plays = playsSelect(`e.${idColumn} AS event_row, `, inSlice, prepared ? SLICE_SONG_MATCHES : undefined);
    const order = prepared ? 'e.ts, e.session_id, e.item_in_session, f.file_rank, e.line_number' : eventOrder('e.');
    const files = prepared ? `\n  JOIN ${SLICE_EVENT_FILES} f ON f.source_file = e.source_file` : '';
    return `SELECT ${before}ids.songplay_id AS songplay_id, ${playColumns.join(', ')}
FROM (
${plays}
) plays
JOIN (
  SELECT e.${idColumn} AS event_row, ROW_NUMBER() OVER (ORDER BY ${order}) AS songplay_id
  FROM staging_events e${files}
  WHERE e.page = 'NextSong'${inSlice('e.')}
) ids ON ids.event_row = plays.event_row`;
  };
  const songplaysSelect = (): string => {
    const all: SliceFilter = () => '';
    if (dialect.capabilities.identitySongplayIds) return playsSelect('', all);
    if (rowId) return numberedSelect(all, '', rowId, false);
    return playsSelect(`ROW_NUMBER() OVER (ORDER BY ${eventOrder('e.')}) AS songplay_id,\n       `, all);
  };
  const sliceTarget = rowId ? dialect.capabilities.songplaySlicePlays : undefined;
  const latestUser = dialect.argMax?.(['first_name', 'last_name', 'gender', 'level'], ['ts', 'source_file', 'line_number']);
  return [
    {
      table: SONGS,
      columns: columnNames(SONGS),
      // A song_id seen twice: the first record in file order wins.
      select: `SELECT song_id, title, artist_id, year, duration
FROM (
  SELECT song_id, title, artist_id, year, duration,
         ROW_NUMBER() OVER (PARTITION BY song_id ORDER BY ${dialect.recordOrder(['title', 'artist_id', 'year', 'duration'])}) AS pick
  FROM staging_songs
) ranked
WHERE pick = 1`,
    },
    {
      table: ARTISTS,
      columns: columnNames(ARTISTS),
      // Conflicting spellings or places for one artist_id: the most complete record wins (coordinates
      // known, then location known), then the first in file order.
      select: `SELECT artist_id, artist_name, artist_location, artist_latitude, artist_longitude
FROM (
  SELECT artist_id, artist_name, artist_location, artist_latitude, artist_longitude,
         ROW_NUMBER() OVER (
           PARTITION BY artist_id
           ORDER BY CASE WHEN artist_latitude IS NOT NULL AND artist_longitude IS NOT NULL THEN 0 ELSE 1 END,
                    CASE WHEN artist_location IS NOT NULL AND artist_location <> '' THEN 0 ELSE 1 END,
                    ${dialect.recordOrder(['artist_name', 'artist_location', 'artist_latitude', 'artist_longitude'])}
         ) AS pick
  FROM staging_songs
) ranked
WHERE pick = 1`,
    },
    {
      table: USERS,
      columns: columnNames(USERS),
      // Each user as of their latest NextSong event (ties: the later record in file order). A warehouse with
      // an arg-max aggregate takes the row with the greatest (ts, source_file, line_number) directly: those
      // tell events apart (a log file holds one record per line), so it is the same row.
      select: latestUser
        ? `SELECT user_id, latest.first_name, latest.last_name, latest.gender, latest.level
FROM (
  SELECT user_id, ${latestUser} AS latest
  FROM staging_events
  WHERE page = 'NextSong' AND user_id IS NOT NULL
  GROUP BY user_id
) latest_users`
        : `SELECT user_id, first_name, last_name, gender, level
FROM (
  SELECT user_id, first_name, last_name, gender, level,
         ROW_NUMBER() OVER (
           PARTITION BY user_id
           ORDER BY ts DESC, ${dialect.recordOrder(['level', 'first_name', 'last_name', 'gender'], true)}
         ) AS pick
  FROM staging_events
  WHERE page = 'NextSong' AND user_id IS NOT NULL
) ranked
WHERE pick = 1`,
    },
    {
      table: SONGPLAYS,
      columns: songplayColumns,
      // Every NextSong event, matched to a song on (title, artist name, duration). Where several songs
      // share that triple the lowest song_id is taken, so a play is never counted twice. The literal
      // quotes that wrap many userAgent values in the raw logs are removed.
      select: songplaysSelect(),
      slices:
        sliceTarget && rowId
          ? {
              targetPlays: sliceTarget,
              // The day in exact integer arithmetic (ts less its non-negative remainder is a multiple of a day).
              playsPerDay: `SELECT CAST((ts - MOD(MOD(ts, ${DAY_MS}) + ${DAY_MS}, ${DAY_MS})) / ${DAY_MS} AS BIGINT) AS day, COUNT(*) AS plays
FROM staging_events
WHERE page = 'NextSong'
GROUP BY 1
ORDER BY 1`,
              // Computed once for all slices: the song matches (0.6 s of CPU a slice at 1.65 million plays), and
              // each event file's rank in byte order, which the numbering sorts instead of the file's path:
              // without the paths (86 bytes each at L) a slice's numbering holds about 60 MB instead of 250 MB
              // and no longer spills.
              prepare: [
                `CREATE TEMPORARY TABLE ${SLICE_SONG_MATCHES} AS\n${songMatches}`,
                `CREATE TEMPORARY TABLE ${SLICE_EVENT_FILES} AS
SELECT source_file, ROW_NUMBER() OVER (ORDER BY ${dialect.byteOrder('source_file')}) AS file_rank
FROM (SELECT DISTINCT source_file FROM staging_events WHERE page = 'NextSong') files`,
              ],
              select: (slice) => {
                const inSlice: SliceFilter = (e) => ` AND ${e}ts >= ${slice.from} AND ${e}ts < ${slice.to}`;
                return numberedSelect(inSlice, `${slice.before} + `, rowId, true);
              },
              cleanup: [`DROP TABLE ${SLICE_SONG_MATCHES}`, `DROP TABLE ${SLICE_EVENT_FILES}`],
            }
          : undefined,
    },
    {
      table: TIME,
      columns: columnNames(TIME),
      // One row per distinct start time of a songplay; EXTRACT(WEEK) is the ISO week, DOW 0 = Sunday.
      select: `SELECT start_time,
       CAST(EXTRACT(HOUR FROM start_time) AS INTEGER) AS hour,
       CAST(EXTRACT(DAY FROM start_time) AS INTEGER) AS day,
       CAST(EXTRACT(WEEK FROM start_time) AS INTEGER) AS week,
       CAST(EXTRACT(MONTH FROM start_time) AS INTEGER) AS month,
       CAST(EXTRACT(YEAR FROM start_time) AS INTEGER) AS year,
       CAST(EXTRACT(DOW FROM start_time) AS INTEGER) AS weekday
FROM (SELECT DISTINCT start_time FROM songplays) starts`,
    },
    userLevelsBuild(dialect),
  ];
}

/**
 * The statements that publish the star schema: each table is emptied and refilled. The caller runs them
 * in one transaction, so readers see the old tables or the new ones, never a mix.
 */
export function publishStatements(dialect: SqlDialect): string[] {
  return starTableBuilds(dialect).flatMap((build) => [emptyStatement(dialect, build), fillStatement(dialect, build, build.select)]);
}

/** The DELETE that empties a star table before it is refilled. */
export function emptyStatement(dialect: SqlDialect, build: StarTableBuild): string {
  return `DELETE FROM ${dialect.quote(build.table.name)}`;
}

/** The INSERT that fills a star table from `select` (the build's, or one slice of it). */
export function fillStatement(dialect: SqlDialect, build: StarTableBuild, select: string): string {
  return `INSERT INTO ${dialect.quote(build.table.name)} (${build.columns.map((c) => dialect.quote(c)).join(', ')})\n${select}`;
}

function indent(sql: string): string {
  return sql.replace(/^/gm, '  ');
}
