/**
 * The S3 location on its own, against s3rver on loopback: parsing `s3://` locations, what the listing yields
 * and skips, paging past 1,000 keys, streaming of large objects, finding the bucket's region, the endpoint variables the SDK reads
 * natively, and the fetch-rate measurement the benchmark uses.
 */
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/pipeline/run.js';
import { SourceError } from '../../src/errors.js';
import { measureS3FetchRate } from '../../src/sources/s3/s3-fetch-rate.js';
import { S3Location, parseS3Uri } from '../../src/sources/s3/s3-location.js';
import { openLocation } from '../../src/sources/open-location.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { tempFolder, testWarehouses } from '../support/test-warehouses.js';
import { serverEnv, useAwsEnv } from './aws-test-env.js';
import { bucketInRegion, s3Error, startFaultProxy } from './fault-proxy.js';

const SETTINGS = { noSignRequest: false, concurrency: 8 } as const;
const BIG_LOG_EVENTS = 6000;
const PAGINATED_KEYS = 1050;

let server: S3TestServer;
let restoreEnv: (() => void) | undefined;

beforeAll(async () => {
  restoreEnv = useAwsEnv();
  server = await startS3Server(['layout', 'big', 'many']);
  // 1,050 tiny song files: more than one listing page (S3 returns at most 1,000 keys a request).
  const uploads = server.putMany('many', manySongs(PAGINATED_KEYS));
  await server.putMany('layout', [
    { key: 'song_data/', body: '' }, // a console-made "folder" marker
    { key: 'song_data/B/b.json', body: '{}' },
    { key: 'song_data/A/a.json', body: '{"x": 1}' },
    { key: 'song_data/A/notes.txt', body: 'not data' },
    { key: 'song_data/A/.DS_Store', body: 'hidden' },
    { key: 'song_data_old/c.json', body: '{}' },
    ...Array.from({ length: 60 }, (_, index) => ({ key: `rate/${String(index).padStart(3, '0')}.json`, body: `{"n": ${index}}` })),
  ]);
  await server.put('big', 'log_data/2018/11/2018-11-30-events.json', bigLog(BIG_LOG_EVENTS));
  const song = { num_songs: 1, artist_id: 'AR1', artist_latitude: null, artist_longitude: null, artist_location: '' };
  const named = { ...song, artist_name: 'A', song_id: 'SO1', title: 'T', duration: 1.5, year: 0 };
  await server.put('big', 'song_data/A/A/A/song.json', JSON.stringify(named));
  await uploads;
});

afterAll(async () => {
  await server?.stop();
  restoreEnv?.();
});

afterEach(() => {
  useAwsEnv();
  vi.restoreAllMocks();
});

describe('parseS3Uri', () => {
  it('takes the prefix as a folder', () => {
    expect(parseS3Uri('s3://udacity-dend')).toEqual({ bucket: 'udacity-dend', prefix: '' });
    expect(parseS3Uri('s3://udacity-dend/')).toEqual({ bucket: 'udacity-dend', prefix: '' });
    expect(parseS3Uri('s3://udacity-dend/song_data')).toEqual({ bucket: 'udacity-dend', prefix: 'song_data/' });
    expect(parseS3Uri('S3://udacity-dend/song-data/A/A/A/')).toEqual({ bucket: 'udacity-dend', prefix: 'song-data/A/A/A/' });
  });

  it('rejects what is not a bucket', () => {
    expect(() => parseS3Uri('s3://')).toThrow(SourceError);
    expect(() => parseS3Uri('s3://-a/b')).toThrow('s3://-a/b is not an S3 location: expected s3://bucket or s3://bucket/prefix');
    expect(() => parseS3Uri('s3://bad bucket/x')).toThrow(SourceError);
  });
});

describe('S3Location', () => {
  it('lists .json keys in key order with their sizes; other files go to skipped, markers and hidden files are ignored', async () => {
    useAwsEnv(serverEnv(server.endpoint));
    const location = await openLocation('s3://layout/song_data', { ...SETTINGS, concurrency: 5 });
    expect(location).toBeInstanceOf(S3Location);
    expect(location.uri).toBe('s3://layout/song_data/');
    expect(location.concurrency).toBe(5);
    const objects = [];
    for await (const object of location.list()) objects.push(object);
    expect(objects).toEqual([
      // The ETag is the change token the ledger compares: the MD5 of a single-part upload, quoted.
      { uri: 's3://layout/song_data/A/a.json', size: 8, changeToken: `"${createHash('md5').update('{"x": 1}').digest('hex')}"` },
      { uri: 's3://layout/song_data/B/b.json', size: 2, changeToken: expect.stringMatching(/^"[0-9a-f]{32}"$/) },
    ]);
    expect(location.skipped).toEqual(['s3://layout/song_data/A/notes.txt']);
    expect((await location.read(objects[0]!)).toString()).toBe('{"x": 1}');
  });

  it('pages through more than 1,000 keys, fetching the next page only when the last one is used up', async () => {
    let listRequests = 0;
    const counting = await startFaultProxy(server.endpoint, (request) => {
      if (request.method === 'GET' && request.url?.includes('list-type=2')) listRequests += 1;
      return undefined;
    });
    try {
      useAwsEnv(serverEnv(counting.endpoint));
      const location = await S3Location.open('s3://many/song_data', SETTINGS);
      const listing = location.list();
      const first = await listing.next();
      expect(first.value).toEqual({
        uri: 's3://many/song_data/A/TRMANY00000.json',
        size: expect.any(Number),
        changeToken: expect.any(String),
      });
      // Streamed: one page in hand, the next not asked for yet.
      expect(listRequests).toBe(1);
      const rest = await collect(listing);
      expect(rest).toHaveLength(PAGINATED_KEYS - 1);
      expect(listRequests).toBe(2);
      const uris = [first.value!.uri, ...rest.map((object) => object.uri)];
      expect(uris).toEqual([...uris].sort());
      expect(new Set(uris).size).toBe(PAGINATED_KEYS);
    } finally {
      await counting.close();
    }
  });

  it('streams a large object in chunks, and the pipeline stages it through the stream path', async () => {
    useAwsEnv(serverEnv(server.endpoint));
    const location = await S3Location.open('s3://big/log_data', SETTINGS);
    const [object] = await collect(location.list());
    expect(object!.size).toBeGreaterThan(1 << 20);
    let chunks = 0;
    let bytes = 0;
    for await (const chunk of location.stream(object!)) {
      chunks += 1;
      bytes += (chunk as Buffer).byteLength;
    }
    expect(bytes).toBe(object!.size);
    expect(chunks).toBeGreaterThan(1);

    const streamed = vi.spyOn(S3Location.prototype, 'stream');
    const summary = await run({
      env: {},
      cwd: tempFolder(),
      options: { source: 's3://big', warehouse: testWarehouses()[0]!.fresh() },
    });
    expect(streamed).toHaveBeenCalledTimes(1);
    expect(summary.events).toMatchObject({ filesRead: 1, bytes: object!.size, read: BIG_LOG_EVENTS, staged: BIG_LOG_EVENTS, rejected: 0 });
  });

  it('finds the bucket region when none is configured, and signs for it', async () => {
    const west = await startFaultProxy(server.endpoint, bucketInRegion('us-west-2'));
    try {
      useAwsEnv({ ...serverEnv(west.endpoint), AWS_REGION: undefined });
      const location = await S3Location.open('s3://layout/song_data', SETTINGS);
      expect(location.region).toBe('us-west-2');
      expect(await collect(location.list())).toHaveLength(2);

      useAwsEnv(serverEnv(west.endpoint, 'us-west-2'));
      expect((await S3Location.open('s3://layout/song_data', SETTINGS)).region).toBe('us-west-2');
    } finally {
      await west.close();
    }
  });

  it('names the right region when only the error body says it (AuthorizationHeaderMalformed mid-listing)', async () => {
    const proxy = await startFaultProxy(server.endpoint, (request) =>
      // No x-amz-bucket-region header this time: only the error document names the region.
      request.method === 'GET' ? s3Error(400, 'AuthorizationHeaderMalformed', 'wrong region', { Region: 'ap-south-1' }) : undefined,
    );
    try {
      useAwsEnv(serverEnv(proxy.endpoint, 'us-east-1'));
      const location = await S3Location.open('s3://layout/song_data', SETTINGS);
      await expect(collect(location.list())).rejects.toThrow(
        'Bucket "layout" is in region ap-south-1, not us-east-1 (set by --region, AWS_REGION or the AWS profile): give --region ap-south-1',
      );
    } finally {
      await proxy.close();
    }
  });

  it('reads the endpoint from AWS_ENDPOINT_URL too (the SDK resolves it natively)', async () => {
    useAwsEnv({ ...serverEnv(server.endpoint), AWS_ENDPOINT_URL_S3: undefined, AWS_ENDPOINT_URL: server.endpoint });
    const location = await S3Location.open('s3://layout/song_data', SETTINGS);
    expect(await collect(location.list())).toHaveLength(2);
  });
});

describe('measureS3FetchRate', () => {
  it('reads every object under the prefix, concurrently or one at a time', async () => {
    useAwsEnv({ AWS_REGION: 'us-east-1' });
    const options = { endpoint: server.endpoint, bucket: 'layout', prefix: 'rate', noSignRequest: true };
    const one = await measureS3FetchRate({ ...options, concurrency: 1 });
    const many = await measureS3FetchRate({ ...options, concurrency: 16 });
    for (const rate of [one, many]) {
      expect(rate).toMatchObject({ objects: 60, bytes: one.bytes });
      expect(rate.objectsPerSecond).toBeGreaterThan(0);
    }
    expect(many.concurrency).toBe(16);
    expect((await measureS3FetchRate({ ...options, concurrency: 4, limit: 10 })).objects).toBe(10);
  });
});

/** `count` one-song files spread over partition folders, as the bucket lays them out. */
function manySongs(count: number): { key: string; body: string }[] {
  return Array.from({ length: count }, (_, index) => {
    const id = String(index).padStart(5, '0');
    const song = { num_songs: 1, artist_id: `ARMANY${id}`, artist_latitude: null, artist_longitude: null, artist_location: '' };
    const named = { ...song, artist_name: `Artist ${id}`, song_id: `SOMANY${id}`, title: `Song ${id}`, duration: 100 + index, year: 2000 };
    return { key: `song_data/${'ABC'[index % 3]}/TRMANY${id}.json`, body: JSON.stringify(named) };
  });
}

/** Every item of an async iterable (Array.fromAsync arrives in Node 22). */
async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** A log file of `count` NextSong events, about 350 bytes a line. */
function bigLog(count: number): string {
  const lines = Array.from({ length: count }, (_, index) =>
    JSON.stringify({
      artist: 'A',
      auth: 'Logged In',
      firstName: 'Ada',
      gender: 'F',
      itemInSession: index,
      lastName: 'Byte',
      length: 1.5,
      level: 'free',
      location: 'Austin, TX',
      method: 'PUT',
      page: 'NextSong',
      registration: 1540919166796.0,
      sessionId: 1 + Math.floor(index / 100),
      song: 'T',
      status: 200,
      ts: 1543536000000 + index * 1000,
      userAgent: '"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36"',
      userId: '10',
    }),
  );
  return lines.join('\n');
}
