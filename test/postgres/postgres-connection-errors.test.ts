/**
 * Connection and permission failures against the real test server: each is one line a user can act on,
 * a `WarehouseError` with the driver's error as `cause`, and never shows the password.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WarehouseError } from '../../src/errors.js';
import { run } from '../../src/pipeline/run.js';
import { freeLoopbackPort } from '../support/postgres-server.js';
import { POSTGRES_URL, postgresTitle, postgresUrlWith, withAdmin } from './postgres-test-support.js';

const TINY = new URL('../fixtures/tiny', import.meta.url).pathname;
const SECRET = `s3cret-${randomBytes(6).toString('hex')}`;

/** What `run` throws for `warehouse`, checked to be a one-line WarehouseError without `SECRET`. */
async function failureOf(warehouse: string): Promise<WarehouseError> {
  const error = await run({ options: { source: TINY, warehouse }, env: {}, cwd: TINY }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(WarehouseError);
  const failure = error as WarehouseError;
  expect(failure.message).not.toContain('\n');
  expect(failure.message).not.toContain(SECRET);
  expect(failure.cause).toBeDefined();
  return failure;
}

describe.skipIf(!POSTGRES_URL)(postgresTitle('PostgreSQL errors a user can act on'), () => {
  const suffix = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const role = `sparkify_limited_${suffix}`;
  const database = `sparkify_limited_${suffix}`;

  beforeAll(async () => {
    // A role that may log in but create nothing, in a database whose public schema is closed to it.
    await withAdmin(async (client) => {
      await client.query(`CREATE ROLE ${role} LOGIN PASSWORD '${SECRET}'`);
      await client.query(`CREATE DATABASE ${database}`);
    });
    await withAdmin((client) => client.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC'), database);
  });

  afterAll(async () => {
    await withAdmin(async (client) => {
      await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await client.query(`DROP ROLE IF EXISTS ${role}`);
    });
  });

  it('connection refused: names host and port and the reason', async () => {
    const port = await freeLoopbackPort();
    const failure = await failureOf(postgresUrlWith({ password: SECRET, port }));
    expect(failure.message).toBe(
      `Cannot connect to PostgreSQL at 127.0.0.1:${port}: connection refused (is the server running and listening on that host and port?)`,
    );
    expect((failure.cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('unknown host: names the host', async () => {
    const failure = await failureOf(`postgres://postgres:${SECRET}@no-such-host.invalid:5432/sparkify`);
    expect(failure.message).toMatch(/^Cannot connect to PostgreSQL at no-such-host\.invalid:5432: host "no-such-host\.invalid" not found/);
  });

  it('wrong password: authentication failed, for which user where', async () => {
    const failure = await failureOf(postgresUrlWith({ password: SECRET }));
    expect(failure.message).toMatch(
      /^Authentication failed for user "postgres" at 127\.0\.0\.1:\d+: password authentication failed for user "postgres" \(check the password in the URL or PGPASSWORD\)$/,
    );
    expect((failure.cause as { code?: string }).code).toBe('28P01');
  });

  it('no password at all: says the server wants one', async () => {
    const url = new URL(POSTGRES_URL!);
    url.password = '';
    const saved = process.env.PGPASSWORD;
    delete process.env.PGPASSWORD;
    try {
      const failure = await failureOf(url.toString());
      expect(failure.message).toMatch(
        /^Authentication failed for user "postgres" at 127\.0\.0\.1:\d+: the server asks for a password and none was given/,
      );
    } finally {
      if (saved !== undefined) process.env.PGPASSWORD = saved;
    }
  });

  it('missing database: names it and says how to create it', async () => {
    const failure = await failureOf(postgresUrlWith({ database: 'no_such_database' }));
    expect(failure.message).toMatch(
      /^Database "no_such_database" does not exist at 127\.0\.0\.1:\d+: create it \(createdb no_such_database\) or name another one in the URL$/,
    );
    expect((failure.cause as { code?: string }).code).toBe('3D000');
  });

  it('permission denied creating the schema: names the user, the schema and the database', async () => {
    const url = postgresUrlWith({ user: role, password: SECRET, database, params: { schema: 'analytics' } });
    const failure = await failureOf(url);
    expect(failure.message).toMatch(
      new RegExp(
        `^Permission denied: user "${role}" cannot create schema "analytics" on postgres://${role}@127\\.0\\.0\\.1:\\d+/${database}: ` +
          `permission denied for database ${database} \\(grant the privilege, or use --schema with a schema this user may create tables in\\)$`,
      ),
    );
    expect((failure.cause as { code?: string }).code).toBe('42501');
  });

  it('permission denied creating tables: names the statement and the schema refused', async () => {
    const failure = await failureOf(postgresUrlWith({ user: role, password: SECRET, database }));
    expect(failure.message).toMatch(
      new RegExp(
        `^Permission denied: user "${role}" cannot run CREATE TABLE IF NOT EXISTS staging_events on postgres://${role}@127\\.0\\.0\\.1:\\d+/${database}: permission denied for schema public`,
      ),
    );
  });

  it('uses a schema that exists without needing the privilege to create schemas', async () => {
    // The administrator made the schema and handed it over; the limited role owns it but cannot create others.
    await withAdmin(async (client) => {
      await client.query(`CREATE SCHEMA owned_by_limited AUTHORIZATION ${role}`);
    }, database);
    const url = postgresUrlWith({ user: role, password: SECRET, database, params: { schema: 'owned_by_limited' } });
    const summary = await run({ options: { source: TINY, warehouse: url }, env: {}, cwd: TINY });
    expect(summary.tables.songplays).toBe(6);
    expect(summary.warehouse).not.toContain(SECRET);
  });
});
