/**
 * The full build of `user_levels`, each user's level history, from staging_events alone: a pure function of
 * staging, so rebuilding it from scratch is always right, whatever order the events arrived in.
 */
import { USER_LEVELS } from '../../schema/star-tables.js';
import { columnNames } from '../../schema/table-spec.js';
import type { SqlDialect } from './sql-dialect.js';
import type { StarTableBuild } from './star-table-build.js';

/**
 * The SELECT of every user_levels row. Every event with a user and a level counts, not only NextSong (a user
 * upgrades on the Upgrade page before their next play). Several events at one ts name one level: the last
 * in (ts, source_file, line_number) order, so a period never lasts zero time and two loads of the same
 * files agree. A period starts at each ts whose level differs from the one before; it ends where the next
 * starts; the last one per user is current.
 *
 * @example
 * // free at 10:00, paid at 11:00, free at 12:00 gives
 * // (free, 10:00, 11:00, false), (paid, 11:00, 12:00, false), (free, 12:00, NULL, true)
 */
export function userLevelsSelect(dialect: SqlDialect, scope?: string, source = 'staging_events'): string {
  const from = dialect.epochMillisToTimestamp('from_ts');
  const to = dialect.epochMillisToTimestamp('to_ts');
  // recordOrder is (source_file, line_number, level) where staging keeps origins; on Redshift, whose COPY
  // keeps none, the level alone (paid before free, descending), still the same on every run. Where the
  // dialect ranks files (DuckDB), the sort reads the rank instead of the file's name: the same order.
  const where = `user_id IS NOT NULL AND level IS NOT NULL${scope ? ` AND ${scope}` : ''}`;
  const records = dialect.fileRankedRecords
    ? `(\n  ${dialect.fileRankedRecords(source, ['user_id', 'ts', 'level', 'line_number'], where)}\n      ) ranked_records`
    : `${source}\n      WHERE ${where}`;
  const order = dialect.fileRankedRecords ? dialect.recordOrder(['level'], true, 'file_rank') : dialect.recordOrder(['level'], true);
  return `SELECT user_id, level, ${from} AS valid_from,
       CASE WHEN to_ts IS NULL THEN NULL ELSE ${to} END AS valid_to,
       CASE WHEN to_ts IS NULL THEN TRUE ELSE FALSE END AS is_current
FROM (
  SELECT user_id, level, ts AS from_ts, LEAD(ts) OVER (PARTITION BY user_id ORDER BY ts) AS to_ts
  FROM (
    SELECT user_id, ts, level, LAG(level) OVER (PARTITION BY user_id ORDER BY ts) AS previous_level
    FROM (
      SELECT user_id, ts, level,
             ROW_NUMBER() OVER (PARTITION BY user_id, ts ORDER BY ${order}) AS pick
      FROM ${records}
    ) events_at_ts
    WHERE pick = 1
  ) levels_at_ts
  WHERE previous_level IS NULL OR previous_level <> level
) periods`;
}

/** user_levels as one more star-table build; an incremental publish scopes it to the users a load touched. */
export function userLevelsBuild(dialect: SqlDialect): StarTableBuild {
  return { table: USER_LEVELS, columns: columnNames(USER_LEVELS), select: (scope, source) => userLevelsSelect(dialect, scope, source) };
}
