/**
 * Redshift's staged loading: CSV chunks (from the staging workers, or encoded here from row batches) are
 * gzip-compressed into a few large objects under the S3 staging location, uploaded as they fill, then
 * listed in a manifest that one COPY ... MANIFEST reads. The objects and the manifest are deleted after a
 * successful COPY unless `--keep-staging`; after a failed COPY they stay, for a look at what COPY refused.
 *
 * Object size: Redshift's guidance is 1 MB to 1 GB per file after compression, their number a multiple of
 * the slices. An object is cut once it holds OBJECT_BYTES compressed (see README "Redshift staged loading"
 * for the measurement): large enough that the real song data (about 385,000 tiny files) becomes one object and
 * a month of M's events two, small enough that an object in memory plus one uploading (about 130 MB) stay
 * well within the loader's memory and a single PutObject each (no multipart upload needed).
 */
import { randomUUID } from 'node:crypto';
import { finished } from 'node:stream/promises';
import { createGzip, type Gzip } from 'node:zlib';
import { ConfigError, WarehouseError } from '../../errors.js';
import type { StagingRow } from '../../records/record-types.js';
import type { TableSpec } from '../../schema/table-spec.js';
import { CopyRowEncoder } from '../postgres/postgres-copy-format.js';
import type { SqlDialect } from '../sql/sql-dialect.js';
import type { StagedLoads, StagedObjectLoad, StagedUploads, StagingStore, StorageSettings, TableWriter } from '../warehouse.js';
import { OBJECT_BYTES, manifestJson, stagedCopySql, stagedObjectName, stagingPaths, type StagingPaths } from './redshift-manifest.js';

// Level 1: on M's events (1.5 million, 700 MB of JSON lines) read-check-upload took 6.8 s at level 1 and
// 9.5 s at zlib's default 6, for 94 MB against 75 MB uploaded (README "Redshift staged loading"): the
// time saved is worth more than the bytes, which COPY reads in parallel anyway.
const GZIP_LEVEL = 1;

/** What a staged object load needs. */
export interface StagedObjectOptions {
  readonly table: TableSpec;
  readonly bucket: StagingStore;
  readonly paths: StagingPaths;
  /** Runs the COPY statement (on the warehouse's session). */
  readonly copy: (sql: string) => Promise<void>;
  /** The COPY of the manifest at the given URL. */
  readonly copySql: (manifest: string) => string;
  readonly keep: boolean;
  /** Compressed bytes at which an object is cut (default OBJECT_BYTES). */
  readonly objectBytes?: number;
  /** zlib's level (default GZIP_LEVEL); the benchmark compares levels. */
  readonly gzipLevel?: number;
}

/** One object being filled: its gzip stream and the compressed bytes it has put out so far. */
interface FillingObject {
  readonly gzip: Gzip;
  readonly chunks: Buffer[];
  bytes: number;
}

/**
 * A CSV chunk load through staged S3 objects and one manifest COPY; see the module comment. Chunks may
 * arrive from several workers at once: each object owns its stream, so a cut never mixes two objects, and
 * an abort may come while any of them is sealing an object.
 */
export class StagedObjectWriter implements StagedObjectLoad {
  readonly kind = 'csv-chunks';
  private current: FillingObject | undefined;
  private readonly entries: { url: string; bytes: number }[] = [];
  private uploading: Promise<void> = Promise.resolve();
  private failure: unknown;
  private rows = 0;
  private uploaded = 0;
  private copied = false;

  constructor(private readonly options: StagedObjectOptions) {}

  async add(bytes: Uint8Array, rows: number): Promise<void> {
    if (this.failure) throw this.failure;
    if (rows === 0) return;
    this.rows += rows;
    if (!this.current) this.current = this.freshObject();
    const object = this.current;
    const more = object.gzip.write(bytes);
    if (object.bytes >= (this.options.objectBytes ?? OBJECT_BYTES) && this.current === object) await this.seal(object);
    else if (!more) await drainedOrEnded(object.gzip);
  }

  /** Uploads the last object and the manifest, COPYs, and deletes the staging (unless kept). No rows: no COPY. */
  async finish(): Promise<number> {
    if (this.current) await this.seal(this.current);
    await this.uploading;
    if (this.failure) throw this.failure;
    if (this.rows === 0) return 0;
    const { bucket, paths } = this.options;
    const manifest = Buffer.from(manifestJson(this.entries));
    await bucket.put(paths.manifest, manifest, 'application/json');
    this.uploaded += manifest.length;
    try {
      await this.options.copy(this.options.copySql(paths.manifest));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new WarehouseError(`${message} (the staged objects are kept for a look: ${paths.manifest})`, { cause: error });
    }
    this.copied = true;
    if (!this.options.keep) await bucket.delete([...this.entries.map((entry) => entry.url), paths.manifest]);
    return this.rows;
  }

  /** Stops compressing and deletes what was uploaded: nothing was COPYed. */
  async abort(): Promise<void> {
    // An object being sealed now queues its upload only after this: the failure makes that step skip it,
    // so nothing lands after the delete below.
    this.failure ??= new WarehouseError(`The staged load of ${this.options.table.name} was abandoned`);
    this.current?.gzip.destroy();
    this.current = undefined;
    await this.uploading.catch(() => undefined);
    const urls = this.entries.map((entry) => entry.url);
    if (urls.length > 0) await this.options.bucket.delete([...urls, this.options.paths.manifest]).catch(() => undefined);
  }

  uploads(): StagedUploads {
    return {
      objects: this.copied ? this.entries.length : 0,
      bytes: this.uploaded,
      ...(this.copied ? { manifest: this.options.paths.manifest } : {}),
    };
  }

  private freshObject(): FillingObject {
    const object: FillingObject = { gzip: createGzip({ level: this.options.gzipLevel ?? GZIP_LEVEL }), chunks: [], bytes: 0 };
    object.gzip.on('data', (chunk: Buffer) => {
      object.chunks.push(chunk);
      object.bytes += chunk.length;
    });
    return object;
  }

  // Ends `object` and queues its upload after the previous one's; then waits for that previous upload, so
  // at most one object uploads while the next one fills.
  private async seal(object: FillingObject): Promise<void> {
    this.current = undefined;
    const entry = { url: this.options.paths.objects + stagedObjectName(this.entries.length), bytes: 0 };
    this.entries.push(entry);
    object.gzip.end();
    await finished(object.gzip);
    const body = Buffer.concat(object.chunks);
    entry.bytes = body.length;
    const previous = this.uploading;
    this.uploading = previous
      .then(() => (this.failure ? undefined : this.options.bucket.put(entry.url, body, 'application/gzip')))
      .then(
        () => {
          this.uploaded += body.length;
        },
        (error: unknown) => {
          this.failure = error;
        },
      );
    await previous;
    if (this.failure) throw this.failure;
  }
}

/**
 * Resolves once `gzip` takes more writes ('drain') or has ended. Another chunk may seal the object while
 * this one waits, and a stream that is ending never emits 'drain': waiting for it alone hung the load
 * (test/redshift/staged-object-writer.test.ts). The chunk is in the object either way: a write that
 * returns false has still taken its bytes.
 */
function drainedOrEnded(gzip: Gzip): Promise<void> {
  return new Promise((resolve) => {
    const events = ['drain', 'finish', 'close', 'error'] as const;
    const done = () => {
      for (const event of events) gzip.off(event, done);
      resolve();
    };
    for (const event of events) gzip.on(event, done);
  });
}

/**
 * The most of a rejected record's raw text Redshift can keep: a VARCHAR holds 65,535 bytes, and COPY refuses
 * a row over 4 MB, while a record may reach 16 MiB. Cut here, at a character boundary, so the COPY never
 * fails on it.
 */
export const RAW_RECORD_BYTES = 65_535;

/** A row writer (rejects, the file ledger) whose rows take the staged way: CSV, gzip, S3, manifest COPY. */
export class StagedRowWriter implements TableWriter {
  readonly kind = 'rows';
  private readonly encoder: CopyRowEncoder;
  private readonly rawColumn: number;

  constructor(
    table: TableSpec,
    private readonly objects: StagedObjectWriter,
  ) {
    // A rejected record's raw text may hold NUL: kept as the \u0000 escape, as on PostgreSQL.
    this.encoder = new CopyRowEncoder(table, 'escape');
    this.rawColumn = table.columns.findIndex((column) => column.name === 'raw_record');
  }

  async write(rows: readonly StagingRow[]): Promise<void> {
    if (rows.length === 0) return;
    const fitting = this.rawColumn < 0 ? rows : rows.map((row) => this.clipped(row));
    await this.objects.add(this.encoder.encode(fitting), rows.length);
  }

  private clipped(row: StagingRow): StagingRow {
    const raw = row[this.rawColumn];
    if (typeof raw !== 'string' || raw.length * 3 <= RAW_RECORD_BYTES || Buffer.byteLength(raw) <= RAW_RECORD_BYTES) return row;
    const copy = [...row];
    copy[this.rawColumn] = clipUtf8(raw, RAW_RECORD_BYTES);
    return copy;
  }

  finish(): Promise<number> {
    return this.objects.finish();
  }

  abort(): Promise<void> {
    return this.objects.abort();
  }

  uploads(): StagedUploads {
    return this.objects.uploads();
  }
}

/** `text` cut to at most `bytes` bytes of UTF-8, never inside a character. */
export function clipUtf8(text: string, bytes: number): string {
  const encoded = Buffer.from(text, 'utf8');
  if (encoded.length <= bytes) return text;
  let end = bytes;
  // Back to the start of a character: continuation bytes are 10xxxxxx.
  while (end > 0 && (encoded[end]! & 0xc0) === 0x80) end -= 1;
  return encoded.subarray(0, end).toString('utf8');
}

/** What opening a run's staged loads needs from the warehouse. */
export interface StagedLoadContext {
  readonly dialect: SqlDialect;
  /** Runs a COPY statement on the warehouse. */
  readonly copy: (sql: string) => Promise<void>;
}

/**
 * The staged loads of one run, into `bucket` (the staging prefix, whose own region COPY names: it may differ
 * from the source's); names the run's folder under the staging prefix (a time stamp and a random tag, so two runs never share objects).
 */
export async function openRedshiftStagedLoads(
  settings: StorageSettings,
  bucket: StagingStore,
  context: StagedLoadContext,
): Promise<StagedLoads> {
  const staging = settings.storageLoad?.staging;
  if (!staging) throw new ConfigError('Staged loading needs an S3 staging location: give --s3-staging s3://bucket/prefix/');
  const iamRole = settings.iamRole;
  if (!iamRole) {
    throw new ConfigError(
      "Redshift's COPY reads the staged objects as an IAM role the cluster may assume: set ARN in dwh.cfg's [IAM_ROLE] section or SPARKIFY_IAM_ROLE",
    );
  }
  const run = stagingRunTag();
  const objects = (table: TableSpec) =>
    new StagedObjectWriter({
      table,
      bucket,
      paths: stagingPaths(staging, run, table.name),
      copy: context.copy,
      copySql: (manifest) => stagedCopySql({ table, manifest, iamRole, region: bucket.region }, context.dialect),
      keep: settings.storageLoad?.keep ?? false,
    });
  return {
    open: async (table) => objects(table),
    openWriter: async (table) => new StagedRowWriter(table, objects(table)),
    close: () => bucket.close(),
  };
}

/** The folder name of one run's staging: `run-20261201T230000Z-1a2b3c4d`. */
export function stagingRunTag(now = new Date()): string {
  return `run-${now.toISOString().replace(/[-:]|\.\d+/g, '')}-${randomUUID().slice(0, 8)}`;
}
