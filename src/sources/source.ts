/**
 * The source contract: where a dataset's files are (a local folder or an S3 prefix) and how to read them.
 * The pipeline sees only this, so a new kind of storage is one new folder under `sources/`.
 */
import type { Readable } from 'node:stream';

/** One file (or S3 object) of a dataset. */
export interface SourceObject {
  /** Its full name as records will cite it: a local path, or `s3://bucket/key`. */
  readonly uri: string;
  /** Size in bytes: from the listing on S3, read from the file when first asked for on a local folder. */
  readonly size: number;
  /**
   * What changes when the object's content does: `<size>:<mtime ms>` for a local file (read when first asked
   * for), the ETag for an S3 object. The ledger compares it run to run.
   */
  readonly changeToken: string;
}

/** A dataset's location: a folder, or an S3 prefix. */
export interface DataLocation {
  /** The folder or `s3://bucket/prefix`, for messages. */
  readonly uri: string;
  /** Every `.json` object below the location, in key order, streamed (never collected whole). */
  list(): AsyncIterable<SourceObject>;
  /** The whole content of a (small) object. */
  read(object: SourceObject): Promise<Buffer>;
  /** The content of an object as a byte stream, for large objects. */
  stream(object: SourceObject): Readable;
  /** Objects to read at once, when the storage has its own best value (S3's `--s3-concurrency`). */
  readonly concurrency?: number;
  /**
   * True when every object is a file on this machine and its `uri` is its path: the stager may then read
   * the files itself, in worker threads, with synchronous reads (far cheaper per tiny file).
   */
  readonly localFiles?: boolean;
  /** Files below the location that were passed over because they are not `.json`. Valid after `list()` ends. */
  readonly skipped: readonly string[];
}

/** The two datasets a run reads. */
export interface SparkifySource {
  readonly songData: DataLocation;
  readonly logData: DataLocation;
}
