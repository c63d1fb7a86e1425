/**
 * Why plays do not match a song: `explainMatches` sorts the NextSong events of staging into causes (see
 * match-explanation-sql.ts), with counts and examples, for `sparkify explain-matches`.
 */
import { loadSettings, type LoadSettingsInput, type Settings } from '../config/settings.js';
import { withWarehouse } from '../warehouses/open-warehouse.js';
import { MATCH_CAUSES, matchExplanationSql, type MatchCause } from '../warehouses/sql/match-explanation-sql.js';
import { DURATION_TOLERANCE_SECONDS, matchConditionSql, songMatchesSql, type MatchMode } from '../warehouses/sql/match-sql.js';
import { describeTarget } from '../warehouses/warehouse-target.js';
import type { Warehouse } from '../warehouses/warehouse.js';
import { toJsonRow } from './query.js';

/** Options of `explainMatches`: settings (or the inputs to resolve them); `settings.match` picks the rule. */
export interface ExplainMatchesOptions extends LoadSettingsInput {
  readonly settings?: Settings;
}

/** One play name (song, artist, length) of a cause, with the catalogue's nearest song where there is one. */
export interface MatchExample {
  readonly song: string | null;
  readonly artist: string | null;
  readonly length: number | null;
  /** NextSong events naming it. */
  readonly plays: number;
  readonly catalogue?: { readonly title: string | null; readonly artist: string | null; readonly duration: number | null };
  /** For `duration`: the play's length less the catalogue's duration, in seconds. */
  readonly durationDifference?: number;
  /** For `artist-only`: songs of the artist in the catalogue. */
  readonly artistSongs?: number;
}

/** One cause, its plays and distinct play names, and its first examples (most played first). */
export interface MatchCauseSummary {
  readonly cause: MatchCause;
  readonly description: string;
  readonly plays: number;
  readonly names: number;
  /** For `spelling`: plays with each kind of difference (a play can have several). */
  readonly differences?: { readonly trailingSpaces: number; readonly case: number; readonly apostrophe: number; readonly mojibake: number };
  /** For `duration`: plays whose nearest duration is within the tolerance (matched by `--match normalized`). */
  readonly withinTolerance?: number;
  readonly examples: readonly MatchExample[];
}

/** The explanation: every NextSong event of staging is matched or has exactly one cause. */
export interface MatchExplanation {
  readonly warehouse: string;
  readonly mode: MatchMode;
  readonly toleranceSeconds: number;
  readonly plays: number;
  readonly matched: number;
  readonly unmatched: number;
  /** The causes of the unmatched plays, in the order they are tried; their plays add up to `unmatched`. */
  readonly causes: readonly MatchCauseSummary[];
}

const DESCRIPTIONS: Record<MatchCause, string> = {
  matched: 'matched a song',
  spelling: 'the catalogue has the song, written differently (trailing spaces, case, \\u0019 for an apostrophe, mojibake)',
  duration: 'the catalogue has the title and artist, with another duration',
  'artist-spelling': 'the catalogue has the title and duration under another spelling of the artist (same artist_id)',
  'other-artist': 'the catalogue has the title and duration, by another artist',
  'artist-only': 'the artist is in the catalogue, the song is not',
  'not-in-catalogue': 'neither the song nor its artist is in the catalogue',
};

/**
 * Sorts the plays staging holds into causes under `settings.match`.
 *
 * @example
 * const { unmatched, causes } = await explainMatches({ options: { warehouse: 'duckdb:sparkify.duckdb' } });
 */
export async function explainMatches(options: ExplainMatchesOptions = {}): Promise<MatchExplanation> {
  const settings = options.settings ?? loadSettings(options);
  return withWarehouse(settings.warehouse, { readOnly: true }, async (warehouse) => {
    const rows = (await warehouse.query(matchExplanationSql(warehouse.dialect, settings.match))).map(toJsonRow);
    const all = MATCH_CAUSES.map((cause) =>
      summarize(
        cause,
        rows.filter((row) => row.cause === cause),
      ),
    );
    const matched = all.find((cause) => cause.cause === 'matched')!.plays;
    const causes = all.filter((cause) => cause.cause !== 'matched');
    const unmatched = causes.reduce((sum, cause) => sum + cause.plays, 0);
    return {
      warehouse: describeTarget(settings.warehouse),
      mode: settings.match,
      toleranceSeconds: DURATION_TOLERANCE_SECONDS,
      plays: matched + unmatched,
      matched,
      unmatched,
      causes,
    };
  });
}

/** Plays of staging that the exact rule matches (for the summary of a normalized run). */
export async function countExactMatches(warehouse: Warehouse): Promise<number> {
  const [row] = await warehouse.query(`SELECT COUNT(*) AS n FROM staging_events e
JOIN (
${songMatchesSql(warehouse.dialect, 'exact')}
) m ON ${matchConditionSql('exact')}
WHERE e.page = 'NextSong'`);
  return Number(row?.n ?? 0);
}

function summarize(cause: MatchCause, rows: readonly Record<string, unknown>[]): MatchCauseSummary {
  const first = rows[0];
  const total = (column: string) => Number(first?.[column] ?? 0);
  const summary: MatchCauseSummary = {
    cause,
    description: DESCRIPTIONS[cause],
    plays: total('cause_plays'),
    names: total('cause_names'),
    examples: rows.map((row) => example(cause, row)),
  };
  if (cause === 'spelling') {
    return {
      ...summary,
      differences: {
        trailingSpaces: total('cause_spaces'),
        case: total('cause_letter_case'),
        apostrophe: total('cause_apostrophe'),
        mojibake: total('cause_mojibake'),
      },
    };
  }
  if (cause === 'duration') return { ...summary, withinTolerance: total('cause_near_duration') };
  return summary;
}

function example(cause: MatchCause, row: Record<string, unknown>): MatchExample {
  const number = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
  const base: MatchExample = { song: text(row.song), artist: text(row.artist), length: number(row.length), plays: Number(row.plays) };
  if (cause === 'artist-only')
    return {
      ...base,
      catalogue: { title: null, artist: text(row.catalogue_artist), duration: null },
      artistSongs: Number(row.artist_songs),
    };
  if (cause === 'matched' || cause === 'not-in-catalogue') return base;
  const catalogue = { title: text(row.catalogue_title), artist: text(row.catalogue_artist), duration: number(row.catalogue_duration) };
  if (cause !== 'duration' || base.length === null || catalogue.duration === null) return { ...base, catalogue };
  // Rounded to the five decimals the files write, so the difference prints as the files would.
  return { ...base, catalogue, durationDifference: Math.round((base.length - catalogue.duration) * 100_000) / 100_000 };
}
