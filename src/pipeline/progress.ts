/**
 * Progress reports from a running pipeline. The CLI draws them on a terminal; a program may log them.
 */

/** The stages of a run, in order. */
export type StageName = 'create-tables' | 'stage-songs' | 'stage-events' | 'publish';

/** A snapshot of one stage's progress. */
export interface ProgressEvent {
  readonly stage: StageName;
  /** Files (or objects) read so far in this stage. */
  readonly files: number;
  /** Records read so far. */
  readonly records: number;
  /** Bytes read so far. */
  readonly bytes: number;
  /** True on the last report of the stage. */
  readonly done: boolean;
}

/** Receives progress; must be cheap, it is called often. */
export type ProgressListener = (event: ProgressEvent) => void;
