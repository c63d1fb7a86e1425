/**
 * Staged loading over the Redshift Data API, end to end: `sparkify infra up` on the loopback AWS writes the
 * `redshift-data://` warehouse into dwh.cfg; `sparkify run` from a local folder then reads and checks the
 * files itself, uploads gzip objects and manifests to the staging location on the loopback s3rver, and sends
 * `COPY ... MANIFEST` through the real Data API client; the loopback Data API loads those objects into the
 * test PostgreSQL server (test/support/manifest-copy.ts). The star schema must equal a DuckDB run of the same
 * folder, the staging must be gone afterwards, and a second run must send no COPY.
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsServer, startAwsServer } from '../support/aws-server/aws-server.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { snapshotStar } from '../support/star-snapshot.js';
import { tempFolder, testPostgresUrl, uniqueTestSchema } from '../support/test-warehouses.js';
import { serverEnv } from '../s3/aws-test-env.js';
import { sparkifyOnAws } from './infra-test-support.js';

const POSTGRES = testPostgresUrl();
const TINY = new URL('../fixtures/tiny', import.meta.url).pathname;
const title = (text: string) => (POSTGRES ? text : `${text} (SKIPPED: SPARKIFY_TEST_WAREHOUSES leaves postgres out)`);

describe.skipIf(!POSTGRES)(title('staged loading over the Redshift Data API (loopback AWS and s3rver)'), { timeout: 180_000 }, () => {
  let server: AwsServer;
  let s3: S3TestServer;
  let schema: string;
  let cwd: string;
  // The staging bucket is on s3rver, with its credentials; the loopback AWS checks no signature.
  const sparkify = (args: string[]) => sparkifyOnAws(server, args, cwd, serverEnv(s3.endpoint, 'us-west-2'));
  const staged = async () =>
    ((await s3.client.send(new ListObjectsV2Command({ Bucket: 'staging' }))).Contents ?? []).map((object) => object.Key!);

  beforeAll(async () => {
    s3 = await startS3Server(['staging']);
    schema = uniqueTestSchema();
    const client = new pg.Client({ connectionString: POSTGRES });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA ${schema}`);
      await client.query(`SET search_path TO ${schema}`);
      // What Redshift has and PostgreSQL lacks: the run lock's clock and the songplay_id hash.
      await client.query("CREATE FUNCTION getdate() RETURNS timestamp AS 'SELECT localtimestamp' LANGUAGE sql");
      await client.query(
        "CREATE FUNCTION strtol(digits TEXT, base INTEGER) RETURNS BIGINT LANGUAGE SQL AS $$ SELECT ('x' || LPAD(digits, 16, '0'))::BIT(64)::BIGINT $$",
      );
    } finally {
      await client.end();
    }
    server = await startAwsServer({ postgresUrl: POSTGRES, schema, s3Endpoint: s3.endpoint });
    cwd = tempFolder('sparkify-data-api-staged-');
    const up = await sparkify(['infra', 'up']);
    expect(up.status, up.stderr).toBe(0);
  });
  afterAll(async () => {
    await server?.close();
    await s3?.stop();
  });

  it('stages the local folder in a few objects, COPYs them with a manifest through the Data API, and equals DuckDB', async () => {
    const stagingArgs = ['--source', TINY, '--s3-staging', 's3://staging/sparkify/', '--s3-endpoint', s3.endpoint, '--json'];
    const first = await sparkify(['run', ...stagingArgs]);
    expect(first.status, first.stderr).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary.warehouse).toMatch(/^redshift-data:\/\/cluster\/sparkify-dwh\/dwh/);
    expect(summary.staging.copies).toBeGreaterThan(0);
    expect(summary.staging.objects).toBeLessThanOrEqual(summary.staging.copies * 2);
    expect(summary.staging.bytes).toBeGreaterThan(0);

    // Every COPY the Data API received was a manifest COPY, loaded on the loopback server.
    const copies = server.dataApi.received.filter((statement) => /^\s*COPY\s/i.test(statement.sql));
    expect(copies.length).toBe(summary.staging.copies);
    expect(copies.every((statement) => /\bMANIFEST\b/.test(statement.sql))).toBe(true);
    expect(server.dataApi.copies.length).toBe(copies.length);
    const songs = server.dataApi.copies.find((copy) => copy.table === 'batch_staging_songs');
    expect(songs?.rows).toBe(summary.songs.staged);
    expect(await staged()).toEqual([]);

    const duckdb = `duckdb:${tempFolder('sparkify-data-api-staged-duck-')}/same.duckdb`;
    const local = await sparkify(['run', '--source', TINY, '--warehouse', duckdb, '--json']);
    expect(local.status, local.stderr).toBe(0);
    const url = new URL(POSTGRES!);
    url.searchParams.set('schema', schema);
    expect(await snapshotStar(url.toString())).toEqual(await snapshotStar(duckdb));

    // Nothing new: no upload, no COPY.
    const before = server.dataApi.received.length;
    const second = await sparkify(['run', ...stagingArgs]);
    expect(second.status, second.stderr).toBe(0);
    expect(server.dataApi.received.slice(before).filter((statement) => /^\s*COPY\s/i.test(statement.sql))).toEqual([]);
    const nothingNew = JSON.parse(second.stdout);
    expect(nothingNew.nothingNewSince?.runId).toBe(summary.runId);
    expect(nothingNew.staging?.copies ?? 0).toBe(0);
  });
});
