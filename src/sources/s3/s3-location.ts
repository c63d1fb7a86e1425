/**
 * A dataset under an S3 prefix (`s3://bucket/prefix`), read straight from the bucket.
 *
 * The listing is paged (1,000 keys a request) and yielded key by key, so a prefix of hundreds of thousands
 * of objects never sits in memory; the pipeline reads objects `concurrency` at a time, small ones whole and
 * large ones as streams. Retries on throttling, 5xx and network errors are the SDK's (see
 * s3-client-factory.ts). Every record keeps `s3://bucket/key` as its source file.
 */
import { Readable } from 'node:stream';
import { GetObjectCommand, paginateListObjectsV2, type ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import { SourceError } from '../../errors.js';
import type { DataLocation, SourceObject } from '../source.js';
import { connectToBucket, contextOf, type BucketConnection, type S3ClientSettings } from './s3-client-factory.js';
import { toSourceError } from './s3-error-mapper.js';

/** A bucket and a key prefix, parsed from `s3://bucket/prefix`. */
export interface S3Address {
  readonly bucket: string;
  /** The key prefix, empty or ending in `/`: a location is a folder, as Redshift users write it. */
  readonly prefix: string;
}

/**
 * Parses `s3://bucket/prefix`. The prefix is taken as a folder (`s3://b/song_data` lists `song_data/...`, not
 * `song_data_old/...`).
 *
 * @example
 * parseS3Uri('s3://udacity-dend/song_data') // { bucket: 'udacity-dend', prefix: 'song_data/' }
 */
export function parseS3Uri(uri: string): S3Address {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/i.exec(uri.trim());
  const bucket = match?.[1];
  // Loose on purpose: AWS names are 3-63 of a-z, 0-9, '.', '-', but legacy buckets and S3-compatible stores differ;
  // a name S3 does not know gets its own clear "does not exist" line.
  if (!bucket || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/.test(bucket)) {
    throw new SourceError(`${uri} is not an S3 location: expected s3://bucket or s3://bucket/prefix with a valid bucket name`);
  }
  const path = (match[2] ?? '').replace(/^\/+/, '').replace(/\/+$/, '');
  return { bucket, prefix: path === '' ? '' : `${path}/` };
}

/** Keys per listing request: S3's maximum. */
const PAGE_SIZE = 1000;

/** An S3 prefix holding song or log files. */
export class S3Location implements DataLocation {
  readonly uri: string;
  readonly concurrency: number;
  private readonly skippedKeys: string[] = [];

  private constructor(
    private readonly connection: BucketConnection,
    private readonly address: S3Address,
    concurrency: number,
  ) {
    this.uri = `s3://${address.bucket}/${address.prefix}`;
    this.concurrency = concurrency;
  }

  /**
   * Opens `uri` (s3://bucket/prefix): resolves credentials, region and endpoint and checks that the bucket
   * answers. Throws a SourceError with one actionable line when it does not.
   */
  static async open(uri: string, settings: S3ClientSettings): Promise<S3Location> {
    const address = parseS3Uri(uri);
    const connection = await connectToBucket(address.bucket, settings);
    return new S3Location(connection, address, settings.concurrency);
  }

  /** The region requests are signed for (configured, or the bucket's own). */
  get region(): string {
    return this.connection.region;
  }

  get skipped(): readonly string[] {
    return this.skippedKeys;
  }

  async *list(): AsyncGenerator<SourceObject> {
    this.skippedKeys.length = 0;
    const { bucket, prefix } = this.address;
    const pages = paginateListObjectsV2({ client: this.connection.client, pageSize: PAGE_SIZE }, { Bucket: bucket, Prefix: prefix });
    let keys = 0;
    for (;;) {
      // Only the request sits in the try: an error thrown into a suspended yield is not S3's.
      let page: IteratorResult<ListObjectsV2CommandOutput>;
      try {
        page = await pages.next();
      } catch (error) {
        throw toSourceError(error, contextOf(this.connection, this.uri, 'list'));
      }
      if (page.done) break;
      for (const entry of page.value.Contents ?? []) {
        if (!entry.Key) continue;
        keys += 1;
        // "Folder" markers that consoles create are not files.
        if (entry.Key.endsWith('/')) continue;
        const objectUri = `s3://${bucket}/${entry.Key}`;
        if (entry.Key.endsWith('.json'))
          yield { uri: objectUri, size: entry.Size ?? 0, changeToken: entry.ETag ?? `size:${entry.Size ?? 0}` };
        else if (!baseName(entry.Key).startsWith('.')) this.skippedKeys.push(objectUri);
      }
    }
    if (keys === 0) {
      // The S3 twin of a missing folder: almost always a mistyped prefix, which would otherwise load nothing.
      throw new SourceError(`Nothing found under ${this.uri}: check the prefix (keys are case-sensitive)`);
    }
  }

  async read(object: SourceObject): Promise<Buffer> {
    const body = await this.fetch(object);
    try {
      const bytes = await body.transformToByteArray();
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } catch (error) {
      throw toSourceError(error, contextOf(this.connection, object.uri, 'read'));
    }
  }

  /** Streams the object; the GET starts when the stream is first read (the contract is synchronous). */
  stream(object: SourceObject): Readable {
    const chunks = async function* (this: S3Location): AsyncGenerator<Buffer> {
      const body = await this.fetch(object);
      try {
        for await (const chunk of body as AsyncIterable<Buffer>) yield chunk;
      } catch (error) {
        throw toSourceError(error, contextOf(this.connection, object.uri, 'read'));
      } finally {
        // Reached early when the consumer stops: release the socket instead of draining the object.
        (body as Partial<Readable>).destroy?.();
      }
    };
    return Readable.from(chunks.call(this), { objectMode: false });
  }

  /** The key of an object listed here. */
  keyOf(object: SourceObject): string {
    const head = `s3://${this.address.bucket}/`;
    if (!object.uri.startsWith(head)) throw new SourceError(`${object.uri} is not in bucket ${this.address.bucket}`);
    return object.uri.slice(head.length);
  }

  private async fetch(object: SourceObject) {
    try {
      const output = await this.connection.client.send(new GetObjectCommand({ Bucket: this.address.bucket, Key: this.keyOf(object) }));
      if (!output.Body) throw new SourceError(`S3 returned no content for ${object.uri}`);
      return output.Body;
    } catch (error) {
      throw toSourceError(error, contextOf(this.connection, object.uri, 'read'));
    }
  }
}

function baseName(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}
