/**
 * The parts of Redshift's SQL that PostgreSQL also runs, run for real on the test PostgreSQL server:
 * - the star transform and publish with Redshift's dialect hooks, on staging as COPY leaves it (no file,
 *   no line), must build the same star schema as PostgreSQL's own SQL;
 * - the load-error readback and the INSERT into load_errors, against tables shaped like Redshift's
 *   STL_LOAD_ERRORS / STL_LOAD_COMMITS (and the Serverless SYS views) and a stand-in pg_last_copy_id().
 */
import { existsSync } from 'node:fs';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSettings, type SettingOptions } from '../../src/config/settings.js';
import { TooManyRejectsError } from '../../src/errors.js';
import { EVENT_DATASET } from '../../src/pipeline/dataset-stager.js';
import { query } from '../../src/pipeline/query.js';
import { run } from '../../src/pipeline/run.js';
import { LOAD_ERRORS } from '../../src/schema/staging-tables.js';
import { PostgresDialect } from '../../src/warehouses/postgres/postgres-dialect.js';
import { stageWithCopy, type CopySession } from '../../src/warehouses/redshift/redshift-copy-stager.js';
import { RedshiftDialect } from '../../src/warehouses/redshift/redshift-dialect.js';
import { publishStatements } from '../../src/pipeline/star-publisher.js';
import { snapshotStar } from '../support/star-snapshot.js';
import { testPostgresUrl, uniqueTestSchema, withSchema } from '../support/test-warehouses.js';

const POSTGRES = testPostgresUrl();
const TINY = new URL('../fixtures/tiny', import.meta.url).pathname;
const SAMPLE = new URL('../../../shared/data/sparkify-sample', import.meta.url).pathname;
const CLASSIC_CONFIG = new URL('./fixtures/dwh.cfg', import.meta.url).pathname;
const title = (text: string) => (POSTGRES ? text : `${text} (SKIPPED: SPARKIFY_TEST_WAREHOUSES leaves postgres out)`);

/** Runs `work` on a session of the test server whose search_path is `schema`, always closing it. */
async function inSchema<T>(schema: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES });
  await client.connect();
  try {
    await client.query(`SET search_path TO ${schema}`);
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Turns a PostgreSQL-built warehouse into what Redshift has after COPY (staging without file or line,
 * songplay_id numbered by the table), then publishes with Redshift's SQL in one transaction.
 */
async function publishAsRedshift(schema: string): Promise<void> {
  await inSchema(schema, async (client) => {
    for (const table of ['staging_events', 'staging_songs']) {
      await client.query(`ALTER TABLE ${table} ALTER COLUMN source_file DROP NOT NULL, ALTER COLUMN line_number DROP NOT NULL`);
      await client.query(`UPDATE ${table} SET source_file = NULL, line_number = NULL`);
    }
    // Redshift's STRTOL(hex, 16), which the songplay_id hash uses, as PostgreSQL can compute it.
    await client.query(
      `CREATE FUNCTION ${schema}.strtol(digits TEXT, base INTEGER) RETURNS BIGINT LANGUAGE SQL AS $$ SELECT ('x' || LPAD(digits, 16, '0'))::BIT(64)::BIGINT $$`,
    );
    await client.query('BEGIN');
    for (const { sql } of publishStatements(new RedshiftDialect(), { kind: 'full', records: 'staging' })) await client.query(sql);
    await client.query('COMMIT');
  });
}

/** Songplays without their ids (hashed from a file and line Redshift's staging does not keep), in a canonical order. */
function playsWithoutIds(rows: Record<string, unknown>[] | undefined): string[] {
  return (rows ?? []).map(({ songplay_id: _, ...play }) => JSON.stringify(play)).sort();
}

describe.skipIf(!POSTGRES)(title("Redshift's star transform and publish, run on PostgreSQL"), () => {
  it('builds the same star schema from staging that keeps no file or line, with distinct hashed songplay ids', async () => {
    const schema = uniqueTestSchema();
    const warehouse = withSchema(POSTGRES!, schema);
    await run({ options: { source: TINY, warehouse }, env: {}, cwd: TINY });
    const levels = () => query('SELECT * FROM user_levels ORDER BY user_id, valid_from', { options: { warehouse }, env: {} });
    const postgres = await snapshotStar(warehouse);
    const postgresLevels = await levels();
    await publishAsRedshift(schema);
    const redshift = await snapshotStar(warehouse);

    for (const table of ['songs', 'artists', 'users', 'time']) expect(redshift[table], table).toEqual(postgres[table]);
    expect(postgresLevels.length).toBeGreaterThan(0);
    expect(await levels()).toEqual(postgresLevels);
    expect(playsWithoutIds(redshift.songplays)).toEqual(playsWithoutIds(postgres.songplays));
    const ids = redshift.songplays?.map((play) => BigInt(String(play.songplay_id))) ?? [];
    expect(new Set(ids).size).toBe(6);
    for (const id of ids) expect(id >= 0n && id < 2n ** 60n).toBe(true);
  });

  it.skipIf(!existsSync(SAMPLE))('gives the reference results of DATA.md on the public sample', async () => {
    const schema = uniqueTestSchema();
    const warehouse = withSchema(POSTGRES!, schema);
    await run({ options: { source: SAMPLE, warehouse }, env: {}, cwd: SAMPLE });
    await publishAsRedshift(schema);
    const ask = (sql: string) => query(sql, { options: { warehouse }, env: {} });
    const [sizes] = await ask(
      'SELECT (SELECT COUNT(*) FROM songplays) AS songplays, (SELECT COUNT(*) FROM users) AS users, ' +
        '(SELECT COUNT(*) FROM songs) AS songs, (SELECT COUNT(*) FROM artists) AS artists, (SELECT COUNT(*) FROM time) AS time',
    );
    expect(sizes).toEqual({ songplays: 6820, users: 96, songs: 71, artists: 69, time: 6813 });
    expect(await ask('SELECT level, COUNT(*) AS n FROM users GROUP BY level ORDER BY level')).toEqual([
      { level: 'free', n: 74 },
      { level: 'paid', n: 22 },
    ]);
    expect(await ask('SELECT start_time, user_id, song_id, artist_id FROM songplays WHERE song_id IS NOT NULL')).toEqual([
      { start_time: '2018-11-21T21:56:47.796Z', user_id: 15, song_id: 'SOZCTXZ12AB0182364', artist_id: 'AR5KOSW1187FB35FF4' },
    ]);
  });
});

// Rows as Redshift's views hold them: CHAR columns, blank-padded; two COPYs, 6 (earlier) and 7 (latest).
const STL_SETUP = [
  'CREATE TABLE stl_load_errors (query INTEGER, filename CHAR(256), line_number BIGINT, colname CHAR(127), raw_line CHAR(1024), err_reason CHAR(100), err_code INTEGER)',
  'CREATE TABLE stl_load_commits (query INTEGER, filename CHAR(256))',
  "CREATE FUNCTION pg_last_copy_id() RETURNS INTEGER LANGUAGE SQL AS 'SELECT 7'",
  `INSERT INTO stl_load_errors VALUES
     (7, 's3://udacity-dend/log_data/2018/11/2018-11-02-events.json', 12, 'ts', '{"artist":null,"ts":"soon"}', 'Invalid digit, Value ''s'', Pos 0, Type: Long', 1207),
     (7, 's3://udacity-dend/log_data/2018/11/2018-11-01-events.json', 3, 'user_id', '{"artist":"A\\/B","userId":"x"}', 'Invalid digit, Value ''x'', Pos 0, Type: Integer', 1207),
     (6, 's3://udacity-dend/song_data/A/A/A/TRAAAAK128F9318786.json', 1, '', '{', 'Invalid JSONPath format', 1224)`,
  `INSERT INTO stl_load_commits VALUES
     (7, 's3://udacity-dend/log_data/2018/11/2018-11-01-events.json'), (7, 's3://udacity-dend/log_data/2018/11/2018-11-01-events.json'),
     (7, 's3://udacity-dend/log_data/2018/11/2018-11-02-events.json'), (6, 's3://udacity-dend/song_data/A/A/A/TRAAAAK128F9318786.json')`,
];

const SYS_SETUP = [
  'CREATE TABLE sys_load_error_detail (query_id BIGINT, file_name CHAR(256), line_number BIGINT, column_name CHAR(127), error_message CHAR(512))',
  'CREATE TABLE sys_load_detail (query_id BIGINT, file_name CHAR(256))',
  "CREATE FUNCTION pg_last_copy_id() RETURNS INTEGER LANGUAGE SQL AS 'SELECT 7'",
  `INSERT INTO sys_load_error_detail VALUES
     (7, 's3://udacity-dend/log_data/2018/11/2018-11-01-events.json', 3, 'user_id', 'Invalid digit, Value ''x'', Pos 0, Type: Integer')`,
  "INSERT INTO sys_load_detail VALUES (7, 's3://udacity-dend/log_data/2018/11/2018-11-01-events.json')",
];

const FIRST_REJECT = {
  source_file: 's3://udacity-dend/log_data/2018/11/2018-11-01-events.json',
  line_number: 3,
  raw_record: '{"artist":"A\\/B","userId":"x"}',
  error: "user_id: Invalid digit, Value 'x', Pos 0, Type: Integer",
  dataset: 'events',
};

describe.skipIf(!POSTGRES)(title("Redshift's load-error readback, run on PostgreSQL"), () => {
  let classic: (options?: SettingOptions) => ReturnType<typeof loadSettings>;
  beforeAll(() => {
    classic = (options = {}) => loadSettings({ configFile: CLASSIC_CONFIG, options, env: {}, cwd: '/' });
  });

  /** Stages events with a COPY that `copy` stands in for; returns the outcome and load_errors. */
  async function stage(setup: readonly string[], settings: ReturnType<typeof loadSettings>, copy: () => void) {
    const schema = uniqueTestSchema();
    return inSchema(schema, async (client) => {
      await client.query(`CREATE SCHEMA ${schema}`);
      await client.query(new PostgresDialect().createTable(LOAD_ERRORS, { ifNotExists: false }));
      for (const statement of setup) await client.query(statement);
      const sent: string[] = [];
      const session: CopySession = {
        async query(sql, values) {
          sent.push(sql);
          // The COPY from S3 itself is Redshift's alone; everything after it runs here for real.
          if (sql.startsWith('COPY ')) {
            copy();
            return [];
          }
          return (await client.query({ text: sql, values: values as unknown[] | undefined })).rows;
        },
      };
      const target = {
        dialect: new RedshiftDialect(),
        server: { host: 'h', port: 5439, user: 'u', database: 'd' },
        description: 'redshift://u@h:5439/d',
      };
      const outcome = await stageWithCopy(session, EVENT_DATASET, settings, target).catch((error: unknown) => error);
      const { rows } = await client.query(
        'SELECT source_file, line_number, raw_record, error, dataset FROM load_errors ORDER BY source_file, line_number',
      );
      return { outcome, rows, sent };
    });
  }

  it("reads the latest COPY's rejects into load_errors (trimmed, column named) and counts its files", async () => {
    const { outcome, rows, sent } = await stage(STL_SETUP, classic({ maxErrors: 5 }), () => undefined);
    expect(outcome).toEqual({ files: 2, bytes: 0, rejected: 2 });
    expect(rows).toEqual([
      FIRST_REJECT,
      {
        source_file: 's3://udacity-dend/log_data/2018/11/2018-11-02-events.json',
        line_number: 12,
        raw_record: '{"artist":null,"ts":"soon"}',
        error: "ts: Invalid digit, Value 's', Pos 0, Type: Long",
        dataset: 'events',
      },
    ]);
    expect(sent[0]).toMatch(/^COPY staging_events \(/);
  });

  it('still reads the rejects back when COPY stops at MAXERROR, then stops the run', async () => {
    const { outcome, rows } = await stage(STL_SETUP, classic({ maxErrors: 1 }), () => {
      throw Object.assign(new Error("Load into table 'staging_events' failed.  Check 'stl_load_errors' system table for details."), {
        code: 'XX000',
      });
    });
    expect(outcome).toBeInstanceOf(TooManyRejectsError);
    expect((outcome as Error).message).toMatch(
      /^2 record\(s\) rejected, more than --max-errors 1; .*load_errors table in redshift:\/\/u@h:5439\/d; the first: s3:\/\/udacity-dend\/log_data\/2018\/11\/2018-11-01-events\.json line 3: user_id: Invalid digit/,
    );
    expect(rows).toHaveLength(2);
  });

  it('reads them from SYS_LOAD_ERROR_DETAIL on Serverless, where no raw line is kept', async () => {
    const serverless = classic({
      warehouse: 'redshift://admin:pw@sparkify.123456789012.us-west-2.redshift-serverless.amazonaws.com:5439/dev',
    });
    const { outcome, rows } = await stage(SYS_SETUP, serverless, () => undefined);
    expect(outcome).toEqual({ files: 1, bytes: 0, rejected: 1 });
    expect(rows).toEqual([{ ...FIRST_REJECT, raw_record: null }]);
  });
});
