/**
 * What a run reports: per-source reconciliation (read = staged + rejected), star table sizes, the share of
 * songplays matched to a song, and time per stage.
 */
import type { CheckReport } from '../checks/check-report.js';
import type { MatchMode } from '../warehouses/sql/match-sql.js';
import type { StageName } from './progress.js';

/** How one dataset's load reconciles. */
export interface DatasetSummary {
  /** The folder or S3 prefix read. */
  readonly location: string;
  readonly files: number;
  readonly bytes: number;
  /** Records found in the files. Always equals staged + rejected. */
  readonly read: number;
  readonly staged: number;
  readonly rejected: number;
  /** Files below the location passed over because they are not `.json`. */
  readonly skippedFiles: number;
}

/** The outcome of a run (or an `etl`). */
export interface RunSummary {
  /** The warehouse written, without secrets. */
  readonly warehouse: string;
  readonly bundledSample: boolean;
  readonly songs: DatasetSummary;
  readonly events: DatasetSummary;
  /** Row counts of the star tables after publishing. */
  readonly tables: Readonly<Record<'songplays' | 'users' | 'songs' | 'artists' | 'time', number>>;
  /** Songplays with a song_id, over all songplays (0 when there are none). */
  readonly matchedShare: number;
  readonly matchedSongplays: number;
  /** How plays found their song (`--match`). */
  readonly match: MatchMode;
  /** With `--match normalized`: the songplays the exact rule alone matches, and their share. */
  readonly exactMatch?: { readonly songplays: number; readonly share: number };
  /** The quality checks run on the new tables before they were published. */
  readonly checks: CheckReport;
  /** Rejected records, found in `load_errors`. */
  readonly rejected: number;
  readonly maxErrors: number;
  /** Seconds per stage. */
  readonly seconds: Readonly<Partial<Record<StageName, number>>>;
  readonly totalSeconds: number;
  /** Peak resident memory of this process so far, in megabytes. */
  readonly peakMemoryMB: number;
}
