/**
 * The report's "why plays match no song": the query of `sparkify explain-matches`
 * (match-explanation-sql.ts) run on the report's own read-only connection, under the match mode of the
 * latest publishing run, so the causes explain the songplays the report shows.
 */
import { MATCH_CAUSES, matchExplanationSql, type MatchCause } from '../warehouses/sql/match-explanation-sql.js';
import { MATCH_MODES, type MatchMode } from '../warehouses/sql/match-sql.js';
import type { Warehouse } from '../warehouses/warehouse.js';
import { jsonRows, type JsonRow, type PublishingRun } from './data-health.js';

/** One cause of unmatched plays with its counts and first examples (most played first). */
export interface MatchCauseRow {
  readonly cause: Exclude<MatchCause, 'matched'>;
  readonly plays: number;
  /** Distinct (song, artist, length) the cause's plays name. */
  readonly names: number;
  readonly examples: readonly { readonly song: string | null; readonly artist: string | null; readonly plays: number }[];
}

/** The explanation of why plays do or do not match a catalogue song. */
export interface MatchExplanation {
  readonly mode: MatchMode;
  readonly plays: number;
  readonly matched: number;
  readonly unmatched: number;
  /** Causes with at least one play, in the order explain-matches tries them; their plays add up to `unmatched`. */
  readonly causes: readonly MatchCauseRow[];
  /** The SQL that computed it, for "how this was computed". */
  readonly sql: string;
}

/** The match explanation, or null when staging_events or staging_songs is absent or no run published yet. */
export async function readMatchExplanation(
  warehouse: Warehouse,
  tables: ReadonlySet<string>,
  latest: PublishingRun | null,
): Promise<MatchExplanation | null> {
  if (!latest || !tables.has('staging_events') || !tables.has('staging_songs')) return null;
  const recorded = latest.settings.match;
  const mode: MatchMode = MATCH_MODES.find((known) => known === recorded) ?? 'exact';
  const sql = matchExplanationSql(warehouse.dialect, mode);
  const rows = await jsonRows(warehouse, sql);
  const plays = (cause: MatchCause) => Number(rows.find((row) => row.cause === cause)?.cause_plays ?? 0);
  const causes = MATCH_CAUSES.filter((cause): cause is Exclude<MatchCause, 'matched'> => cause !== 'matched')
    .map((cause) =>
      causeRow(
        cause,
        rows.filter((row) => row.cause === cause),
      ),
    )
    .filter((cause) => cause.plays > 0);
  const unmatched = causes.reduce((sum, cause) => sum + cause.plays, 0);
  return { mode, plays: plays('matched') + unmatched, matched: plays('matched'), unmatched, causes, sql };
}

function causeRow(cause: Exclude<MatchCause, 'matched'>, rows: readonly JsonRow[]): MatchCauseRow {
  const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
  return {
    cause,
    plays: Number(rows[0]?.cause_plays ?? 0),
    names: Number(rows[0]?.cause_names ?? 0),
    examples: rows.map((row) => ({ song: text(row.song), artist: text(row.artist), plays: Number(row.plays) })),
  };
}
