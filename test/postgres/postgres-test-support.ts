/**
 * Helpers of the PostgreSQL suites: the test server's URL, variants of it, and a superuser session for
 * checks and set-up that the product itself must not do (roles, grants).
 */
import pg from 'pg';
import { testPostgresUrl, uniqueTestSchema, withSchema } from '../support/test-warehouses.js';

/** The superuser URL of the test server, or undefined when PostgreSQL is not under test. */
export const POSTGRES_URL = testPostgresUrl();

/** The title of a PostgreSQL suite, saying why it is skipped when it is. */
export function postgresTitle(title: string): string {
  return POSTGRES_URL ? title : `${title} (SKIPPED: SPARKIFY_TEST_WAREHOUSES leaves postgres out)`;
}

/** The test server's URL with a fresh schema of its own. */
export function freshPostgresUrl(): string {
  return withSchema(POSTGRES_URL!, uniqueTestSchema());
}

/** The test server's URL with some parts replaced (user, password, port, database, query parameters). */
export function postgresUrlWith(parts: {
  user?: string;
  password?: string;
  port?: number;
  database?: string;
  params?: Record<string, string>;
}): string {
  const url = new URL(POSTGRES_URL!);
  if (parts.user !== undefined) url.username = encodeURIComponent(parts.user);
  if (parts.password !== undefined) url.password = encodeURIComponent(parts.password);
  if (parts.port !== undefined) url.port = String(parts.port);
  if (parts.database !== undefined) url.pathname = `/${parts.database}`;
  for (const [key, value] of Object.entries(parts.params ?? {})) url.searchParams.set(key, value);
  return url.toString();
}

/** Runs `work` with a superuser session on the test database (or `database`), always closing it. */
export async function withAdmin<T>(work: (client: pg.Client) => Promise<T>, database?: string): Promise<T> {
  const client = new pg.Client({ connectionString: database ? postgresUrlWith({ database }) : POSTGRES_URL! });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The schema named by `url`'s `?schema=`. */
export function schemaOf(url: string): string {
  return new URL(url).searchParams.get('schema')!;
}
