/**
 * Every figure of the report and the dashboard as a named query: its SQL is written once here, shown under
 * the figure on demand, and run with the filters bound to placeholders. The dashboard runs only these; it
 * never takes SQL from the browser.
 */
import type { SqlDialect } from '../warehouses/sql/sql-dialect.js';
import type { QueryParam } from '../warehouses/warehouse.js';
import { filterCondition, type ReportFilters } from './report-filters.js';

/** Which of the filters a query honours (the others do not apply to what it counts). */
export type FilterName = keyof ReportFilters;

const ALL_FILTERS: readonly FilterName[] = ['from', 'to', 'level', 'gender', 'location'];

/** A query ready to run: SQL with $n placeholders and their values. */
export interface BoundQuery {
  readonly name: string;
  readonly sql: string;
  readonly params: readonly QueryParam[];
}

/** One figure's query. */
export interface NamedQuery {
  readonly name: string;
  /** What the figure shows, for its caption. */
  readonly title: string;
  /** The tables it reads: the figure is left out, with a note, when one is missing. */
  readonly reads: readonly string[];
  readonly filters: readonly FilterName[];
  build(dialect: SqlDialect, filters: ReportFilters): BoundQuery;
}

// Days as text (YYYY-MM-DD) in SQL, so no driver turns them into a local-time Date.
const dayOf = (timestamp: string) => `CAST(CAST(${timestamp} AS DATE) AS VARCHAR(10))`;

/** The plays (songplays) that pass the filters, with the listener's gender from users. */
function playsFrom(filters: ReportFilters): { from: string; params: QueryParam[] } {
  const where = filterCondition(filters, { time: 'sp.start_time', level: 'sp.level', gender: 'u.gender', location: 'sp.location' });
  return {
    from: `(
  SELECT sp.start_time, sp.user_id, sp.level, sp.song_id, sp.artist_id, sp.location, sp.user_agent, u.gender
  FROM songplays sp
  LEFT JOIN users u ON u.user_id = sp.user_id
  WHERE ${where.sql}
) plays`,
    params: where.params,
  };
}

/** NextSong events as logged (song and artist names as the events write them) that pass the filters. */
function loggedPlaysFrom(dialect: SqlDialect, filters: ReportFilters): { from: string; params: QueryParam[] } {
  const time = dialect.epochMillisToTimestamp('e.ts');
  const where = filterCondition(filters, { time, level: 'e.level', gender: 'e.gender', location: 'e.location' });
  return {
    from: `(
  SELECT e.song, e.artist, e.user_id
  FROM staging_events e
  WHERE e.page = 'NextSong' AND ${where.sql}
) logged`,
    params: where.params,
  };
}

/** A query over the filtered plays: `body` receives the FROM clause. */
function overPlays(name: string, title: string, body: (from: string, dialect: SqlDialect) => string, reads: string[] = []): NamedQuery {
  return {
    name,
    title,
    reads: ['songplays', 'users', ...reads],
    filters: ALL_FILTERS,
    build(dialect, filters) {
      const { from, params } = playsFrom(filters);
      return { name, sql: body(from, dialect), params };
    },
  };
}

/** The figures, in the order the report shows them. */
export const NAMED_QUERIES: readonly NamedQuery[] = [
  overPlays(
    'headline',
    'Headline numbers',
    (from) => `SELECT COUNT(*) AS plays, COUNT(DISTINCT user_id) AS listeners,
       SUM(CASE WHEN level = 'paid' THEN 1 ELSE 0 END) AS paid_plays,
       COUNT(song_id) AS matched_plays
FROM ${from}`,
  ),
  overPlays(
    'plays_per_day',
    'Plays per day',
    (from) => `SELECT ${dayOf('start_time')} AS day, COUNT(*) AS plays
FROM ${from}
GROUP BY 1
ORDER BY 1`,
  ),
  overPlays(
    'hour_weekday',
    'Plays by hour (UTC) and weekday',
    (from) => `SELECT CAST(EXTRACT(DOW FROM start_time) AS INTEGER) AS weekday, CAST(EXTRACT(HOUR FROM start_time) AS INTEGER) AS hour,
       COUNT(*) AS plays
FROM ${from}
GROUP BY 1, 2
ORDER BY 1, 2`,
  ),
  {
    name: 'top_songs_logged',
    title: 'Most played songs, as the events name them',
    reads: ['staging_events'],
    filters: ALL_FILTERS,
    build(dialect, filters) {
      const { from, params } = loggedPlaysFrom(dialect, filters);
      return {
        name: this.name,
        sql: `SELECT song, artist, COUNT(*) AS plays
FROM ${from}
GROUP BY song, artist
ORDER BY plays DESC, ${dialect.byteOrder('song')}, ${dialect.byteOrder('artist')}
LIMIT 10`,
        params,
      };
    },
  },
  {
    name: 'top_artists_logged',
    title: 'Most played artists, as the events name them',
    reads: ['staging_events'],
    filters: ALL_FILTERS,
    build(dialect, filters) {
      const { from, params } = loggedPlaysFrom(dialect, filters);
      return {
        name: this.name,
        sql: `SELECT artist, COUNT(*) AS plays
FROM ${from}
GROUP BY artist
ORDER BY plays DESC, ${dialect.byteOrder('artist')}
LIMIT 10`,
        params,
      };
    },
  },
  overPlays(
    'top_songs_matched',
    'Most played catalogue songs (plays matched to a song)',
    (from, dialect) => `SELECT s.title, a.name AS artist, COUNT(*) AS plays
FROM ${from}
JOIN songs s ON s.song_id = plays.song_id
LEFT JOIN artists a ON a.artist_id = plays.artist_id
GROUP BY s.title, a.name
ORDER BY plays DESC, ${dialect.byteOrder('s.title')}
LIMIT 10`,
    ['songs', 'artists'],
  ),
  overPlays(
    'level_per_day',
    'Free and paid plays per day',
    (from) => `SELECT ${dayOf('start_time')} AS day, level, COUNT(*) AS plays
FROM ${from}
GROUP BY 1, 2
ORDER BY 1, 2`,
  ),
  {
    name: 'level_changes',
    title: 'Upgrades and downgrades (level changes in user_levels)',
    reads: ['user_levels', 'users'],
    filters: ['from', 'to', 'gender'],
    build(_dialect, filters) {
      // A level change is a period that follows another one of the same user; its level says which way.
      const where = filterCondition(
        { from: filters.from, to: filters.to, gender: filters.gender },
        { time: 'changes.valid_from', level: 'changes.level', gender: 'u.gender', location: "''" },
      );
      return {
        name: this.name,
        sql: `SELECT SUM(CASE WHEN changes.level = 'paid' THEN 1 ELSE 0 END) AS upgrades,
       SUM(CASE WHEN changes.level = 'free' THEN 1 ELSE 0 END) AS downgrades
FROM (
  SELECT user_id, level, valid_from, LAG(level) OVER (PARTITION BY user_id ORDER BY valid_from) AS previous_level
  FROM user_levels
) changes
LEFT JOIN users u ON u.user_id = changes.user_id
WHERE changes.previous_level IS NOT NULL AND ${where.sql}`,
        params: where.params,
      };
    },
  },
  overPlays(
    'top_users',
    'Most active users',
    (from) => `SELECT plays.user_id, u.first_name, u.last_name, u.level AS current_level, COUNT(*) AS plays
FROM ${from}
LEFT JOIN users u ON u.user_id = plays.user_id
GROUP BY plays.user_id, u.first_name, u.last_name, u.level
ORDER BY plays DESC, plays.user_id
LIMIT 10`,
  ),
  overPlays(
    'listeners_per_day',
    'Listeners per day',
    (from) => `SELECT ${dayOf('start_time')} AS day, COUNT(DISTINCT user_id) AS listeners, COUNT(*) AS plays
FROM ${from}
GROUP BY 1
ORDER BY 1`,
  ),
  overPlays(
    'weekly_retention',
    'Retention: of the listeners first seen in a week, how many play in each week after',
    // Weeks start on Monday (DATE_TRUNC); the offset is whole weeks, exact in integer days.
    (from) => `SELECT ${dayOf('first_seen.cohort')} AS cohort_week,
       CAST((CAST(active.week AS DATE) - CAST(first_seen.cohort AS DATE)) / 7 AS INTEGER) AS week_offset,
       COUNT(DISTINCT active.user_id) AS listeners
FROM (SELECT DISTINCT user_id, DATE_TRUNC('week', start_time) AS week FROM ${from} WHERE user_id IS NOT NULL) active
JOIN (
  SELECT user_id, MIN(DATE_TRUNC('week', start_time)) AS cohort FROM ${from.replace(/\) plays$/, ') first_plays')} GROUP BY user_id
) first_seen ON first_seen.user_id = active.user_id
GROUP BY 1, 2
ORDER BY 1, 2`,
  ),
  overPlays(
    'gender',
    'Listeners by gender',
    (from) => `SELECT COALESCE(gender, 'unknown') AS gender, COUNT(DISTINCT user_id) AS listeners, COUNT(*) AS plays
FROM ${from}
GROUP BY 1
ORDER BY 1`,
  ),
  overPlays(
    'level_listeners',
    'Listeners by the level of their plays (a user who changed level counts in both)',
    (from) => `SELECT level, COUNT(DISTINCT user_id) AS listeners, COUNT(*) AS plays
FROM ${from}
GROUP BY level
ORDER BY level`,
  ),
  overPlays(
    'top_locations',
    'Top locations',
    (from, dialect) => `SELECT location, COUNT(DISTINCT user_id) AS listeners, COUNT(*) AS plays
FROM ${from}
WHERE location IS NOT NULL
GROUP BY location
ORDER BY plays DESC, ${dialect.byteOrder('location')}
LIMIT 10`,
  ),
  overPlays(
    'user_agents',
    'Devices, browsers and operating systems (userAgent parsed by bowser)',
    (from, dialect) => `SELECT user_agent, COUNT(DISTINCT user_id) AS listeners, COUNT(*) AS plays
FROM ${from}
WHERE user_agent IS NOT NULL
GROUP BY user_agent
ORDER BY plays DESC, ${dialect.byteOrder('user_agent')}`,
  ),
];

/** The query named `name`; throws on a name that is not in the catalogue. */
export function namedQuery(name: string): NamedQuery {
  const found = NAMED_QUERIES.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`No named query ${name}`);
  return found;
}

/** Fixed queries of the data-health section and of the filter choices: no filters apply. */
export const HEALTH_QUERIES = {
  tables: 'SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()',
  locations: `SELECT location, COUNT(*) AS plays FROM songplays WHERE location IS NOT NULL GROUP BY location ORDER BY plays DESC, location LIMIT 200`,
  days: `SELECT ${dayOf('MIN(start_time)')} AS first_day, ${dayOf('MAX(start_time)')} AS last_day FROM songplays`,
  runs: `SELECT run_id, started_at, finished_at, status, mode,
       song_files_new, song_files_changed, song_files_unchanged, song_files_removed,
       event_files_new, event_files_changed, event_files_unchanged, event_files_removed,
       records_read, records_rejected, songplays, sparkify_version, error
FROM sparkify_runs
ORDER BY run_id DESC
LIMIT 10`,
  latestPublishingRun: `SELECT run_id, finished_at, settings, details FROM sparkify_runs WHERE status = 'succeeded' ORDER BY run_id DESC LIMIT 1`,
  /** The files a run (re)loaded; `runId` is a number, so it goes into the SQL as one. */
  runFiles: (runId: number) => `SELECT source_file, dataset, records_read, records_staged, records_rejected
FROM sparkify_files
WHERE run_id = ${Math.trunc(runId)}
ORDER BY dataset, source_file
LIMIT 200`,
  // All of them: the list above stops at 200, a first load of the real bucket has hundreds of thousands.
  runFileCount: (runId: number) => `SELECT COUNT(*) AS files FROM sparkify_files WHERE run_id = ${Math.trunc(runId)}`,
  checkFailures: `SELECT check_name, severity, failing_key, row_json
FROM (
  SELECT check_name, severity, failing_key, row_json,
         ROW_NUMBER() OVER (PARTITION BY check_name ORDER BY failing_key) AS pick
  FROM check_failures
) ranked
WHERE pick <= 5
ORDER BY check_name, failing_key
LIMIT 100`,
  recordedFiles: `SELECT dataset, COUNT(*) AS files, SUM(records_read) AS records_read, SUM(records_rejected) AS records_rejected
FROM sparkify_files
GROUP BY dataset
ORDER BY dataset`,
  stagedFiles: `SELECT 'events' AS dataset, COUNT(DISTINCT source_file) AS files FROM staging_events
UNION ALL
SELECT 'songs' AS dataset, COUNT(DISTINCT source_file) AS files FROM staging_songs`,
  rejectsByFile: `SELECT source_file, dataset, rejects, first_line, first_error
FROM (
  SELECT source_file, dataset, COUNT(*) OVER (PARTITION BY source_file, dataset) AS rejects,
         line_number AS first_line, error AS first_error,
         ROW_NUMBER() OVER (PARTITION BY source_file, dataset ORDER BY line_number) AS pick
  FROM load_errors
) ranked
WHERE pick = 1
ORDER BY rejects DESC, source_file
LIMIT 50`,
} as const;
