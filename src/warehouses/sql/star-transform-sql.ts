/**
 * The SQL that builds the star tables from staging, written once for every warehouse. The rules are
 * DATA.md's; each statement's comment says how it applies them. Text tie-breaks go through
 * `dialect.byteOrder` so every warehouse picks the same row whatever its collation.
 *
 * Every build is a pure function of staging, and each one can be *scoped* to some of its keys (songs of some
 * song_ids, users of some user_ids, plays of some events): an incremental publish deletes the rows of the
 * keys a load touched and inserts them again from the scoped build, which gives the very rows a full build
 * would (`star-publisher.ts`).
 */
import { ARTISTS, SONGPLAYS, SONGS, TIME, USERS } from '../../schema/star-tables.js';
import { columnNames } from '../../schema/table-spec.js';
import { matchConditionSql, songMatchesSql, type MatchMode } from './match-sql.js';
import type { SqlDialect } from './sql-dialect.js';
import type { StarTableBuild } from './star-table-build.js';
import { userLevelsBuild } from './user-levels-sql.js';

export type { StarTableBuild } from './star-table-build.js';

/** The columns that identify one play in staging; its songplay_id is a hash of them (see `songplayId`). */
export const PLAY_IDENTITY = ['ts', 'user_id', 'session_id', 'item_in_session', 'source_file', 'line_number'] as const;

/**
 * A play's songplay_id, from the play itself: 60 bits of the MD5 of its event's identity (time, user,
 * session, item, the file's name and the line). A play keeps its id whatever else is loaded before or after
 * it, so incremental loads and a full reload agree without renumbering; the file's name without its folders
 * makes the id the same whether the logs are read from a folder or from S3. `e` is the events' alias.
 * Two plays share an id only by a hash collision: about 1 in 10^6 for 1.5 million plays, 1 in 2 x 10^4 for
 * 10 million; the songplays primary-key check would catch it.
 */
export function songplayId(dialect: SqlDialect, e: string): string {
  return dialect.hashToBigint(
    PLAY_IDENTITY.map((column) => (column === 'source_file' ? dialect.baseName(`${e}${column}`) : `${e}${column}`)),
  );
}

/** The builds of the five star tables, in dependency order (time reads songplays); plays find songs by `match`. */
export function starTableBuilds(dialect: SqlDialect, { match = 'exact' }: { match?: MatchMode } = {}): StarTableBuild[] {
  const where = (conditions: readonly (string | undefined)[]) => {
    const present = conditions.filter((condition): condition is string => Boolean(condition));
    return present.length === 0 ? '' : `\n  WHERE ${present.join('\n    AND ')}`;
  };
  const latestUser = dialect.argMax?.(['first_name', 'last_name', 'gender', 'level'], ['ts', 'source_file', 'line_number']);
  return [
    {
      table: SONGS,
      columns: columnNames(SONGS),
      // A song_id seen twice: the first record in file order wins.
      select: (scope, source = 'staging_songs') => `SELECT song_id, title, artist_id, year, duration
FROM (
  SELECT song_id, title, artist_id, year, duration,
         ROW_NUMBER() OVER (PARTITION BY song_id ORDER BY ${dialect.recordOrder(['title', 'artist_id', 'year', 'duration'])}) AS pick
  FROM ${source}${where([scope])}
) ranked
WHERE pick = 1`,
    },
    {
      table: ARTISTS,
      columns: columnNames(ARTISTS),
      // Conflicting spellings or places for one artist_id: the most complete record wins (coordinates
      // known, then location known), then the first in file order.
      select: (scope, source = 'staging_songs') => `SELECT artist_id, artist_name, artist_location, artist_latitude, artist_longitude
FROM (
  SELECT artist_id, artist_name, artist_location, artist_latitude, artist_longitude,
         ROW_NUMBER() OVER (
           PARTITION BY artist_id
           ORDER BY CASE WHEN artist_latitude IS NOT NULL AND artist_longitude IS NOT NULL THEN 0 ELSE 1 END,
                    CASE WHEN artist_location IS NOT NULL AND artist_location <> '' THEN 0 ELSE 1 END,
                    ${dialect.recordOrder(['artist_name', 'artist_location', 'artist_latitude', 'artist_longitude'])}
         ) AS pick
  FROM ${source}${where([scope])}
) ranked
WHERE pick = 1`,
    },
    {
      table: USERS,
      columns: columnNames(USERS),
      // Each user as of their latest NextSong event (ties: the later record in file order). A warehouse with
      // an arg-max aggregate takes the row with the greatest (ts, source_file, line_number) directly: those
      // tell events apart (a log file holds one record per line), so it is the same row.
      select: (scope, source = 'staging_events') =>
        latestUser
          ? `SELECT user_id, latest.first_name, latest.last_name, latest.gender, latest.level
FROM (
  SELECT user_id, ${latestUser} AS latest
  FROM ${source}${where(["page = 'NextSong'", 'user_id IS NOT NULL', scope])}
  GROUP BY user_id
) latest_users`
          : `SELECT user_id, first_name, last_name, gender, level
FROM (
  SELECT user_id, first_name, last_name, gender, level,
         ROW_NUMBER() OVER (
           PARTITION BY user_id
           ORDER BY ts DESC, ${dialect.recordOrder(['level', 'first_name', 'last_name', 'gender'], true)}
         ) AS pick
  FROM ${source}${where(["page = 'NextSong'", 'user_id IS NOT NULL', scope])}
) ranked
WHERE pick = 1`,
    },
    {
      table: SONGPLAYS,
      columns: columnNames(SONGPLAYS),
      // Every NextSong event, matched to a song on (title, artist name, duration), as `match` compares
      // them (match-sql.ts). Where several songs share that triple the lowest song_id is taken, so a play is never counted twice. The literal
      // quotes that wrap many userAgent values in the raw logs are removed.
      select: (scope, source = 'staging_events') => `SELECT ${songplayId(dialect, 'e.')} AS songplay_id,
       ${dialect.epochMillisToTimestamp('e.ts')} AS start_time,
       e.user_id, e.level, m.song_id, m.artist_id, e.session_id, e.location,
       CASE WHEN e.user_agent LIKE '"%"' THEN SUBSTRING(e.user_agent, 2, LENGTH(e.user_agent) - 2)
            ELSE e.user_agent END AS user_agent
FROM ${source} e
LEFT JOIN (
${indent(songMatchesSql(dialect, match))}
) m ON ${matchConditionSql(match)}${where(["e.page = 'NextSong'", scope]).replace('\n  WHERE', '\nWHERE')}`,
    },
    {
      table: TIME,
      columns: columnNames(TIME),
      // One row per distinct start time of a songplay; EXTRACT(WEEK) is the ISO week, DOW 0 = Sunday.
      select: (scope, source = 'songplays') => `SELECT start_time,
       CAST(EXTRACT(HOUR FROM start_time) AS INTEGER) AS hour,
       CAST(EXTRACT(DAY FROM start_time) AS INTEGER) AS day,
       CAST(EXTRACT(WEEK FROM start_time) AS INTEGER) AS week,
       CAST(EXTRACT(MONTH FROM start_time) AS INTEGER) AS month,
       CAST(EXTRACT(YEAR FROM start_time) AS INTEGER) AS year,
       CAST(EXTRACT(DOW FROM start_time) AS INTEGER) AS weekday
FROM (SELECT DISTINCT start_time FROM ${source}${where([scope])}) starts`,
    },
    userLevelsBuild(dialect),
  ];
}

/** The DELETE that empties a star table before it is refilled. */
export function emptyStatement(dialect: SqlDialect, build: StarTableBuild): string {
  return `DELETE FROM ${dialect.quote(build.table.name)}`;
}

/** The INSERT that fills a star table from `select` (the build's, whole or scoped). */
export function fillStatement(dialect: SqlDialect, build: StarTableBuild, select: string): string {
  return `INSERT INTO ${dialect.quote(build.table.name)} (${build.columns.map((c) => dialect.quote(c)).join(', ')})\n${select}`;
}

function indent(sql: string): string {
  return sql.replace(/^/gm, '  ');
}
