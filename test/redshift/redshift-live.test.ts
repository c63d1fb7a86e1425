/**
 * A real run on a real Redshift cluster or Serverless workgroup: COPY from S3 with the IAM role, the
 * load-error readback, the identity column, the publish. It needs three variables, and is reported as
 * skipped (with the missing names in its title) without them:
 *
 *   SPARKIFY_TEST_REDSHIFT_URL       redshift://user:password@cluster.xxxx.us-west-2.redshift.amazonaws.com:5439/dev
 *   SPARKIFY_TEST_REDSHIFT_IAM_ROLE  arn:aws:iam::123456789012:role/dwhRole (associated with the cluster)
 *   SPARKIFY_TEST_REDSHIFT_S3_PREFIX s3://bucket/prefix holding song_data/, log_data/ and log_json_path.json
 *
 * Optional: SPARKIFY_TEST_REDSHIFT_REGION (the bucket's region, when it is not the cluster's) and
 * SPARKIFY_TEST_REDSHIFT_MAX_ERRORS (default 0). Use a small prefix (the public sample uploaded to a bucket):
 * the full udacity-dend song_data takes well over an hour to COPY. Everything is created in a schema of its
 * own, dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/pipeline/query.js';
import { run } from '../../src/pipeline/run.js';
import type { RunSummary } from '../../src/pipeline/run-summary.js';
import { withWarehouse } from '../../src/warehouses/open-warehouse.js';
import { parseWarehouseTarget } from '../../src/warehouses/warehouse-target.js';
import { tempFolder, withSchema } from '../support/test-warehouses.js';

const REQUIRED = ['SPARKIFY_TEST_REDSHIFT_URL', 'SPARKIFY_TEST_REDSHIFT_IAM_ROLE', 'SPARKIFY_TEST_REDSHIFT_S3_PREFIX'] as const;
const missing = REQUIRED.filter((name) => !process.env[name]);
const title = missing.length === 0 ? 'Redshift, live' : `Redshift, live (SKIPPED: ${missing.join(', ')} not set)`;

const HOUR = 3_600_000;

describe.skipIf(missing.length > 0)(title, () => {
  const schema = `sparkify_test_${randomBytes(4).toString('hex')}`;
  const warehouse = withSchema(process.env.SPARKIFY_TEST_REDSHIFT_URL ?? 'redshift://unset', schema);
  const ask = (sql: string) => query(sql, { options: { warehouse }, env: {} });
  let summary: RunSummary;

  beforeAll(async () => {
    const region = process.env.SPARKIFY_TEST_REDSHIFT_REGION;
    summary = await run({
      options: {
        warehouse,
        source: process.env.SPARKIFY_TEST_REDSHIFT_S3_PREFIX,
        maxErrors: process.env.SPARKIFY_TEST_REDSHIFT_MAX_ERRORS ?? '0',
        ...(region ? { region } : {}),
      },
      env: { SPARKIFY_IAM_ROLE: process.env.SPARKIFY_TEST_REDSHIFT_IAM_ROLE },
      cwd: tempFolder(),
    });
  }, 2 * HOUR);

  afterAll(async () => {
    await withWarehouse(parseWarehouseTarget(process.env.SPARKIFY_TEST_REDSHIFT_URL!, 'SPARKIFY_TEST_REDSHIFT_URL'), {}, (session) =>
      session.execute(`DROP SCHEMA IF EXISTS ${schema} CASCADE`),
    );
  }, HOUR);

  it('reconciles each COPY: read = staged + rejected, every reject a row of load_errors', async () => {
    for (const dataset of [summary.songs, summary.events]) {
      expect(dataset.files).toBeGreaterThan(0);
      expect(dataset.read).toBe(dataset.staged + dataset.rejected);
    }
    const [errors] = await ask('SELECT COUNT(*) AS n FROM load_errors');
    expect(errors?.n).toBe(summary.rejected);
  });

  it('publishes one songplay per NextSong event, numbered by the IDENTITY column, each start_time in time', async () => {
    const [counts] = await ask(
      "SELECT (SELECT COUNT(*) FROM staging_events WHERE page = 'NextSong') AS next_songs, " +
        '(SELECT COUNT(DISTINCT songplay_id) FROM songplays) AS ids, ' +
        '(SELECT COUNT(DISTINCT start_time) FROM songplays) AS starts',
    );
    expect(summary.tables.songplays).toBe(counts?.next_songs);
    expect(counts?.ids).toBe(summary.tables.songplays);
    expect(summary.tables.time).toBe(counts?.starts);
  });

  it('keeps the milliseconds of ts in start_time', async () => {
    const rows = await ask(
      "SELECT COUNT(*) AS n FROM songplays p JOIN staging_events e ON e.page = 'NextSong' AND e.user_id = p.user_id " +
        "AND p.start_time = TIMESTAMP 'epoch' + e.ts * INTERVAL '1 millisecond' AND e.session_id = p.session_id",
    );
    expect(rows[0]?.n).toBeGreaterThanOrEqual(summary.tables.songplays);
  });

  it('gives the reference results of DATA.md when the prefix holds the public sample', async (context) => {
    if (summary.events.read !== 8056 || summary.songs.read !== 71) context.skip();
    expect(summary.tables).toEqual({ songplays: 6820, users: 96, songs: 71, artists: 69, time: 6813 });
    expect(summary.matchedSongplays).toBe(1);
  });
});
