/**
 * The two datasets of a run, songs and events: what a warehouse knows of each (name, staging table,
 * fields) and how the stager reads it (how records are split, how many objects at once).
 */
import { splitJsonLines } from '../records/event-line-splitter.js';
import type { RawRecord } from '../records/record-types.js';
import { splitJsonObjects } from '../records/song-object-splitter.js';
import { EVENT_FIELDS, SONG_FIELDS, STAGING_EVENTS, STAGING_SONGS } from '../schema/staging-tables.js';
import type { StagingDataset } from '../warehouses/warehouse.js';
import type { StageName } from './progress.js';

/** How one dataset is read and where it lands: what a warehouse knows of it, and how the stager reads it. */
export interface DatasetSpec extends StagingDataset {
  readonly stage: StageName;
  readonly split: (chunks: AsyncIterable<string>, file: string) => AsyncIterable<RawRecord>;
  /** The same split, by name, for worker threads (which cannot be handed a function). */
  readonly format: 'json-objects' | 'json-lines';
  /** Objects read at once: many for tiny song files (latency-bound), few for big log files. */
  readonly concurrency: number;
  /** A cap on `concurrency` whatever the location asks for: big files held at once cost memory. */
  readonly maxConcurrency: number;
}

/** Song files: one or more JSON objects each. */
export const SONG_DATASET: DatasetSpec = {
  name: 'songs',
  stage: 'stage-songs',
  table: STAGING_SONGS,
  fields: SONG_FIELDS,
  split: splitJsonObjects,
  format: 'json-objects',
  concurrency: 64,
  maxConcurrency: 1024,
};

/** Log files: JSON lines. */
export const EVENT_DATASET: DatasetSpec = {
  name: 'events',
  stage: 'stage-events',
  table: STAGING_EVENTS,
  fields: EVENT_FIELDS,
  split: splitJsonLines,
  format: 'json-lines',
  concurrency: 4,
  maxConcurrency: 4,
};

/** Counts of one dataset's load; `read` always equals `staged + rejected`. */
export interface StagedCounts {
  files: number;
  bytes: number;
  read: number;
  staged: number;
  rejected: number;
}
