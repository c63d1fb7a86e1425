/**
 * The SQL of `sparkify explain-matches`: every distinct (song, artist, length) that NextSong events name
 * gets exactly one cause, the first of these that applies, so the causes' plays add up to the unmatched
 * plays:
 *   matched          the match rule of the mode finds a song;
 *   spelling         a song has the title and artist once mojibake, `\u0019`, spaces and case are set
 *                    aside, and the duration to the hundredth (`--match normalized` matches it);
 *   duration         a song has the title and artist (so set aside), with another duration;
 *   artist-spelling  a song has the title and duration, and its artist_id is also written as the play's artist;
 *   other-artist     a song has the title and duration, by another artist;
 *   artist-only      the artist is in the catalogue, the song is not;
 *   not-in-catalogue neither is.
 * One query, using only what DuckDB, PostgreSQL and Redshift all run; it returns the first examples of each
 * cause (most played first) with the cause's totals on every row.
 */
import {
  cleanTextSql,
  DURATION_TOLERANCE_SECONDS,
  durationKeySql,
  matchConditionSql,
  repairMojibakeSql,
  songMatchesSql,
  sqlText,
  type MatchMode,
  trimSpacesSql,
} from './match-sql.js';
import type { SqlDialect } from './sql-dialect.js';

/** The causes, in the order they are tried. */
export const MATCH_CAUSES = [
  'matched',
  'spelling',
  'duration',
  'artist-spelling',
  'other-artist',
  'artist-only',
  'not-in-catalogue',
] as const;

/** One cause of `MATCH_CAUSES`. */
export type MatchCause = (typeof MATCH_CAUSES)[number];

/** How many examples of each cause the explanation returns. */
export const EXAMPLES_PER_CAUSE = 5;

/** The explanation query; see the file comment for the causes and the columns `explainMatches` reads. */
export function matchExplanationSql(dialect: SqlDialect, mode: MatchMode): string {
  const b = (expression: string) => dialect.byteOrder(expression);
  const key = (fixed: string) => `LOWER(${cleanTextSql(fixed)})`;
  const flag = (condition: string) => `CASE WHEN ${condition} THEN 1 ELSE 0 END`;
  const hasControl = (column: string) => `${column} LIKE ${sqlText('%\u0019%')}`;
  // Trailing spaces by length: Redshift ignores trailing blanks when it compares VARCHARs.
  const padded = (column: string) => `LENGTH(${column}) <> LENGTH(${trimSpacesSql(column)})`;
  const matched =
    mode === 'exact'
      ? `SELECT DISTINCT p.play_id FROM play_keys p JOIN (\n${songMatchesSql(dialect, 'exact')}\n) m ON ${matchConditionSql('exact', 'p', 'm')}`
      : `SELECT DISTINCT p.play_id FROM play_keys p JOIN song_keys s
  ON s.title_key = p.title_key AND s.artist_key = p.artist_key AND s.duration_key = p.duration_key`;
  const pickFirst = (partition: string, order: string) => `ROW_NUMBER() OVER (PARTITION BY ${partition} ORDER BY ${order}) AS pick`;
  const nearest = `ABS(p.length - s.duration), ${b('s.song_id')}`;
  return `WITH grouped_plays AS (
  SELECT song, artist, length, COUNT(*) AS plays FROM staging_events WHERE page = 'NextSong' GROUP BY song, artist, length
),
fixed_plays AS (
  SELECT ROW_NUMBER() OVER (ORDER BY ${b('song')} NULLS LAST, ${b('artist')} NULLS LAST, length NULLS LAST) AS play_id,
         song, artist, length, plays,
         ${repairMojibakeSql('song')} AS song_fixed,
         ${repairMojibakeSql('artist')} AS artist_fixed
  FROM grouped_plays
),
play_keys AS (
  SELECT play_id, song, artist, length, plays, song_fixed, artist_fixed,
         ${key('song_fixed')} AS title_key, ${key('artist_fixed')} AS artist_key, ${durationKeySql('length')} AS duration_key
  FROM fixed_plays
),
fixed_songs AS (
  SELECT song_id, artist_id, title, artist_name, duration,
         ${repairMojibakeSql('title')} AS title_fixed,
         ${repairMojibakeSql('artist_name')} AS artist_fixed
  FROM staging_songs
),
song_keys AS (
  SELECT song_id, artist_id, title, artist_name, duration, title_fixed, artist_fixed,
         ${key('title_fixed')} AS title_key, ${key('artist_fixed')} AS artist_key, ${durationKeySql('duration')} AS duration_key
  FROM fixed_songs
),
matched AS (
${matched}
),
spelling AS (
  SELECT * FROM (
    SELECT p.play_id, s.title, s.artist_name, s.duration,
           ${flag(`${padded('p.song')} OR ${padded('p.artist')} OR ${padded('s.title')} OR ${padded('s.artist_name')}`)} AS spaces,
           ${flag(`${cleanTextSql('p.song_fixed')} <> ${cleanTextSql('s.title_fixed')} OR ${cleanTextSql('p.artist_fixed')} <> ${cleanTextSql('s.artist_fixed')}`)} AS letter_case,
           ${flag(`${hasControl('p.song')} OR ${hasControl('p.artist')} OR ${hasControl('s.title')} OR ${hasControl('s.artist_name')}`)} AS apostrophe,
           ${flag('p.song_fixed <> p.song OR p.artist_fixed <> p.artist OR s.title_fixed <> s.title OR s.artist_fixed <> s.artist_name')} AS mojibake,
           ${pickFirst('p.play_id', nearest)}
    FROM play_keys p JOIN song_keys s
      ON s.title_key = p.title_key AND s.artist_key = p.artist_key AND s.duration_key = p.duration_key
    WHERE NOT (s.title = p.song AND s.artist_name = p.artist AND LENGTH(s.title) = LENGTH(p.song) AND LENGTH(s.artist_name) = LENGTH(p.artist))
  ) candidates WHERE pick = 1
),
other_duration AS (
  SELECT * FROM (
    SELECT p.play_id, s.title, s.artist_name, s.duration, ${pickFirst('p.play_id', nearest)}
    FROM play_keys p JOIN song_keys s ON s.title_key = p.title_key AND s.artist_key = p.artist_key
  ) candidates WHERE pick = 1
),
artist_spelling AS (
  SELECT * FROM (
    SELECT p.play_id, s.title, s.artist_name, s.duration, ${pickFirst('p.play_id', nearest)}
    FROM play_keys p
    JOIN song_keys s ON s.title_key = p.title_key AND s.duration_key = p.duration_key
    JOIN (SELECT DISTINCT artist_id, artist_key FROM song_keys) o ON o.artist_id = s.artist_id AND o.artist_key = p.artist_key
  ) candidates WHERE pick = 1
),
other_artist AS (
  SELECT * FROM (
    SELECT p.play_id, s.title, s.artist_name, s.duration, ${pickFirst('p.play_id', nearest)}
    FROM play_keys p JOIN song_keys s ON s.title_key = p.title_key AND s.duration_key = p.duration_key
  ) candidates WHERE pick = 1
),
known_artists AS (
  SELECT artist_key, COUNT(*) AS songs, MIN(${b('artist_name')}) AS artist_name FROM song_keys GROUP BY artist_key
),
classified AS (
  SELECT p.play_id, p.song, p.artist, p.length, p.plays,
         CASE WHEN m.play_id IS NOT NULL THEN 'matched'
              WHEN sp.play_id IS NOT NULL THEN 'spelling'
              WHEN du.play_id IS NOT NULL THEN 'duration'
              WHEN ar.play_id IS NOT NULL THEN 'artist-spelling'
              WHEN ot.play_id IS NOT NULL THEN 'other-artist'
              WHEN ka.artist_key IS NOT NULL THEN 'artist-only'
              ELSE 'not-in-catalogue' END AS cause,
         COALESCE(sp.title, du.title, ar.title, ot.title) AS catalogue_title,
         COALESCE(sp.artist_name, du.artist_name, ar.artist_name, ot.artist_name, ka.artist_name) AS catalogue_artist,
         COALESCE(sp.duration, du.duration, ar.duration, ot.duration) AS catalogue_duration,
         ka.songs AS artist_songs,
         COALESCE(sp.spaces, 0) AS spaces, COALESCE(sp.letter_case, 0) AS letter_case,
         COALESCE(sp.apostrophe, 0) AS apostrophe, COALESCE(sp.mojibake, 0) AS mojibake,
         ${flag(`du.play_id IS NOT NULL AND ABS(p.length - du.duration) <= ${DURATION_TOLERANCE_SECONDS}`)} AS near_duration
  FROM play_keys p
  LEFT JOIN matched m ON m.play_id = p.play_id
  LEFT JOIN spelling sp ON sp.play_id = p.play_id
  LEFT JOIN other_duration du ON du.play_id = p.play_id
  LEFT JOIN artist_spelling ar ON ar.play_id = p.play_id
  LEFT JOIN other_artist ot ON ot.play_id = p.play_id
  LEFT JOIN known_artists ka ON ka.artist_key = p.artist_key
),
ranked AS (
  SELECT cause, song, artist, length, plays, catalogue_title, catalogue_artist, catalogue_duration, artist_songs,
         spaces, letter_case, apostrophe, mojibake,
         ROW_NUMBER() OVER (PARTITION BY cause ORDER BY plays DESC, ${b('song')} NULLS LAST, ${b('artist')} NULLS LAST, length NULLS LAST) AS example,
         COUNT(*) OVER (PARTITION BY cause) AS cause_names,
         SUM(plays) OVER (PARTITION BY cause) AS cause_plays,
         SUM(spaces * plays) OVER (PARTITION BY cause) AS cause_spaces,
         SUM(letter_case * plays) OVER (PARTITION BY cause) AS cause_letter_case,
         SUM(apostrophe * plays) OVER (PARTITION BY cause) AS cause_apostrophe,
         SUM(mojibake * plays) OVER (PARTITION BY cause) AS cause_mojibake,
         SUM(near_duration * plays) OVER (PARTITION BY cause) AS cause_near_duration
  FROM classified
)
SELECT * FROM ranked WHERE example <= ${EXAMPLES_PER_CAUSE} ORDER BY cause, example`;
}
