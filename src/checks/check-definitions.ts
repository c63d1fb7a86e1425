/**
 * The built-in checks, each a SELECT of the failing rows whose first column is the row's key (the
 * convention of dbt's singular tests, which user checks follow too): primary keys unique and not null on the
 * five star tables, the fact's references to its dimensions, songs to artists, levels, every NextSong event
 * published, and read = staged + rejected for each source.
 */
import { SONG_DATASET, EVENT_DATASET } from '../pipeline/dataset-stager.js';
import type { DatasetSummary } from '../pipeline/run-summary.js';
import { STAR_TABLES } from '../schema/star-tables.js';
import { sqlText } from '../warehouses/sql/match-sql.js';
import type { SqlDialect } from '../warehouses/sql/sql-dialect.js';
import type { CheckDefinition, CheckSeverity } from './check-report.js';

/** What the built-in checks need beyond the warehouse. */
export interface BuiltInCheckOptions {
  /**
   * A SELECT of `(dataset, records_read)`, the records each source's files held (see `runReadCounts`). The
   * reconciliation check is left out without it: nothing else knows how many records the files held.
   */
  readonly readCounts?: string;
  /** With `--min-match-rate`: a warning when a smaller share of songplays has a song_id. */
  readonly minMatchRate?: number;
}

/**
 * The records read of a run, as the SELECT `BuiltInCheckOptions.readCounts` takes. Once the file ledger
 * (`sparkify_files`) exists the same check reads it instead:
 * `SELECT dataset, SUM(records_read) AS records_read FROM sparkify_files GROUP BY dataset`.
 */
export function runReadCounts(datasets: { readonly songs: DatasetSummary; readonly events: DatasetSummary }): string {
  return [
    `SELECT ${sqlText(SONG_DATASET.name)} AS dataset, ${datasets.songs.read} AS records_read`,
    `SELECT ${sqlText(EVENT_DATASET.name)} AS dataset, ${datasets.events.read} AS records_read`,
  ].join('\nUNION ALL\n');
}

/** The built-in checks, in the order they run. */
export function builtInChecks(dialect: SqlDialect, options: BuiltInCheckOptions = {}): CheckDefinition[] {
  const check = (
    name: string,
    description: string,
    sql: string,
    severity: CheckSeverity = 'error',
    quickPass?: string,
  ): CheckDefinition => ({
    name,
    severity,
    description,
    origin: 'built-in',
    sql,
    ...(quickPass ? { quickPass } : {}),
  });
  const q = (name: string) => dialect.quote(name);
  const checks = STAR_TABLES.map((table) => {
    // Every column of the key (user_levels has two): unique together, none of them null.
    const key = table.primaryKey ?? [table.columns[0]!.name];
    const columns = key.map(q).join(', ');
    const anyNull = key.map((column) => `${q(column)} IS NULL`).join(' OR ');
    // No quick proof: measured warm, a distinct count of songplay_id takes as long as this grouping on M
    // (0.075 s against 0.062 s) and longer on L (0.95 s against 0.78 s).
    return check(
      `${table.name}_primary_key`,
      `${table.name}.(${key.join(', ')}) is unique and not null`,
      `SELECT ${columns}, COUNT(*) AS row_count FROM ${q(table.name)} GROUP BY ${columns} HAVING COUNT(*) > 1 OR ${anyNull}`,
    );
  });
  const reference = (from: string, column: string, to: string, optional: boolean) =>
    check(
      `${from}_${column}_in_${to}`,
      `every ${from}.${column}${optional ? ' that is set' : ''} is a row of ${to}`,
      `SELECT f.${keyOf(from)}, f.${q(column)} FROM ${q(from)} f LEFT JOIN ${q(to)} t ON t.${q(column)} = f.${q(column)}
WHERE t.${q(column)} IS NULL${optional ? ` AND f.${q(column)} IS NOT NULL` : ''}`,
    );
  checks.push(
    // Where set: a NextSong event without a userId (none in the real logs) is published as a play of no
    // user, as the songplays rule keeps every NextSong event; it is not a play of a missing user.
    reference('songplays', 'user_id', 'users', true),
    reference('songplays', 'start_time', 'time', false),
    reference('songplays', 'song_id', 'songs', true),
    reference('songplays', 'artist_id', 'artists', true),
    reference('songs', 'artist_id', 'artists', false),
    // DATA.md: the same song_id can appear twice. songs keeps one of its records, while a play takes the
    // song_id and artist_id of the record its (title, artist, length) matched, so where the records name
    // different artists a play's artist can disagree with its song's. The rules allow it; it is shown, not
    // blocked. A grouping of staging_songs only (tens of milliseconds on L's 400,000 records).
    check(
      'song_ids_name_one_artist',
      'each song_id of staging_songs names one artist_id (else its plays may name another artist than songs does)',
      `SELECT song_id, COUNT(DISTINCT artist_id) AS artist_ids FROM staging_songs
WHERE song_id IS NOT NULL GROUP BY song_id HAVING COUNT(DISTINCT artist_id) > 1`,
      'warn',
    ),
  );
  for (const table of ['songplays', 'users']) {
    checks.push(
      check(
        `${table}_level_values`,
        `${table}.level is free or paid`,
        `SELECT ${keyOf(table)}, level FROM ${q(table)} WHERE level IS NULL OR level NOT IN ('free', 'paid')`,
      ),
    );
  }
  checks.push(
    check(
      'next_song_events_published',
      'every NextSong event in staging is a songplay',
      // Counted per (start time, user, session) rather than in total, so it holds for a load that adds to
      // tables published before. One grouping of both tables together: measured on M, 0.26 s against 0.53 s
      // for grouping each and joining the two (NULL users and sessions group together either way).
      `SELECT start_time, user_id, session_id, SUM(events) AS events, SUM(plays) AS songplays
FROM (
  SELECT ${dialect.epochMillisToTimestamp('ts')} AS start_time, user_id, session_id, 1 AS events, 0 AS plays
  FROM staging_events WHERE page = 'NextSong'
  UNION ALL
  SELECT start_time, user_id, session_id, 0 AS events, 1 AS plays FROM songplays
) counted
GROUP BY start_time, user_id, session_id
HAVING SUM(plays) < SUM(events)`,
      'error',
      // Proven when both sides hold the same multiset of (start time, user, session): as many rows, and the
      // same sum of a 64-bit hash of each. Then every group has as many plays as events, so none has fewer;
      // a different multiset with an equal sum needs a hash collision. Any difference at all (more plays
      // than events is allowed) is left to the grouping, which finds the failing groups exactly.
      dialect.hashSum &&
        `SELECT e.n = p.n AND e.fingerprint = p.fingerprint AS passes
FROM (
  SELECT COUNT(*) AS n, ${dialect.hashSum([dialect.epochMillisToTimestamp('ts'), 'user_id', 'session_id'])} AS fingerprint
  FROM staging_events WHERE page = 'NextSong'
) e, (
  SELECT COUNT(*) AS n, ${dialect.hashSum(['start_time', 'user_id', 'session_id'])} AS fingerprint FROM songplays
) p`,
    ),
  );
  if (options.readCounts) {
    checks.push(
      check(
        'records_reconcile',
        'records read = staged + rejected, for each source',
        `SELECT r.dataset, r.records_read, COALESCE(s.staged, 0) AS staged, COALESCE(j.rejected, 0) AS rejected
FROM (
${options.readCounts}
) r
LEFT JOIN (
  SELECT ${sqlText(SONG_DATASET.name)} AS dataset, COUNT(*) AS staged FROM staging_songs
  UNION ALL
  SELECT ${sqlText(EVENT_DATASET.name)} AS dataset, COUNT(*) AS staged FROM staging_events
) s ON s.dataset = r.dataset
LEFT JOIN (SELECT dataset, COUNT(*) AS rejected FROM load_errors GROUP BY dataset) j ON j.dataset = r.dataset
WHERE r.records_read <> COALESCE(s.staged, 0) + COALESCE(j.rejected, 0)`,
      ),
    );
  }
  if (options.minMatchRate !== undefined) {
    checks.push(
      check(
        'songplays_match_rate',
        `at least ${options.minMatchRate} of songplays match a song (--min-match-rate)`,
        `SELECT matched_share, matched, songplays FROM (
  SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE CAST(COUNT(song_id) AS DOUBLE PRECISION) / COUNT(*) END AS matched_share,
         COUNT(song_id) AS matched, COUNT(*) AS songplays
  FROM songplays
) rate
WHERE matched_share < ${options.minMatchRate}`,
        'warn',
      ),
    );
  }
  return checks;
}

// The key column of a star table, named first in a failing row.
function keyOf(table: string): string {
  return STAR_TABLES.find((spec) => spec.name === table)?.primaryKey?.[0] ?? 'rowid';
}
