/**
 * What a run reports: per-source files new / changed / unchanged / removed and the reconciliation of the
 * records it loaded (read = staged + rejected), star table sizes, the share of songplays matched to a song,
 * and time per stage.
 */
import type { FileCounts } from './file-selection.js';
import type { RunMode } from './run-record.js';
import type { CheckReport } from '../checks/check-report.js';
import type { MatchMode } from '../warehouses/sql/match-sql.js';
import type { StageName } from './progress.js';

/** How one dataset's load reconciles. */
export interface DatasetSummary {
  /** The folder or S3 prefix read. */
  readonly location: string;
  /** The source's files against the ledger: new, changed, unchanged, removed. */
  readonly files: FileCounts;
  /** Files this run read (new and changed, or all of them on a full refresh). */
  readonly filesRead: number;
  readonly bytes: number;
  /** Records found in the files read. Always equals staged + rejected. */
  readonly read: number;
  readonly staged: number;
  readonly rejected: number;
  /** Files below the location passed over: not `.json`, or (local) a link to nothing or in a loop. */
  readonly skippedFiles: number;
  /** Staged loading (Redshift with --s3-staging): objects the COPY of this dataset read, bytes uploaded. */
  readonly stagedObjects?: StagedObjectCounts;
}

/** What staged loading uploaded and COPY read through manifests. */
export interface StagedObjectCounts {
  /** Objects COPY read. */
  readonly objects: number;
  /** Bytes uploaded to the staging location (objects and manifests). */
  readonly bytes: number;
}

/** The outcome of a run (or an `etl`). */
export interface RunSummary {
  /** The warehouse written, without secrets. */
  readonly warehouse: string;
  readonly bundledSample: boolean;
  /** This run's id in `sparkify_runs`. */
  readonly runId: number;
  readonly mode: RunMode;
  /** False for a run that found nothing new and changed no table. */
  readonly published: boolean;
  /** With `published` false: the latest run that published. */
  readonly nothingNewSince?: { readonly runId: number; readonly finishedAt: Date };
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
  /** The quality checks run on the new tables before they were published (absent when nothing was new). */
  readonly checks?: CheckReport;
  /** Records this run rejected, now in `load_errors`. */
  readonly rejected: number;
  /**
   * Staged loading: every COPY of the run (staging rows, rejects, the file ledger) together, and how many
   * COPYs ran (none on a run with nothing new).
   */
  readonly staging?: StagedObjectCounts & { readonly copies: number };
  readonly maxErrors: number;
  /** Seconds per stage. */
  readonly seconds: Readonly<Partial<Record<StageName, number>>>;
  readonly totalSeconds: number;
  /** Peak resident memory of this process so far, in megabytes. */
  readonly peakMemoryMB: number;
  /** The settings' notes: config keys not used, and why the run loaded into the embedded warehouse. */
  readonly notes: readonly string[];
}
