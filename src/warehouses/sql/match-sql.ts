/**
 * How a play (NextSong event) finds its song, for each `--match` mode, as SQL that DuckDB, PostgreSQL and
 * Redshift all run: `exact` (the DATA.md rule: title, artist name and duration equal) and `normalized`
 * (mojibake and `\u0019` apostrophes repaired, spaces trimmed, case ignored, durations equal to the
 * hundredth of a second). The star transform and `explain-matches` both take their SQL from here.
 */
import type { SqlDialect } from './sql-dialect.js';

/** The matching rule of a run: `exact` (the default) or `normalized`. */
export type MatchMode = 'exact' | 'normalized';

/** Every match mode, for validation and help texts. */
export const MATCH_MODES: readonly MatchMode[] = ['exact', 'normalized'];

/**
 * Durations agree under `normalized` when they are equal once rounded to this many seconds. The durations
 * of song files and logs are counted in MP3 frames (1,152 samples at 44.1 kHz, 0.0261 s): the 29 titles of
 * the public sample that are played at two lengths differ by 2 to 5,000 frames, never less than 0.052 s. A
 * hundredth of a second is below half a frame, so two recordings of one song never share a rounded duration
 * (no play can match two of them), while a copy of the data that wrote durations with two or three decimals,
 * or floating-point noise, still matches.
 */
export const DURATION_TOLERANCE_SECONDS = 0.01;

// U+0019, which the logs write where an apostrophe belongs ("Howlin\u0019 For You").
const CONTROL_APOSTROPHE = '\u0019';

/** A SQL string literal of `text` (control characters go in as they are: every warehouse takes them). */
export function sqlText(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * The SQL that repairs mojibake in `expression`: text whose UTF-8 bytes were read as Latin-1 once or twice
 * ("BjÃ\u0083Â¶rk" and "BjÃ¶rk" both become "Björk"). Written with REPLACE only, because Redshift has no
 * function that converts between encodings. Each round undoes one Latin-1 reading: it deletes the "Â" that
 * leads a character U+0080 to U+00BF (the character itself stays), then turns each two-character sequence
 * that leads byte C3, C4 or C5 wrote back into its character. The first round needs only the five lead
 * bytes a repaired round can produce (C2 to C5, and E2 of the punctuation below); the second covers Latin-1
 * and Latin Extended-A (U+00A0 to U+017F: Björk, Beyoncé, Mötley Crüe, Dvořák) and the typographic
 * punctuation the logs carry (’ ‘ “ ” – — …). Text with none of the lead characters is returned untouched,
 * which also keeps the cost away from plain ASCII.
 */
export function repairMojibakeSql(expression: string): string {
  const roundOne: [string, string][] = [0xc2, 0xc3, 0xc4, 0xc5, 0xe2].map((lead) => [
    `Ã${String.fromCharCode(lead - 0x40)}`,
    String.fromCharCode(lead),
  ]);
  const roundTwo: [string, string][] = [];
  for (const [lead, base] of [
    [0xc3, 0xc0],
    [0xc4, 0x100],
    [0xc5, 0x140],
  ] as const) {
    for (let byte = 0x80; byte <= 0xbf; byte += 1) {
      roundTwo.push([String.fromCharCode(lead, byte), String.fromCharCode(base + byte - 0x80)]);
    }
  }
  for (const mark of ['’', '‘', '“', '”', '–', '—', '…']) {
    roundTwo.push([Buffer.from(mark, 'utf8').toString('latin1'), mark]);
  }
  const round = (inner: string, pairs: readonly [string, string][]) =>
    pairs.reduce((sql, [from, to]) => `REPLACE(${sql}, ${sqlText(from)}, ${sqlText(to)})`, `REPLACE(${inner}, 'Â', '')`);
  const guard = ['Â', 'Ã', 'Ä', 'Å', 'â'].map((lead) => `${expression} LIKE ${sqlText(`%${lead}%`)}`).join(' OR ');
  return `CASE WHEN ${guard} THEN ${round(round(expression, roundOne), roundTwo)} ELSE ${expression} END`;
}

/**
 * `text` (SQL) with `\u0019` apostrophes made apostrophes again and the surrounding spaces trimmed: case kept.
 * Only the ASCII space: DuckDB's plain TRIM also strips Unicode spaces (U+00A0, U+3000, ...) where
 * PostgreSQL's and Redshift's do not, so plays would match on one warehouse and not on another.
 */
export function cleanTextSql(repaired: string): string {
  return trimSpacesSql(`REPLACE(${repaired}, ${sqlText(CONTROL_APOSTROPHE)}, '''')`);
}

/** `text` (SQL) without its leading and trailing ASCII spaces, the same on every warehouse. */
export function trimSpacesSql(text: string): string {
  return `TRIM(BOTH ' ' FROM ${text})`;
}

/** The key `normalized` compares text by, from text already repaired by `repairMojibakeSql`. */
export function textKeySql(repaired: string): string {
  return `LOWER(${cleanTextSql(repaired)})`;
}

/** The key `normalized` compares durations by (see `DURATION_TOLERANCE_SECONDS`): whole hundredths, rounded. */
export function durationKeySql(expression: string): string {
  // FLOOR(x + 0.5) rounds the same way on every warehouse (ROUND of a double differs on halves).
  return `CAST(FLOOR(${expression} * ${Math.round(1 / DURATION_TOLERANCE_SECONDS)} + 0.5) AS BIGINT)`;
}

/**
 * The SELECT of the songs a play can match, one per match key (so a play never matches twice: where several
 * songs share a key, the lowest song_id wins), with columns the match condition reads and `song_id`,
 * `artist_id`.
 */
export function songMatchesSql(dialect: SqlDialect, mode: MatchMode): string {
  const pick = `ORDER BY ${dialect.byteOrder('song_id')}, ${dialect.byteOrder('artist_id')}`;
  if (mode === 'exact') {
    return `SELECT title, artist_name, duration, song_id, artist_id
FROM (
  SELECT title, artist_name, duration, song_id, artist_id,
         ROW_NUMBER() OVER (
           PARTITION BY title, artist_name, duration
           ${pick}
         ) AS pick
  FROM staging_songs
) candidates
WHERE pick = 1`;
  }
  return `SELECT title_key, artist_key, duration_key, song_id, artist_id
FROM (
  SELECT title_key, artist_key, duration_key, song_id, artist_id,
         ROW_NUMBER() OVER (
           PARTITION BY title_key, artist_key, duration_key
           ${pick}
         ) AS pick
  FROM (
    SELECT ${textKeySql(repairMojibakeSql('title'))} AS title_key,
           ${textKeySql(repairMojibakeSql('artist_name'))} AS artist_key,
           ${durationKeySql('duration')} AS duration_key, song_id, artist_id
    FROM staging_songs
  ) keyed
) candidates
WHERE pick = 1`;
}

/** The join condition of events aliased `e` to the rows of `songMatchesSql` aliased `m`. */
export function matchConditionSql(mode: MatchMode, e = 'e', m = 'm'): string {
  if (mode === 'exact') return `${e}.song = ${m}.title AND ${e}.artist = ${m}.artist_name AND ${e}.length = ${m}.duration`;
  return [
    `${textKeySql(repairMojibakeSql(`${e}.song`))} = ${m}.title_key`,
    `${textKeySql(repairMojibakeSql(`${e}.artist`))} = ${m}.artist_key`,
    `${durationKeySql(`${e}.length`)} = ${m}.duration_key`,
  ].join('\n   AND ');
}

/**
 * The SELECT list of the match key of song rows (title, artist_name, duration), with the column names
 * `songMatchesSql` gives them, so `matchConditionSql` can compare events with any table of such keys (the
 * keys an incremental publish touched, star-publisher.ts).
 */
export function matchKeysSql(mode: MatchMode): string {
  if (mode === 'exact') return 'title, artist_name, duration';
  return [
    `${textKeySql(repairMojibakeSql('title'))} AS title_key`,
    `${textKeySql(repairMojibakeSql('artist_name'))} AS artist_key`,
    `${durationKeySql('duration')} AS duration_key`,
  ].join(', ');
}
