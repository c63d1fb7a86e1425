/**
 * The PostgreSQL warehouse against the real test server: schemas, PG* variables, read-only sessions, the
 * values queries return, and the COPY writer (escaping, concurrent batches, NUL, failures, abort).
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QueryError, WarehouseError } from '../../src/errors.js';
import { query } from '../../src/pipeline/query.js';
import { createTables, run } from '../../src/pipeline/run.js';
import type { StagingRow } from '../../src/records/record-types.js';
import { LOAD_ERRORS } from '../../src/schema/staging-tables.js';
import { BATCH_ERRORS, BATCH_EVENTS, SPARKIFY_FILES } from '../../src/schema/ledger-tables.js';
import { PostgresDialect } from '../../src/warehouses/postgres/postgres-dialect.js';
import type { TableSpec } from '../../src/schema/table-spec.js';
import { CopyRowEncoder } from '../../src/warehouses/postgres/postgres-copy-format.js';
import { openPostgresWarehouse, type PostgresWarehouse } from '../../src/warehouses/postgres/postgres-warehouse.js';
import { parseWarehouseTarget, type ServerTarget } from '../../src/warehouses/warehouse-target.js';
import { STAGING_WORKERS } from '../../src/warehouses/warehouse.js';
import { freshPostgresUrl, POSTGRES_URL, postgresTitle, postgresUrlWith, schemaOf, withAdmin } from './postgres-test-support.js';

const TINY = new URL('../fixtures/tiny', import.meta.url).pathname;
// sparkify_lock: who holds the run lock (see postgres-run-lock.ts).
const STAR_AND_STAGING = [
  'artists',
  'check_failures',
  'load_errors',
  'songplays',
  'songs',
  'sparkify_files',
  'sparkify_lock',
  'sparkify_runs',
  'staging_events',
  'staging_songs',
  'time',
  'user_levels',
  'users',
];

function target(url: string): ServerTarget {
  return parseWarehouseTarget(url, 'test') as ServerTarget;
}

async function tablesIn(schema: string): Promise<string[]> {
  return withAdmin(async (client) => {
    const { rows } = await client.query<{ name: string }>(
      'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1',
      [schema],
    );
    return rows.map((row) => row.name);
  });
}

describe.skipIf(!POSTGRES_URL)(postgresTitle('PostgreSQL warehouse'), () => {
  describe('schemas and connection settings', () => {
    const saved = { ...process.env };
    afterEach(() => {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    });

    it('creates a missing ?schema= and keeps every table there, queryable unqualified', async () => {
      const warehouse = freshPostgresUrl();
      const summary = await run({ options: { source: TINY, warehouse }, env: {}, cwd: TINY });
      expect(summary.tables.songplays).toBe(6);
      expect(await tablesIn(schemaOf(warehouse))).toEqual(STAR_AND_STAGING);
      expect(await query('SELECT COUNT(*) AS n FROM songplays', { options: { warehouse }, env: {}, cwd: TINY })).toEqual([{ n: 6 }]);
      // A second run finds the schema and reuses it.
      await run({ options: { source: TINY, warehouse }, env: {}, cwd: TINY });
      expect(await tablesIn(schemaOf(warehouse))).toEqual(STAR_AND_STAGING);
    });

    it('keeps staging, load_errors, the ledger and the star tables logged; only the batch tables are UNLOGGED', async () => {
      const warehouse = freshPostgresUrl();
      await run({ options: { source: TINY, warehouse }, env: {}, cwd: TINY });
      const persistence = await withAdmin(async (client) => {
        const { rows } = await client.query<{ name: string; persistence: string }>(
          `SELECT c.relname AS name, c.relpersistence AS persistence
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY 1`,
          [schemaOf(warehouse)],
        );
        return Object.fromEntries(rows.map((row) => [row.name, row.persistence]));
      });
      // u: unlogged, p: permanent.
      expect(persistence).toEqual({
        artists: 'p',
        check_failures: 'p',
        load_errors: 'p',
        songplays: 'p',
        songs: 'p',
        sparkify_files: 'p',
        sparkify_lock: 'p',
        sparkify_runs: 'p',
        staging_events: 'p',
        staging_songs: 'p',
        time: 'p',
        user_levels: 'p',
        users: 'p',
      });
      // The batch tables live only while a run publishes (and are dropped after it): scratch space.
      expect(new PostgresDialect().createTable(BATCH_EVENTS, { ifNotExists: false })).toMatch(
        /^CREATE UNLOGGED TABLE batch_staging_events/,
      );
      expect(new PostgresDialect().createTable(SPARKIFY_FILES, { ifNotExists: false })).toMatch(/^CREATE TABLE sparkify_files/);
    });

    it('reaches the server named by PG* variables when the warehouse is a bare postgres:, in SPARKIFY_SCHEMA', async () => {
      const url = new URL(POSTGRES_URL!);
      Object.assign(process.env, {
        PGHOST: url.hostname,
        PGPORT: url.port,
        PGUSER: decodeURIComponent(url.username),
        PGPASSWORD: decodeURIComponent(url.password),
        PGDATABASE: url.pathname.slice(1),
      });
      const schema = schemaOf(freshPostgresUrl());
      const env = { SPARKIFY_WAREHOUSE: 'postgres:', SPARKIFY_SCHEMA: schema };
      const summary = await run({ options: { source: TINY }, env, cwd: TINY });
      expect(summary.warehouse).toBe(`postgres (from PG* environment variables)?schema=${schema}`);
      expect(await tablesIn(schema)).toEqual(STAR_AND_STAGING);
      expect(await query('SELECT COUNT(*) AS n FROM users', { env, cwd: TINY })).toEqual([{ n: 2 }]);
    });

    it('create-tables drops and recreates every table, emptying the star schema', async () => {
      const warehouse = freshPostgresUrl();
      await run({ options: { source: TINY, warehouse }, env: {}, cwd: TINY });
      const result = await createTables({ options: { warehouse }, env: {}, cwd: TINY });
      expect([...result.tables, 'sparkify_lock'].sort()).toEqual(STAR_AND_STAGING);
      expect(await tablesIn(schemaOf(warehouse))).toEqual(STAR_AND_STAGING);
      expect(await query('SELECT COUNT(*) AS n FROM songplays', { options: { warehouse }, env: {}, cwd: TINY })).toEqual([{ n: 0 }]);
    });

    it('create-tables is one transaction: a table it cannot drop (a view of the user depends on it) leaves every table as it was', async () => {
      const warehouse = freshPostgresUrl();
      const schema = schemaOf(warehouse);
      await run({ options: { source: TINY, warehouse }, env: {}, cwd: TINY });
      const counts = () =>
        query('SELECT (SELECT COUNT(*) FROM staging_events) AS events, (SELECT COUNT(*) FROM songplays) AS plays', {
          options: { warehouse },
          env: {},
          cwd: TINY,
        });
      const before = await counts();
      expect(before[0]!.events).toBeGreaterThan(0);
      await withAdmin((client) =>
        client.query(`CREATE VIEW "${schema}".plays_by_level AS SELECT level, COUNT(*) AS n FROM "${schema}".songplays GROUP BY level`),
      );
      await expect(createTables({ options: { warehouse }, env: {}, cwd: TINY })).rejects.toThrow(/songplays/);
      // staging_events is dropped before songplays: without the transaction it would be empty now.
      expect(await counts()).toEqual(before);
      expect(await tablesIn(schema)).toEqual([...STAR_AND_STAGING, 'plays_by_level'].sort());
    });

    it('takes --schema over the schema of the URL', async () => {
      const inUrl = freshPostgresUrl();
      const chosen = schemaOf(freshPostgresUrl());
      await run({ options: { source: TINY, warehouse: inUrl, schema: chosen }, env: {}, cwd: TINY });
      expect(await tablesIn(chosen)).toEqual(STAR_AND_STAGING);
      expect(await tablesIn(schemaOf(inUrl))).toEqual([]);
    });

    it('describes itself by user, host, port, database and schema, never the password', async () => {
      const url = freshPostgresUrl();
      const warehouse = await openPostgresWarehouse(target(url));
      try {
        const password = decodeURIComponent(new URL(url).password);
        expect(warehouse.description).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/sparkify\?schema=sparkify_test_/);
        expect(warehouse.description).not.toContain(password);
      } finally {
        await warehouse.close();
        await warehouse.close();
      }
    });
  });

  describe('query sessions', () => {
    let warehouse: string;
    beforeAll(async () => {
      warehouse = freshPostgresUrl();
      await run({ options: { source: TINY, warehouse }, env: {}, cwd: TINY });
    });
    const ask = (sql: string) => query(sql, { options: { warehouse }, env: {}, cwd: TINY });

    it('returns UTC timestamps, numbers for BIGINT and NUMERIC, and bigints beyond 2^53', async () => {
      const opened = await openPostgresWarehouse(target(warehouse), { readOnly: true });
      try {
        const [row] = await opened.query(
          `SELECT TIMESTAMP '2018-11-21 21:56:47.796' AS t, DATE '2018-11-21' AS d, COUNT(*) AS n,
                  AVG(session_id) AS average, 9007199254740993::bigint AS big, 0.1::float8 AS f
           FROM songplays`,
        );
        expect(row).toEqual({
          t: new Date(Date.UTC(2018, 10, 21, 21, 56, 47, 796)),
          d: new Date(Date.UTC(2018, 10, 21)),
          n: 6,
          average: expect.any(Number),
          big: 9007199254740993n,
          f: 0.1,
        });
      } finally {
        await opened.close();
      }
      expect(await ask('SELECT MIN(start_time) AS first, COUNT(*) AS plays FROM songplays')).toEqual([
        { first: expect.stringMatching(/^2018-11-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), plays: 6 },
      ]);
    });

    it('refuses writes, also when a statement tries to switch read-only off first', async () => {
      await expect(ask('DELETE FROM songplays')).rejects.toThrow(/^Query failed: cannot execute DELETE in a read-only transaction/);
      await expect(ask('SET default_transaction_read_only = off; DELETE FROM songplays')).rejects.toThrow(QueryError);
      await expect(ask('CREATE TABLE intruder (x int)')).rejects.toThrow(/read-only/);
      expect(await ask('SELECT COUNT(*) AS n FROM songplays')).toEqual([{ n: 6 }]);
    });

    it('says to run first when the schema does not exist, and creates nothing', async () => {
      const missing = freshPostgresUrl();
      await expect(query('SELECT 1 AS one', { options: { warehouse: missing }, env: {}, cwd: TINY })).rejects.toThrow(
        /^No schema "sparkify_test_\w+" in postgres:\/\/postgres@127\.0\.0\.1:\d+\/sparkify: run `sparkify run --schema/,
      );
      expect(await tablesIn(schemaOf(missing))).toEqual([]);
    });
  });

  describe('COPY writer', () => {
    const TRICKY: TableSpec = {
      name: 'tricky',
      role: 'staging',
      columns: [
        { name: 'label', type: 'text' },
        { name: 'value', type: 'text' },
        { name: 'amount', type: 'double' },
        { name: 'count', type: 'integer' },
        { name: 'millis', type: 'bigint' },
        { name: 'source_file', type: 'text', notNull: true },
        { name: 'line_number', type: 'integer', notNull: true },
      ],
    };
    const VALUES: [string, string | null][] = [
      ['empty', ''],
      ['null', null],
      ['tab', 'a\tb'],
      ['newlines', 'line 1\nline 2\r\nline 3\r'],
      ['backslashes', 'C:\\temp\\new \\N \\. \\\\'],
      ['quotes', '"quoted" and ""doubled"", a \'single\''],
      ['commas', 'a,b,,c'],
      ['end marker', '\\.'],
      ['unicode', 'Björk, 東京, 🎵, \u0019, Ã\u0083Â¶'],
      ['control', '\u0001\u0007\u001b[0m'],
      ['spaces', '  padded  '],
    ];
    let opened: PostgresWarehouse;

    beforeAll(async () => {
      opened = await openPostgresWarehouse(target(freshPostgresUrl()));
      return () => opened.close();
    });

    async function freshTable(name: string, table: TableSpec = TRICKY): Promise<TableSpec> {
      const spec = { ...table, name };
      await opened.execute(opened.dialect.createTable(spec, { ifNotExists: false }));
      return spec;
    }

    it('loads every awkward text exactly, keeps "" apart from NULL, and doubles exactly', async () => {
      const table = await freshTable('tricky_values');
      const writer = await opened.openWriter(table);
      const doubles = [0.1, 1 / 3, -2.5e-7, 1e21, 123456789.12345679, Number.MIN_VALUE, Number.MAX_VALUE];
      const rows: StagingRow[] = VALUES.map(([label, value], i) => [
        label,
        value,
        doubles[i % doubles.length]!,
        i,
        1541122176796 + i,
        'f.json',
        i + 1,
      ]);
      await writer.write(rows);
      expect(await writer.finish()).toBe(rows.length);
      const back = await opened.query('SELECT label, value, amount, count, millis FROM tricky_values ORDER BY line_number');
      expect(back).toEqual(rows.map(([label, value, amount, count, millis]) => ({ label, value, amount, count, millis })));
    });

    it("loads a value of megabytes, beyond the formatter's first buffer, intact", async () => {
      const table = await freshTable('tricky_long');
      const writer = await opened.openWriter(table);
      const long = `${'\u00e9\t"\n\ud83c\udfb5'.repeat(300_000)}end`;
      await writer.write([
        ['long', long, 1, 1, 1, 'f.json', 1],
        ['short', 'x', 2, 2, 2, 'f.json', 2],
      ]);
      expect(await writer.finish()).toBe(2);
      // length() counts characters: the server decoded the UTF-8 (a four-byte emoji is one character).
      const [row] = await opened.query("SELECT value, length(value) AS length FROM tricky_long WHERE label = 'long'");
      expect(row?.length).toBe([...long].length);
      expect(row?.value === long).toBe(true);
    });

    it('takes concurrent batches whole, as concurrent file loads write them', async () => {
      const table = await freshTable('tricky_concurrent');
      const writer = await opened.openWriter(table);
      const batch = (file: number): StagingRow[] =>
        Array.from({ length: 700 }, (_, line) => [
          `file ${file}`,
          `${'x'.repeat(line % 50)}\n"${line}"`,
          line / 7,
          line,
          file,
          `f${file}.json`,
          line + 1,
        ]);
      await Promise.all(Array.from({ length: 24 }, (_, file) => writer.write(batch(file))));
      expect(await writer.finish()).toBe(24 * 700);
      const [check] = await opened.query(
        `SELECT COUNT(*) AS n, COUNT(DISTINCT source_file) AS files,
                SUM(CASE WHEN value = repeat('x', count % 50) || E'\\n"' || count || '"' THEN 1 ELSE 0 END) AS intact
         FROM tricky_concurrent`,
      );
      expect(check).toEqual({ n: 24 * 700, files: 24, intact: 24 * 700 });
    });

    it('refuses a NUL in a staged value with file and line, and keeps it escaped in load_errors and its batch twin', async () => {
      const table = await freshTable('tricky_nul');
      const writer = await opened.openWriter(table);
      await expect(writer.write([['nul', 'a\u0000b', 1, 1, 1, 'logs/day.json', 42]])).rejects.toThrow(
        /^Cannot load logs\/day\.json line 42 into tricky_nul: field value holds a NUL character/,
      );
      await writer.abort();

      const errors = await freshTable('nul_errors', LOAD_ERRORS);
      const rejects = await opened.openWriter(errors);
      await rejects.write([['logs/day.json', 9, '{"song":"\u0000\u0000', 'invalid JSON: Bad control character', 'events']]);
      expect(await rejects.finish()).toBe(1);
      expect(await opened.query('SELECT raw_record FROM nul_errors')).toEqual([{ raw_record: '{"song":"\\u0000\\u0000' }]);

      // An incremental run writes its rejects to batch_load_errors first (a seeded fuzz run found it refused).
      const batchErrors = await freshTable('nul_batch_errors', BATCH_ERRORS);
      const batchRejects = await opened.openWriter(batchErrors);
      await batchRejects.write([['logs/day.json', 1, '\u0000{"ts":1}', 'invalid JSON: Unexpected token', 'events']]);
      expect(await batchRejects.finish()).toBe(1);
      expect(await opened.query('SELECT raw_record FROM nul_batch_errors')).toEqual([{ raw_record: '\\u0000{"ts":1}' }]);
    });

    it('reports a value the server refuses with the table and the server reason, and rolls the COPY back', async () => {
      const table = await freshTable('tricky_refused');
      const writer = await opened.openWriter(table);
      await writer.write([['fine', 'x', 1, 1, 1, 'a.json', 1]]);
      // source_file is NOT NULL: the server rejects the row and the whole COPY.
      await writer.write([['bad', 'x', 1, 1, 1, null, 2]]).catch(() => undefined);
      const failure = await writer.finish().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(WarehouseError);
      expect((failure as Error).message).toMatch(
        /^Failed to load tricky_refused on postgres:\/\/postgres@127\.0\.0\.1:\d+\/sparkify: null value in column "source_file"/,
      );
      expect((failure as Error).cause).toBeDefined();
      await writer.abort();
      expect(await opened.query('SELECT COUNT(*) AS n FROM tricky_refused')).toEqual([{ n: 0 }]);
    });

    it('abort rolls back what was written, and every writer session is closed afterwards', async () => {
      const application = `sparkify_abort_${process.pid}`;
      const url = postgresUrlWith({ params: { schema: schemaOf(freshPostgresUrl()), application_name: application } });
      const own = await openPostgresWarehouse(target(url));
      const sessions = () =>
        withAdmin(async (client) => {
          const { rows } = await client.query('SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [application]);
          return rows[0].n as number;
        });
      try {
        const table = { ...TRICKY, name: 'aborted', bulk: true };
        await own.execute(own.dialect.createTable(table, { ifNotExists: false }));
        await own.execute(own.dialect.createTable(LOAD_ERRORS, { ifNotExists: false }));
        // A staging table is loaded through its intake: one COPY session per staging worker.
        const perStagingWriter = STAGING_WORKERS;
        const intake = own.intake;
        if (intake.kind !== 'csv-chunks') throw new Error(`PostgreSQL's intake should take CSV chunks, not ${intake.kind}`);
        const first = await intake.open(table);
        const second = await own.openWriter(LOAD_ERRORS);
        expect(await sessions()).toBe(1 + perStagingWriter + 1);
        await first.add(new CopyRowEncoder(table, 'reject').encode([['gone', 'x', 1, 1, 1, 'a.json', 1]]), 1);
        await first.abort();
        await second.finish();
        expect(await own.query('SELECT COUNT(*) AS n FROM aborted')).toEqual([{ n: 0 }]);
        expect(await sessions()).toBe(1);
        // A load left open is cut when the warehouse closes.
        await intake.open(table);
        expect(await sessions()).toBe(1 + perStagingWriter);
      } finally {
        await own.close();
      }
      await expect.poll(sessions).toBe(0);
    });
  });
});
