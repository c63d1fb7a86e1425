/**
 * How a `ServerTarget` becomes `pg` client settings, and how each client reads values back. Kept apart from
 * the warehouse class so Redshift (same protocol) can reuse it and change only its defaults.
 */
import type pg from 'pg';
import type { ServerTarget } from './postgres-target.js';
import type { ServerAddress } from './postgres-errors.js';

/** Type OIDs of the values whose default parsing does not suit a warehouse. */
const OID = { int8: 20, date: 1082, timestamp: 1114, numeric: 1700 } as const;

/** Seconds to wait for a server before giving up, unless PGCONNECT_TIMEOUT says otherwise. */
const DEFAULT_CONNECT_TIMEOUT_SECONDS = 15;

/**
 * `pg` settings for `target`. The URL goes to pg's own parser, which honours `sslmode`, `host=`, `port=`
 * and the rest as libpq does, minus `schema`, which is ours (pg would send it to the server as an unknown
 * startup parameter). Without a URL, pg reads PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE and PGSSLMODE.
 */
export function postgresClientConfig(target: ServerTarget, env: NodeJS.ProcessEnv = process.env): pg.ClientConfig {
  const timeout = Number(env.PGCONNECT_TIMEOUT);
  const config: pg.ClientConfig = {
    application_name: 'sparkify',
    connectionTimeoutMillis: (Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_CONNECT_TIMEOUT_SECONDS) * 1000,
  };
  if (target.url) config.connectionString = withoutParameter(target.url, 'schema');
  return config;
}

/** `url` without the query parameter `name`; everything else, percent-encoding included, as written. */
export function withoutParameter(url: string, name: string): string {
  const query = url.indexOf('?');
  if (query === -1) return url;
  const kept = url
    .slice(query + 1)
    .split('&')
    .filter((pair) => pair !== '' && decodeURIComponent(pair.split('=')[0] ?? '') !== name);
  return kept.length > 0 ? `${url.slice(0, query)}?${kept.join('&')}` : url.slice(0, query);
}

/** The printable parts of where `client` connects, as pg resolved them from the URL and environment. */
export function serverAddress(client: pg.Client): ServerAddress {
  // pg keeps the resolved settings on the client; the password is a non-enumerable property there.
  const resolved = client as unknown as { host?: string; port?: number; user?: string; database?: string; password?: unknown };
  return {
    host: resolved.host ?? 'localhost',
    port: resolved.port ?? 5432,
    user: resolved.user ?? '',
    database: resolved.database ?? resolved.user ?? '',
    password: typeof resolved.password === 'string' ? resolved.password : undefined,
  };
}

/**
 * Sets how this client (only this one: pg's global parsers are left alone) turns values into JavaScript:
 * - TIMESTAMP (without time zone) is UTC, as start_time is defined; pg's default would read it in the
 *   machine's local time zone and shift every hour on a non-UTC machine.
 * - DATE is midnight UTC, for the same reason.
 * - BIGINT (COUNT(*), songplay_id) is a number when it fits, a bigint beyond 2^53, as on DuckDB; pg's
 *   default is a string, which `query --json` would print quoted.
 * - NUMERIC (AVG, SUM of integers, EXTRACT) is a number, as DuckDB returns its DECIMALs.
 */
export function installTypeParsers(client: pg.Client): void {
  client.setTypeParser(OID.timestamp, 'text', parseUtcTimestamp);
  client.setTypeParser(OID.date, 'text', (text: string) => parseUtcTimestamp(`${text} 00:00:00`));
  client.setTypeParser(OID.int8, 'text', parseBigint);
  client.setTypeParser(OID.numeric, 'text', (text: string) => (text === 'NaN' ? Number.NaN : Number(text)));
}

function parseUtcTimestamp(text: string): Date | string {
  // '2018-11-21 21:56:47.796' (ISO DateStyle, the default); 'infinity' and BC dates stay text.
  const match = /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(\.\d+)?$/.exec(text);
  if (!match) return text;
  const [, year, month, day, hour, minute, second, fraction] = match;
  // Milliseconds from the first three fraction digits, as text: no floating-point rounding.
  const millis = fraction ? Number(fraction.slice(1, 4).padEnd(3, '0')) : 0;
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  date.setUTCHours(Number(hour), Number(minute), Number(second), millis);
  return date;
}

function parseBigint(text: string): number | bigint {
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : BigInt(text);
}
