/**
 * Measures how fast objects come out of an S3 prefix, for the benchmark: the song prefix holds hundreds of
 * thousands of tiny objects, so objects per second (latency-bound) matters far more than bytes per second.
 * It lists and reads exactly as a load does (S3Location, whole-object reads, a bounded number at once) but
 * parses nothing.
 */
import { Readable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import type { S3Location } from './s3-location.js';

/** What to measure. */
export interface S3FetchRateOptions {
  /** The prefix to read, `s3://bucket/prefix`; or give `bucket` and `prefix`. */
  readonly uri?: string;
  readonly bucket?: string;
  readonly prefix?: string;
  /** Objects fetched at once; 1 measures one-at-a-time. */
  readonly concurrency: number;
  /** An S3-compatible endpoint (path-style), such as a loopback server. */
  readonly endpoint?: string;
  readonly region?: string;
  /** Send requests unsigned (public buckets, test servers). */
  readonly noSignRequest?: boolean;
  /** Stop after this many objects (default: all of them). */
  readonly limit?: number;
}

/** The result of one measurement. */
export interface S3FetchRate {
  readonly concurrency: number;
  readonly objects: number;
  readonly bytes: number;
  /** Listing and reading, from the first request to the last byte. */
  readonly seconds: number;
  readonly objectsPerSecond: number;
  readonly bytesPerSecond: number;
}

/**
 * Lists and reads the objects under a prefix `concurrency` at a time and reports the rate.
 *
 * @example
 * const one = await measureS3FetchRate({ endpoint, bucket: 'b', prefix: 'song_data', concurrency: 1 });
 * const many = await measureS3FetchRate({ endpoint, bucket: 'b', prefix: 'song_data', concurrency: 32 });
 * console.log(many.objectsPerSecond / one.objectsPerSecond);
 */
export async function measureS3FetchRate(options: S3FetchRateOptions): Promise<S3FetchRate> {
  const uri = options.uri ?? `s3://${options.bucket ?? ''}/${options.prefix ?? ''}`;
  // Loaded here, not at the top, so importing this module does not load the AWS SDK.
  const { S3Location } = await import('./s3-location.js');
  const location: S3Location = await S3Location.open(uri, {
    region: options.region,
    endpoint: options.endpoint,
    noSignRequest: options.noSignRequest ?? false,
    concurrency: options.concurrency,
  });
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  let objects = 0;
  let bytes = 0;
  const started = performance.now();
  const reads = Readable.from(location.list())
    .take(limit)
    .map(async (object) => (await location.read(object)).byteLength, { concurrency: options.concurrency });
  for await (const size of reads as AsyncIterable<number>) {
    objects += 1;
    bytes += size;
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    concurrency: options.concurrency,
    objects,
    bytes,
    seconds,
    objectsPerSecond: objects / seconds,
    bytesPerSecond: bytes / seconds,
  };
}
