/**
 * Redshift's staged loading, end to end on real components: the RedshiftWarehouse class on the test
 * PostgreSQL server (test/support/redshift-standin.ts, whose COPY ... MANIFEST fetches the manifest and its
 * objects from the loopback s3rver and loads them), a local source folder, and the staging location on
 * s3rver. Checks the objects and manifests written, that their rows are exactly the valid records of the
 * source (read = staged + rejected, rejects with their whole raw text), a handful of objects, staging
 * deleted after success or kept with --keep-staging, no COPY on a no-op run, only the new day's rows
 * COPYed after a day is added, and the incremental result equal to a full refresh.
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings, type Settings } from '../../src/config/settings.js';
import { run } from '../../src/pipeline/run.js';
import type { RunSummary } from '../../src/pipeline/run-summary.js';
import { formatRunSummary } from '../../src/cli/summary-format.js';
import { clipUtf8, RAW_RECORD_BYTES } from '../../src/warehouses/redshift/redshift-staging-writer.js';
import { expectedStaging, inLoadOrder, loadedStaging } from '../support/staging-compare.js';
import { snapshotLoadErrors, snapshotStar } from '../support/star-snapshot.js';
import { registerRedshiftStandIn, type StandInLog } from '../support/redshift-standin.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { tempFolder, testPostgresUrl, uniqueTestSchema } from '../support/test-warehouses.js';
import { serverEnv, useAwsEnv } from '../s3/aws-test-env.js';

const POSTGRES = testPostgresUrl();
const TINY = new URL('../fixtures/tiny', import.meta.url).pathname;
const title = (text: string) => (POSTGRES ? text : `${text} (SKIPPED: SPARKIFY_TEST_WAREHOUSES leaves postgres out)`);
const ROLE = 'arn:aws:iam::123456789012:role/dwhRole';
const DAY_ONE = 'log_data/2018/11/2018-11-01-events.json';
const DAY_TWO = 'log_data/2018/11/2018-11-02-events.json';
const DAMAGED = 'log_data/2018/11/2018-11-03-events.json';
// Two rejects (a truncated line, a ts that is not a number) between two good lines.
const DAMAGED_LINES = [
  '{"artist":null,"auth":"Logged In","firstName":"Ann","gender":"F","itemInSession":0,"lastName":"Lee","length":null,"level":"free","location":"X","method":"GET","page":"Home","registration":1540919166796.0,"sessionId":90,"song":null,"status":200,"ts":1541203200000,"userAgent":"ua","userId":"90"}',
  // Longer than the 65,535 bytes a Redshift VARCHAR holds: load_errors keeps its first 65,535.
  `{"artist":"A","auth":"Logged In","firstName":"Ann","ts":"soon ${'x'.repeat(70_000)}"`,
  '{"artist":null,"auth":"Logged In","firstName":"Ann","gender":"F","itemInSession":1,"lastName":"Lee","length":null,"level":"free","location":"X","method":"GET","page":"Home","registration":1540919166796.0,"sessionId":90,"song":null,"status":200,"ts":"soon","userAgent":"ua","userId":"90"}',
  '{"artist":null,"auth":"Logged In","firstName":"Ann","gender":"F","itemInSession":2,"lastName":"Lee","length":null,"level":"free","location":"X","method":"GET","page":"Home","registration":1540919166796.0,"sessionId":90,"song":null,"status":200,"ts":1541203260000,"userAgent":"ua","userId":"90"}',
];

describe.skipIf(!POSTGRES)(
  title('Redshift staged loading through S3 (RedshiftWarehouse on PostgreSQL, loopback s3rver)'),
  { timeout: 120_000 },
  () => {
    let s3: S3TestServer;
    let standIn: { log: StandInLog; unregister: () => void };
    let restoreEnv: () => void;

    beforeAll(async () => {
      s3 = await startS3Server(['staging']);
      restoreEnv = useAwsEnv(serverEnv(s3.endpoint));
      standIn = registerRedshiftStandIn(s3.endpoint);
    });
    afterAll(async () => {
      standIn?.unregister();
      restoreEnv?.();
      await s3?.stop();
    });

    /**
     * A fresh schema with what Redshift has and PostgreSQL lacks: STRTOL (the songplay_id hash) and GETDATE
     * (the run lock's clock).
     */
    async function freshWarehouse(): Promise<string> {
      const schema = uniqueTestSchema();
      const client = new pg.Client({ connectionString: POSTGRES });
      await client.connect();
      try {
        await client.query(`CREATE SCHEMA ${schema}`);
        await client.query(
          `CREATE FUNCTION ${schema}.strtol(digits TEXT, base INTEGER) RETURNS BIGINT LANGUAGE SQL AS $$ SELECT ('x' || LPAD(digits, 16, '0'))::BIT(64)::BIGINT $$`,
        );
        await client.query(`CREATE FUNCTION ${schema}.getdate() RETURNS timestamp AS 'SELECT localtimestamp' LANGUAGE sql`);
      } finally {
        await client.end();
      }
      const url = new URL(POSTGRES!);
      url.searchParams.set('schema', schema);
      return url.toString().replace(/^postgres(ql)?:/, 'redshift-standin:');
    }

    /** Settings as for a real cluster, with the warehouse swapped for the stand-in at `warehouse`. */
    function settingsFor(source: string, warehouse: string, extra: Record<string, string | boolean> = {}): Settings {
      const settings = loadSettings({
        options: {
          source,
          warehouse: 'redshift://dwhuser:Secret123@dwh.abc123.us-west-2.redshift.amazonaws.com:5439/dwh',
          s3Staging: 's3://staging/sparkify/',
          s3Endpoint: s3.endpoint,
          maxErrors: 10,
          ...extra,
        },
        env: { SPARKIFY_IAM_ROLE: ROLE },
        cwd: source,
      });
      const target = loadSettings({ options: { warehouse }, env: {}, cwd: source }).warehouse;
      return { ...settings, warehouse: target };
    }

    async function stagedKeys(): Promise<string[]> {
      const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: 'staging' }));
      return (listed.Contents ?? []).map((object) => object.Key!).sort();
    }

    function sourceFolder(files: readonly string[]): string {
      const folder = tempFolder('sparkify-staged-source-');
      for (const file of ['song_data', ...files]) {
        mkdirSync(join(folder, file, '..'), { recursive: true });
        cpSync(join(TINY, file), join(folder, file), { recursive: true });
      }
      return folder;
    }

    it('stages exactly the valid records in a few gzip objects with a manifest, COPYs them, and deletes the staging', async () => {
      const source = sourceFolder([DAY_ONE, DAY_TWO]);
      writeFileSync(join(source, DAMAGED), `${DAMAGED_LINES.join('\n')}\n`);
      const warehouse = await freshWarehouse();
      const copiesBefore = standIn.log.copies.length;
      const summary = await run({ settings: settingsFor(source, warehouse) });

      // read = staged + rejected, per dataset; the rejects of the damaged day with their whole raw text.
      for (const dataset of [summary.songs, summary.events]) expect(dataset.read).toBe(dataset.staged + dataset.rejected);
      expect(summary.events).toMatchObject({ read: 15, staged: 13, rejected: 2 });
      expect(summary.tables).toMatchObject({ songplays: 6, songs: 4, artists: 3 });
      const expected = inLoadOrder(
        await expectedStaging(source, {
          songs: [
            'song_data/A/A/A/TRAAAAW128F429D538.json',
            'song_data/A/A/A/TRAAABD128F429CF47.json',
            'song_data/A/B/C/TRABCEI128F424C983.json',
          ],
          events: [DAY_ONE, DAY_TWO, DAMAGED],
        }),
      );
      const loaded = await loadedStaging(warehouse);
      // The long reject keeps its first 65,535 bytes (all ASCII here), the rest as read.
      const clip = (rows: unknown[][]) =>
        rows.map((row) => row.map((value, i) => (i === 2 ? clipUtf8(String(value), RAW_RECORD_BYTES) : value)));
      expect(loaded).toEqual({ ...expected, rejects: clip(expected.rejects) });
      expect(loaded.rejects.map((row) => row[2])).toEqual([DAMAGED_LINES[1]!.slice(0, RAW_RECORD_BYTES), DAMAGED_LINES[2]]);

      // One COPY ... MANIFEST per table loaded, each reading one object (the data is far below 64 MiB).
      const copies = standIn.log.copies.slice(copiesBefore);
      expect(copies.map((copy) => copy.table).sort()).toEqual([
        'batch_files',
        'batch_load_errors',
        'batch_staging_events',
        'batch_staging_songs',
      ]);
      for (const copy of copies) {
        expect(copy.objects).toHaveLength(1);
        expect(copy.objects[0]!.url).toMatch(/^s3:\/\/staging\/sparkify\/run-\d{8}T\d{6}Z-[0-9a-f]{8}\/batch_\w+\/part-0000\.csv\.gz$/);
        expect(copy.manifest).toMatch(/^s3:\/\/staging\/sparkify\/run-[^/]+\/batch_\w+\.manifest$/);
      }
      expect(copies.find((copy) => copy.table === 'batch_staging_events')?.rows).toBe(13);
      expect(copies.find((copy) => copy.table === 'batch_staging_songs')?.rows).toBe(4);
      expect(summary.events.stagedObjects).toMatchObject({ objects: 1 });
      expect(summary.staging).toMatchObject({ objects: 4, copies: 4 });
      expect(summary.staging!.bytes).toBeGreaterThan(0);
      expect(formatRunSummary(summary)).toMatch(
        /\nstaged through S3: 4 COPY \.\.\. MANIFEST read 4 objects \(songs 1, events 1\), \d+(\.\d)? k?B uploaded\n/,
      );
      // Deleted after the successful COPY.
      expect(await stagedKeys()).toEqual([]);
      // Nothing but manifest COPYs reached the warehouse: no COPY from the source prefix.
      expect(standIn.log.statements.filter((sql) => /^COPY /.test(sql) && !/\bMANIFEST\b/.test(sql))).toEqual([]);
    });

    it('keeps the objects and manifests with --keep-staging; their rows are the staged rows', async () => {
      const source = sourceFolder([DAY_ONE, DAY_TWO]);
      const warehouse = await freshWarehouse();
      const summary = await run({ settings: settingsFor(source, warehouse, { keepStaging: true }) });
      expect(summary.events.staged).toBe(11);
      const keys = await stagedKeys();
      const events = keys.filter((key) => key.includes('/batch_staging_events'));
      expect(events).toHaveLength(2);
      const manifestKey = events.find((key) => key.endsWith('.manifest'))!;
      const objectKey = events.find((key) => key.endsWith('.csv.gz'))!;
      const read = async (key: string) =>
        Buffer.from(await (await s3.client.send(new GetObjectCommand({ Bucket: 'staging', Key: key }))).Body!.transformToByteArray());
      const object = await read(objectKey);
      expect(JSON.parse((await read(manifestKey)).toString('utf8'))).toEqual({
        entries: [{ url: `s3://staging/${objectKey}`, mandatory: true, meta: { content_length: object.length } }],
      });
      const lines = gunzipSync(object).toString('utf8').trimEnd().split('\n');
      expect(lines).toHaveLength(11);
      expect(lines.filter((line) => line.includes(`"${join(source, DAY_TWO)}"`))).toHaveLength(3);
      for (const key of keys) await s3.deleteObject('staging', key);
    });

    it('sends no COPY on a no-op run, COPYs only the new day after one is added, and equals a full refresh', async () => {
      const source = sourceFolder([DAY_ONE]);
      const warehouse = await freshWarehouse();
      const first = await run({ settings: settingsFor(source, warehouse) });
      expect(first.events).toMatchObject({ staged: 8 });

      const before = standIn.log.statements.length;
      const noop: RunSummary = await run({ settings: settingsFor(source, warehouse) });
      expect(noop.published).toBe(false);
      expect(noop.staging).toMatchObject({ objects: 0, copies: 0 });
      expect(formatRunSummary(noop)).toContain('\nstaged through S3: nothing to upload, no COPY sent\n');
      expect(standIn.log.statements.slice(before).filter((sql) => /^\s*COPY\s/i.test(sql))).toEqual([]);

      cpSync(join(TINY, DAY_TWO), join(source, DAY_TWO));
      const copiesBefore = standIn.log.copies.length;
      const next = await run({ settings: settingsFor(source, warehouse) });
      expect(next.events.files).toMatchObject({ new: 1, unchanged: 1 });
      const copies = standIn.log.copies.slice(copiesBefore);
      expect(copies.map((copy) => [copy.table, copy.rows]).sort()).toEqual([
        ['batch_files', 1],
        ['batch_staging_events', 3],
      ]);
      const incremental = { star: await snapshotStar(warehouse), errors: await snapshotLoadErrors(warehouse) };

      await run({ settings: settingsFor(source, warehouse), fullRefresh: true });
      expect({ star: await snapshotStar(warehouse), errors: await snapshotLoadErrors(warehouse) }).toEqual(incremental);
      expect(incremental.star.songplays).toHaveLength(6);
      rmSync(source, { recursive: true, force: true });
    });
  },
);
