/**
 * Which warehouse to use, parsed from `--warehouse` (or config): `duckdb:<path>`,
 * `postgres://user:password@host:port/db` (or `postgresql://`), `postgres:` alone for the server named by the
 * PG* environment variables, `redshift://user:password@host:5439/db`, or the Redshift Data API:
 * `redshift-data://cluster/<cluster-id>/<db>?db_user=<user>` or `redshift-data://workgroup/<workgroup>/<db>`.
 */
import { ConfigError } from '../errors.js';

/** The embedded default. */
export interface DuckDbTarget {
  readonly kind: 'duckdb';
  readonly path: string;
}

/** A server speaking the PostgreSQL protocol. The URL may hold a password: print it only through `redactUrl`. */
export interface ServerTarget {
  readonly kind: 'postgres' | 'redshift';
  /** A libpq-style URL; absent for PostgreSQL configured only by PGHOST, PGUSER and friends. */
  readonly url?: string;
  /** The schema the tables live in (`?schema=` in the URL, `--schema`); the server's default when absent. */
  readonly schema?: string;
}

/**
 * Redshift through the Data API: statements over HTTPS with IAM credentials, so no port needs to be open.
 * Exactly one of `cluster` and `workgroup` is set.
 */
export interface DataApiTarget {
  readonly kind: 'redshift-data';
  /** A provisioned cluster's identifier. */
  readonly cluster?: string;
  /** A Serverless workgroup's name. */
  readonly workgroup?: string;
  readonly database: string;
  /** On a cluster: the database user to get temporary credentials for (`?db_user=`). */
  readonly dbUser?: string;
  /** A Secrets Manager secret holding the user and password (`?secret_arn=`), instead of `dbUser`. */
  readonly secretArn?: string;
  /** The AWS region (`?region=`); default: AWS_REGION or the profile's. */
  readonly region?: string;
  readonly schema?: string;
}

/** A parsed warehouse choice. */
export type WarehouseTarget = DuckDbTarget | ServerTarget | DataApiTarget;

/** The default: `sparkify.duckdb` in the working directory. */
export const DEFAULT_WAREHOUSE = 'duckdb:sparkify.duckdb';

/**
 * Parses a warehouse URL. `origin` names where the value came from (a flag, a variable, a config key), so
 * an error can say which one to fix.
 */
export function parseWarehouseTarget(value: string, origin: string): WarehouseTarget {
  const trimmed = value.trim();
  if (trimmed.startsWith('duckdb:')) {
    const path = trimmed.slice('duckdb:'.length).replace(/^\/\//, '');
    if (path === '') throw new ConfigError(`${origin}: "duckdb:" needs a file path, as in duckdb:sparkify.duckdb`);
    return { kind: 'duckdb', path };
  }
  if (/^redshift-data:/i.test(trimmed)) return parseDataApiTarget(trimmed, origin);
  const fromEnvironment = postgresFromEnvironment(trimmed, origin);
  if (fromEnvironment) return fromEnvironment;
  const scheme = /^([a-z]+):\/\//i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql' || scheme === 'redshift') {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      throw new ConfigError(`${origin}: ${redactUrl(trimmed)} is not a valid URL (expected ${scheme}://user:password@host:port/database)`);
    }
    const schema = checkedSchema(url.searchParams.get('schema') ?? undefined, origin);
    return { kind: scheme === 'redshift' ? 'redshift' : 'postgres', url: trimmed, schema };
  }
  throw new ConfigError(
    `${origin}: "${redactUrl(trimmed)}" is not a warehouse URL; expected duckdb:<file>, postgres://..., redshift://... or redshift-data://...`,
  );
}

const DATA_API_FORM = 'redshift-data://cluster/<cluster-id>/<db>?db_user=<user> or redshift-data://workgroup/<workgroup>/<db>';
const DATA_API_PARAMETERS = new Set(['db_user', 'secret_arn', 'region', 'schema']);

/**
 * `redshift-data://cluster/<id>/<db>` or `redshift-data://workgroup/<name>/<db>`; the short
 * `redshift-data://<id>/<db>` means a cluster. Parameters: db_user, secret_arn, region, schema.
 */
function parseDataApiTarget(value: string, origin: string): DataApiTarget {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${origin}: "${value}" is not a valid URL (expected ${DATA_API_FORM})`);
  }
  const parts = [url.hostname, ...url.pathname.split('/').filter((part) => part !== '')].map(decodeURIComponent);
  // The short form cannot name a cluster called "cluster" or "workgroup": that reads as the long form cut short.
  const short = parts.length === 2 && parts[0] !== 'cluster' && parts[0] !== 'workgroup';
  const [kind, name, database] = short ? ['cluster', ...parts] : parts;
  if (parts.length < 2 || parts.length > 3 || (kind !== 'cluster' && kind !== 'workgroup') || !name || !database) {
    throw new ConfigError(`${origin}: "${value}" names no cluster or workgroup and database; expected ${DATA_API_FORM}`);
  }
  for (const key of url.searchParams.keys()) {
    if (!DATA_API_PARAMETERS.has(key))
      throw new ConfigError(`${origin}: unknown parameter "${key}"; expected ${[...DATA_API_PARAMETERS].join(', ')}`);
  }
  const parameter = (key: string) => url.searchParams.get(key) || undefined;
  if (kind === 'workgroup' && parameter('db_user')) {
    throw new ConfigError(`${origin}: db_user applies to a cluster; a workgroup maps your IAM identity to a database user itself`);
  }
  return {
    kind: 'redshift-data',
    ...(kind === 'cluster' ? { cluster: name } : { workgroup: name }),
    database,
    dbUser: parameter('db_user'),
    secretArn: parameter('secret_arn'),
    region: parameter('region'),
    schema: checkedSchema(parameter('schema'), origin),
  };
}

/** The URL of a Data API target, as parseWarehouseTarget reads it. Holds no secret. */
export function dataApiUrl(target: DataApiTarget): string {
  const parameters = new URLSearchParams();
  for (const [key, value] of [
    ['db_user', target.dbUser],
    ['secret_arn', target.secretArn],
    ['region', target.region],
    ['schema', target.schema],
  ] as const) {
    if (value) parameters.set(key, value);
  }
  const query = parameters.toString();
  const where = target.cluster ? `cluster/${target.cluster}` : `workgroup/${target.workgroup}`;
  return `redshift-data://${where}/${target.database}${query ? `?${query}` : ''}`;
}

/**
 * `postgres:` or `postgres://` (also `postgresql`) with no host: the server is the one the libpq variables
 * name (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE), as `psql` with no arguments would use.
 * `?schema=` may follow; any other parameter (`?sslmode=require`) is kept for pg, which fills in the rest
 * from the same variables.
 */
function postgresFromEnvironment(value: string, origin: string): ServerTarget | undefined {
  const bare = /^postgres(?:ql)?:(?:\/\/)?(?:\?(.*))?$/i.exec(value);
  if (!bare) return undefined;
  const parameters = new URLSearchParams(bare[1] ?? '');
  const schema = checkedSchema(parameters.get('schema') ?? undefined, origin);
  parameters.delete('schema');
  const rest = parameters.toString();
  return { kind: 'postgres', url: rest === '' ? undefined : `postgres://?${rest}`, schema };
}

function checkedSchema(schema: string | undefined, origin: string): string | undefined {
  if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema)) {
    throw new ConfigError(`${origin}: schema "${schema}" must be a plain identifier (letters, digits, _)`);
  }
  return schema;
}

/** `url` with any password replaced by `***`, safe to print. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*:)[^@]*@/i, '$1***@').replace(/([?&]password=)[^&]*/i, '$1***');
}

/** A printable name for `target` with no secret in it. */
export function describeTarget(target: WarehouseTarget): string {
  if (target.kind === 'duckdb') return `duckdb:${target.path}`;
  if (target.kind === 'redshift-data') return dataApiUrl(target);
  return target.url ? redactUrl(target.url) : `${target.kind} (from PG* environment variables)`;
}
