/**
 * The obvious alternative to sparkify, as a user would write it by hand: DuckDB's `read_json` over the
 * globs, then CREATE TABLE AS for the five star tables, with the same rules. Run as its own process by the
 * benchmark: `node hand-written-duckdb.js <dataset folder> <database file>`; prints timings as JSON.
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { DuckDBInstance } from '@duckdb/node-api';

const [source, database] = process.argv.slice(2);
if (!source || !database) throw new Error('usage: hand-written-duckdb <dataset folder> <database file>');

const STEPS: readonly [string, string][] = [
  [
    'staging_songs',
    `CREATE OR REPLACE TABLE staging_songs AS SELECT * FROM read_json('${source}/song_data/*/*/*/*.json', format = 'unstructured')`,
  ],
  [
    'staging_events',
    `CREATE OR REPLACE TABLE staging_events AS SELECT * FROM read_json('${source}/log_data/*/*/*.json', format = 'newline_delimited')`,
  ],
  [
    'songs',
    `CREATE OR REPLACE TABLE songs AS SELECT DISTINCT ON (song_id) song_id, title, artist_id, year, duration FROM staging_songs ORDER BY song_id`,
  ],
  [
    'artists',
    `CREATE OR REPLACE TABLE artists AS SELECT DISTINCT ON (artist_id) artist_id, artist_name AS name, artist_location AS location,
     artist_latitude AS latitude, artist_longitude AS longitude FROM staging_songs ORDER BY artist_id, artist_latitude NULLS LAST`,
  ],
  [
    'users',
    `CREATE OR REPLACE TABLE users AS SELECT DISTINCT ON (userId) CAST(userId AS INTEGER) AS user_id, firstName AS first_name,
     lastName AS last_name, gender, level FROM staging_events WHERE page = 'NextSong' AND userId <> '' ORDER BY userId, ts DESC`,
  ],
  [
    'songplays',
    `CREATE OR REPLACE TABLE songplays AS SELECT row_number() OVER (ORDER BY e.ts) AS songplay_id, epoch_ms(e.ts) AS start_time,
     CAST(NULLIF(e.userId, '') AS INTEGER) AS user_id, e.level, s.song_id, s.artist_id, e.sessionId AS session_id, e.location,
     e.userAgent AS user_agent
     FROM staging_events e LEFT JOIN (SELECT DISTINCT ON (title, artist_name, duration) * FROM staging_songs ORDER BY title, artist_name, duration, song_id) s
       ON e.song = s.title AND e.artist = s.artist_name AND e.length = s.duration
     WHERE e.page = 'NextSong'`,
  ],
  [
    'time',
    `CREATE OR REPLACE TABLE "time" AS SELECT start_time, hour(start_time) AS hour, day(start_time) AS day, week(start_time) AS week,
     month(start_time) AS month, year(start_time) AS year, dayofweek(start_time) AS weekday FROM (SELECT DISTINCT start_time FROM songplays)`,
  ],
];

const instance = await DuckDBInstance.create(database, { threads: String(availableParallelism()) });
const connection = await instance.connect();
const seconds: Record<string, number> = {};
const started = performance.now();
for (const [name, sql] of STEPS) {
  const begin = performance.now();
  try {
    await connection.run(sql);
  } catch (error) {
    // Which statement failed, on the line the benchmark reports (DuckDB runs out of memory on L).
    throw new Error(`${name}: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  seconds[name] = (performance.now() - begin) / 1000;
}
const total = (performance.now() - started) / 1000;
const counts = await connection.runAndReadAll(
  'SELECT (SELECT COUNT(*) FROM songplays) AS songplays, (SELECT COUNT(*) FROM users) AS users, ' +
    '(SELECT COUNT(*) FROM songs) AS songs, (SELECT COUNT(*) FROM artists) AS artists, (SELECT COUNT(*) FROM "time") AS time',
);
connection.closeSync();
instance.closeSync();
process.stdout.write(
  `${JSON.stringify({
    seconds,
    totalSeconds: total,
    tables: Object.fromEntries(Object.entries(counts.getRowObjectsJS()[0] ?? {}).map(([key, value]) => [key, Number(value)])),
    peakMemoryMB: Math.round(process.resourceUsage().maxRSS / 1024),
  })}\n`,
);
