/**
 * A run, a query and the summary over the Redshift Data API, end to end: `sparkify infra up` makes the
 * cluster on the loopback AWS server and writes the `redshift-data://` warehouse into dwh.cfg; `sparkify run`
 * then sends its statements through the real Data API client to that server, which runs them on the test
 * PostgreSQL server (Redshift's COPY from S3 aside, which it records) and records them all. They must be the
 * statements `sparkify plan` prints, in order.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsServer, startAwsServer } from '../support/aws-server/aws-server.js';
import { tempFolder, testPostgresUrl, uniqueTestSchema } from '../support/test-warehouses.js';
import { sparkifyOnAws } from './infra-test-support.js';

const POSTGRES = testPostgresUrl();
const title = (text: string) => (POSTGRES ? text : `${text} (SKIPPED: SPARKIFY_TEST_WAREHOUSES leaves postgres out)`);

// What Redshift has and PostgreSQL lacks, as the COPY readback uses it: the load history, with one
// rejected line, and pg_last_copy_id() naming the COPY it belongs to.
const REDSHIFT_SYSTEM = [
  'CREATE TABLE stl_load_errors (query INTEGER, filename CHAR(256), line_number BIGINT, colname CHAR(127), raw_line CHAR(1024), err_reason CHAR(100), err_code INTEGER)',
  'CREATE TABLE stl_load_commits (query INTEGER, filename CHAR(256))',
  "CREATE FUNCTION pg_last_copy_id() RETURNS INTEGER LANGUAGE SQL AS 'SELECT 7'",
  "CREATE FUNCTION getdate() RETURNS timestamp AS 'SELECT localtimestamp' LANGUAGE sql",
  "CREATE FUNCTION strtol(digits TEXT, base INTEGER) RETURNS BIGINT LANGUAGE SQL AS $$ SELECT ('x' || LPAD(digits, 16, '0'))::BIT(64)::BIGINT $$",
  `INSERT INTO stl_load_errors VALUES (7, 's3://udacity-dend/log_data/2018/11/2018-11-02-events.json', 12, 'ts', '{"ts":"soon"}', 'Invalid digit, Value ''s''', 1207)`,
  "INSERT INTO stl_load_commits VALUES (7, 's3://udacity-dend/log_data/2018/11/2018-11-02-events.json')",
];

describe.skipIf(!POSTGRES)(
  title('a run over the Redshift Data API (loopback AWS, statements run on PostgreSQL)'),
  { timeout: 180_000 },
  () => {
    let server: AwsServer;
    let cwd: string;
    const sparkify = (args: string[]) => sparkifyOnAws(server, args, cwd);

    beforeAll(async () => {
      const schema = uniqueTestSchema();
      const client = new pg.Client({ connectionString: POSTGRES });
      await client.connect();
      try {
        await client.query(`CREATE SCHEMA ${schema}`);
        await client.query(`SET search_path TO ${schema}`);
        for (const statement of REDSHIFT_SYSTEM) await client.query(statement);
      } finally {
        await client.end();
      }
      server = await startAwsServer({ postgresUrl: POSTGRES, schema });
      cwd = tempFolder('sparkify-data-api-');
      const up = await sparkify(['infra', 'up']);
      expect(up.status, up.stderr).toBe(0);
    });
    afterAll(async () => {
      await server?.close();
    });

    it("sends the plan's statements, COPY and its readback on a session of their own, and reads the summary through it", async () => {
      const run = await sparkify(['run', '--source', 's3://udacity-dend', '--max-errors', '5', '--json']);
      expect(run.status, run.stderr).toBe(0);
      const summary = JSON.parse(run.stdout);
      expect(summary.warehouse).toBe('redshift-data://cluster/sparkify-dwh/dwh?db_user=dwhuser');
      expect(summary.songs).toMatchObject({ files: { new: 1, changed: 0, unchanged: 0, removed: 0 }, staged: 0, rejected: 1 });
      expect(summary.events).toMatchObject({ files: { new: 1, changed: 0, unchanged: 0, removed: 0 }, staged: 0, rejected: 1 });
      expect(summary.tables).toEqual({ songplays: 0, users: 0, songs: 0, artists: 0, time: 0 });

      const plan = await sparkify(['plan', '--source', 's3://udacity-dend', '--max-errors', '5', '--json']);
      expect(plan.status, plan.stderr).toBe(0);
      const steps = JSON.parse(plan.stdout) as { sql?: string; comment?: string }[];
      // The run lock goes first, on a session of its own; the run's statements follow on theirs.
      const all = server.dataApi.received;
      expect(all[0]!.sql).toMatch(/^CREATE TABLE IF NOT EXISTS sparkify_lock /);
      const lockSession = all[0]!.session;
      expect(lockSession).toBeDefined();
      const received = all.filter((statement) => statement.session !== lockSession);
      // The reject INSERT binds its values as Data API parameters (:p1 for $1); the run record's values are
      // the run's own (the plan shows placeholders); everything else is verbatim.
      const runRecordShape = (sql: string) => sql.replace(/^(INSERT INTO "?sparkify_runs"?[\s\S]*?VALUES )\([\s\S]*\)$/, '$1(...)');
      const asPlanned = received.map((statement) => runRecordShape(statement.sql.replace(/:p(\d+)\b/g, '$$$1')));
      // The publish ends with the run record and its COMMIT.
      const commit = asPlanned.findIndex((sql) => /^INSERT INTO "?sparkify_runs"?/.test(sql)) + 1;
      expect(asPlanned[commit]).toBe('COMMIT');
      // What a run asks beyond the plan: its run id, the staged counts, the quality checks and the table
      // counts, all reads; afterwards the check failures' own table.
      const RUN_READS =
        /^SELECT (COALESCE\(MAX\(run_id\), 0\) \+ 1 AS next|COUNT\(\*\) AS (n|failing_rows) FROM|\(SELECT COUNT\(\*\) FROM)/;
      const sent = asPlanned.slice(0, commit + 1).filter((sql) => !RUN_READS.test(sql));
      // Not sent in this run: the per-slice INSERT (no plays to slice).
      const planned = steps
        .filter((step) => step.sql !== undefined && !step.comment?.startsWith('Once per slice'))
        .map((step) => runRecordShape(step.sql!));
      expect(sent).toEqual(planned);
      expect(asPlanned.slice(commit + 1).every((sql) => sql.startsWith('SELECT') || /check_failures|^BEGIN$|^COMMIT$/.test(sql))).toBe(
        true,
      );

      const copies = received.flatMap((statement, index) => (statement.sql.startsWith('COPY ') ? [index] : []));
      expect(copies).toHaveLength(2);
      const mainSession = received[0]!.session;
      for (const index of copies) {
        const session = received[index]!.session;
        expect(session).toBeDefined();
        expect(session).not.toBe(mainSession);
        expect(received[index + 1]!.session).toBe(session); // the readback sees this COPY's pg_last_copy_id()
      }
      const insert = received.find(
        (statement) => statement.sql.startsWith('INSERT INTO "load_errors"') || statement.sql.startsWith('INSERT INTO load_errors'),
      );
      expect(insert?.parameters.map((parameter) => parameter.value)).toEqual([
        's3://udacity-dend/log_data/2018/11/2018-11-02-events.json',
        '12',
        '{"ts":"soon"}',
        "ts: Invalid digit, Value 's'",
        'songs',
      ]);
    });

    it('sparkify query reads typed rows through the Data API, and a failing statement says what the Data API said', async () => {
      const query = await sparkify([
        'query',
        '--json',
        "SELECT TIMESTAMP '2018-11-21 21:56:47.796' AS t, CAST(5 AS BIGINT) AS n, 'x' AS s, NULL AS z, CAST(1.5 AS DOUBLE PRECISION) AS d, COUNT(*) AS errors FROM load_errors",
      ]);
      expect(query.status, query.stderr).toBe(0);
      expect(JSON.parse(query.stdout)).toEqual([{ t: '2018-11-21T21:56:47.796Z', n: 5, s: 'x', z: null, d: 1.5, errors: 2 }]);

      // A second statement never runs: not the COMMIT that would end the read-only transaction, nor the DELETE.
      const escaping = await sparkify(['query', 'SELECT 1 AS a; COMMIT; DELETE FROM load_errors']);
      expect(escaping.status).toBe(1);
      expect(escaping.stderr.trim()).toBe(
        'sparkify: The query holds 3 statements; sparkify query runs exactly one: run them one at a time',
      );
      // Redshift-only syntax DuckDB's parser cannot split: refused while a semicolon could start another.
      const unparsed = await sparkify(['query', 'SELECT APPROXIMATE COUNT(DISTINCT line) AS n FROM load_errors; DELETE FROM load_errors']);
      expect(unparsed.status).toBe(1);
      expect(unparsed.stderr).toMatch(/semicolon inside it and sparkify cannot tell that it holds one statement/);
      const still = await sparkify(['query', '--json', 'SELECT COUNT(*) AS errors FROM load_errors']);
      expect(JSON.parse(still.stdout)).toEqual([{ errors: 2 }]);

      const failing = await sparkify(['query', 'SELECT * FROM no_such_table']);
      expect(failing.status).toBe(1);
      expect(failing.stderr.trim()).toMatch(
        /^sparkify: Query failed: Redshift \(redshift-data:\/\/cluster\/sparkify-dwh\/dwh\?db_user=dwhuser\) could not run the query: ERROR: relation "no_such_table" does not exist$/,
      );
    });

    it('sparkify report reads the star schema and the run history through the Data API, and writes nothing', async () => {
      const before = server.dataApi.received.length;
      const report = await sparkify(['report', '--out', 'report.html']);
      expect(report.status, report.stderr).toBe(0);
      const html = readFileSync(join(cwd, 'report.html'), 'utf8');
      expect(html).toContain('<svg');
      expect(html).toMatch(/redshift-data:\/\/cluster\/sparkify-dwh\/dwh/);
      const sent = server.dataApi.received.slice(before).map((statement) => statement.sql);
      expect(sent.some((sql) => /FROM "?sparkify_runs"?/.test(sql))).toBe(true);
      // Reads only: the report sends its own SELECTs, nothing that writes.
      expect(sent.filter((sql) => /^(INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|COPY|TRUNCATE)\b/i.test(sql))).toEqual([]);
    });
  },
);
