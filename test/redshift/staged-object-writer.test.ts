/**
 * The staged object writer against the loopback s3rver: chunks arriving from several workers at once are
 * cut into objects at the size limit without mixing two objects, every row lands in exactly one object,
 * the manifest lists each object with its real size and the COPY gets the manifest; with no rows nothing is
 * uploaded and no COPY sent; an abort deletes what was uploaded, and uploads nothing after it. (Deletion after a successful COPY is
 * checked end to end in redshift-staged-load.test.ts.)
 */
import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BATCH_EVENTS } from '../../src/schema/ledger-tables.js';
import { StagingBucket } from '../../src/sources/s3/s3-staging-bucket.js';
import { stagingPaths } from '../../src/warehouses/redshift/redshift-manifest.js';
import { StagedObjectWriter } from '../../src/warehouses/redshift/redshift-staging-writer.js';
import { serverEnv, useAwsEnv } from '../s3/aws-test-env.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';

describe('StagedObjectWriter', { timeout: 60_000 }, () => {
  let s3: S3TestServer;
  let bucket: StagingBucket;
  let restoreEnv: () => void;
  beforeAll(async () => {
    s3 = await startS3Server(['stage-unit']);
    restoreEnv = useAwsEnv(serverEnv(s3.endpoint));
    bucket = await StagingBucket.open('s3://stage-unit/p/', { endpoint: s3.endpoint });
  });
  afterAll(async () => {
    bucket?.close();
    restoreEnv?.();
    await s3?.stop();
  });

  const keys = async () => ((await s3.client.send(new ListObjectsV2Command({ Bucket: 'stage-unit' }))).Contents ?? []).map((o) => o.Key!);
  const read = async (key: string) =>
    Buffer.from(await (await s3.client.send(new GetObjectCommand({ Bucket: 'stage-unit', Key: key }))).Body!.transformToByteArray());
  // Incompressible-ish rows, so the compressed size passes the small limit quickly.
  const chunk = (n: number) =>
    Buffer.from(Array.from({ length: 50 }, (_, i) => `"${n}-${i}",${Math.random().toString(36).repeat(8)}\n`).join(''));

  // A writer that seals its object as soon as the gzip stream has put out any bytes, deleting on finish.
  const sealingWriter = (run: string) =>
    new StagedObjectWriter({
      table: BATCH_EVENTS,
      bucket,
      paths: stagingPaths(bucket.location, run, BATCH_EVENTS.name),
      copy: async () => undefined,
      copySql: () => 'COPY',
      keep: false,
      objectBytes: 1,
    });
  // The object a writer is filling (white box: the races below need one that has put out bytes).
  const filling = (writer: StagedObjectWriter) => (writer as unknown as { current?: { bytes: number } }).current;
  // Starts adding 16 MB that the gzip stream takes a while to compress: the write returns false, so the add
  // waits for 'drain'. Returns that add's promise and its object once the stream has put out its first bytes
  // (well before the whole chunk is compressed), when the next add will seal the object. Wrapped, since an
  // async function would otherwise wait for the promise it returns.
  const addSlowChunk = async (writer: StagedObjectWriter) => {
    const pending = writer.add(Buffer.from(`${randomBytes(12 << 20).toString('base64')}\n`), 1);
    await vi.waitFor(() => expect(filling(writer)?.bytes).toBeGreaterThan(0), { timeout: 20_000, interval: 1 });
    return { pending, object: filling(writer) };
  };

  it('cuts concurrent chunks into whole objects, each row in exactly one, all listed in the manifest with their sizes', async () => {
    const copies: string[] = [];
    const paths = stagingPaths(bucket.location, 'run-unit', BATCH_EVENTS.name);
    const writer = new StagedObjectWriter({
      table: BATCH_EVENTS,
      bucket,
      paths,
      copy: async (sql) => {
        copies.push(sql);
      },
      copySql: (manifest) => `COPY FROM '${manifest}'`,
      keep: true,
      objectBytes: 16 << 10,
    });
    const chunks = Array.from({ length: 200 }, (_, n) => chunk(n));
    // Four "workers" adding at once.
    await Promise.all(
      [0, 1, 2, 3].map(async (lane) => {
        for (let n = lane; n < chunks.length; n += 4) await writer.add(chunks[n]!, 50);
      }),
    );
    expect(await writer.finish()).toBe(10_000);
    expect(copies).toEqual([`COPY FROM '${paths.manifest}'`]);
    const manifest = JSON.parse((await read(`p/run-unit/${BATCH_EVENTS.name}.manifest`)).toString('utf8')) as {
      entries: { url: string; mandatory: boolean; meta: { content_length: number } }[];
    };
    expect(manifest.entries.length).toBeGreaterThan(3);
    expect(manifest.entries.length).toBeLessThan(200);
    expect(writer.uploads().objects).toBe(manifest.entries.length);
    const lines: string[] = [];
    for (const [index, entry] of manifest.entries.entries()) {
      expect(entry.url).toBe(`${paths.objects}part-${String(index).padStart(4, '0')}.csv.gz`);
      expect(entry.mandatory).toBe(true);
      const body = await read(entry.url.replace('s3://stage-unit/', ''));
      expect(body.length).toBe(entry.meta.content_length);
      lines.push(...gunzipSync(body).toString('utf8').trimEnd().split('\n'));
    }
    const expected = chunks.flatMap((c) => c.toString('utf8').trimEnd().split('\n'));
    expect(lines.sort()).toEqual(expected.sort());
    expect((await keys()).length).toBe(manifest.entries.length + 1);
    for (const key of await keys()) await s3.deleteObject('stage-unit', key);
  });

  it('lets a chunk that waits for the gzip stream to drain go on when another chunk seals its object', async () => {
    const writer = sealingWriter('run-drain');
    const first = await addSlowChunk(writer);
    // This add seals the object the first one waits on; an ended stream never emits 'drain'.
    await writer.add(chunk(0), 50);
    expect(filling(writer)).not.toBe(first.object);
    const outcome = await Promise.race([
      first.pending.then(() => 'went on'),
      new Promise((resolve) => setTimeout(resolve, 10_000)).then(() => 'stranded'),
    ]);
    expect(outcome).toBe('went on');
    expect(await writer.finish()).toBe(51);
  });

  it('uploads nothing more after an abort that comes while an object is being sealed', async () => {
    const writer = sealingWriter('run-abort-seal');
    const first = await addSlowChunk(writer);
    // Seals the object: its stream is still compressing the first chunk, so its upload is not queued yet.
    const second = writer.add(chunk(0), 50);
    expect(filling(writer)).not.toBe(first.object);
    await writer.abort();
    await Promise.allSettled([first.pending, second]);
    // An upload queued after the abort would land within moments on the loopback server.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await keys()).toEqual([]);
  });

  it('sends no COPY and uploads nothing without rows; abort deletes what was uploaded', async () => {
    const empty = new StagedObjectWriter({
      table: BATCH_EVENTS,
      bucket,
      paths: stagingPaths(bucket.location, 'run-empty', BATCH_EVENTS.name),
      copy: async () => {
        throw new Error('no COPY expected');
      },
      copySql: () => 'COPY',
      keep: false,
    });
    expect(await empty.finish()).toBe(0);
    expect(empty.uploads()).toEqual({ objects: 0, bytes: 0 });

    const aborted = new StagedObjectWriter({
      table: BATCH_EVENTS,
      bucket,
      paths: stagingPaths(bucket.location, 'run-abort', BATCH_EVENTS.name),
      copy: async () => undefined,
      copySql: () => 'COPY',
      keep: false,
      objectBytes: 4 << 10,
    });
    for (let n = 0; n < 40; n++) await aborted.add(chunk(n), 50);
    // Objects upload in the background: wait until one is there (on a busy machine it takes a moment).
    await vi.waitFor(async () => expect((await keys()).length).toBeGreaterThan(0), { timeout: 20_000, interval: 50 });
    await aborted.abort();
    expect(await keys()).toEqual([]);
  });
});
