/**
 * The source contract: where a dataset's files are (a local folder or an S3 prefix) and how to read them.
 * The pipeline sees only this; each folder under `sources/` exports a `SourceDescriptor` listed in
 * `source-registry.ts`, so a new kind of storage is one new folder and one registry line.
 */
import type { Readable } from 'node:stream';
import type { S3Settings } from '../config/settings.js';

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

/** How a listing will be used. */
export interface ListOptions {
  /**
   * The caller will ask every object's change token (it compares them with the ledger): a local folder then
   * stats its files as it lists them, on worker threads, instead of one by one when asked.
   */
  readonly changeTokens?: boolean;
}

/** A dataset's location: a folder, or an S3 prefix. */
export interface DataLocation {
  /** The folder or `s3://bucket/prefix`, for messages. */
  readonly uri: string;
  /** Every `.json` object below the location, in key order, streamed (never collected whole). */
  list(options?: ListOptions): AsyncIterable<SourceObject>;
  /** The whole content of a (small) object. */
  read(object: SourceObject): Promise<Buffer>;
  /** The content of an object as a byte stream, for large objects. */
  stream(object: SourceObject): Readable;
  /** Objects to read at once, when the storage has its own best value (S3's `--s3-concurrency`). */
  readonly concurrency?: number;
  /**
   * True when every object is a file on this machine and its `uri` is its path: the staging workers then
   * read the files themselves, with synchronous reads (far cheaper per tiny file); objects of any other
   * location are fetched with `read` on the main thread and their bytes handed to the workers.
   */
  readonly localFiles?: boolean;
  /** Files below the location that were passed over because they are not `.json`. Valid after `list()` ends. */
  readonly skipped: readonly string[];
  /**
   * Told, when there is a listener, what a staging worker found opening a local file it read: its size and
   * change token as of the read. The file ledger takes a new file's row from here, so the main thread, which
   * feeds the workers, does not stat each file a second time.
   */
  settle?(uri: string, size: number, changeToken: string): void;
}

/** The settings a source may read (the run's `Settings` has them all). */
export interface SourceSettings {
  readonly s3: S3Settings;
}

/** A kind of storage; see the module comment. Its module stays light: an SDK loads inside `open`. */
export interface SourceDescriptor {
  /** Its name for people: `S3`. */
  readonly title: string;
  /** True for a location string this source reads (`s3://...`); the registry asks in its order. */
  matches(location: string): boolean;
  /** Opens `location` for listing and reading. */
  open(location: string, settings: SourceSettings): Promise<DataLocation>;
  /**
   * Why `location` cannot be read, when that is known at once without the network (a local folder that is
   * not there), so a run can refuse it before it opens the warehouse; undefined otherwise.
   */
  unreadable?(location: string): string | undefined;
}
