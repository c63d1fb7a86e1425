/**
 * Which warehouse to use, parsed from `--warehouse` (or config): `duckdb:<path>`,
 * `postgres://user:password@host:port/db` (or `postgresql://`), `postgres:` alone for the server named by the
 * PG* environment variables, or `redshift://user:password@host:5439/db`.
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

/** A parsed warehouse choice. */
export type WarehouseTarget = DuckDbTarget | ServerTarget;

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
    `${origin}: "${redactUrl(trimmed)}" is not a warehouse URL; expected duckdb:<file>, postgres://... or redshift://...`,
  );
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

/**
 * `url` with any password replaced by `***`, safe to print. The URL is parsed (WHATWG rules, as pg's own
 * parser does), so a password holding `@`, `:` or `/` is masked whole: `postgres://u:se@cret@host/db`
 * prints as `postgres://u:***@host/db`. A `password=` query parameter is masked too. A URL that does not
 * parse loses everything between `://` and its last `@` but the user name.
 *
 * @example
 * redactUrl('postgres://u:se@cret@127.0.0.1:1/db'); // 'postgres://u:***@127.0.0.1:1/db'
 */
export function redactUrl(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0];
  if (!scheme) return maskPasswordParameter(url);
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed?.password) {
    // Rebuilt from its parts: the raw text cannot be cut reliably where the password ends.
    const user = parsed.username;
    return maskPasswordParameter(`${scheme}${user}:***@${parsed.host}${parsed.pathname}${parsed.search}${parsed.hash}`);
  }
  if (parsed) return maskPasswordParameter(url);
  // Unparseable: the password may hold `/`, `?` or `#`, so no part of the text can be trusted to end it.
  // Cut at the last `@` of all: masking too much (a query value with an `@`) is harmless, too little is not.
  const rest = url.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  if (at === -1) return maskPasswordParameter(url);
  const user = rest.slice(0, at).split(':')[0] ?? '';
  return maskPasswordParameter(`${scheme}${user}:***@${rest.slice(at + 1)}`);
}

function maskPasswordParameter(url: string): string {
  return url.replace(/([?&](?:password|pass|pwd|sslpassword)=)[^&#]*/gi, '$1***');
}

/** A printable name for `target` with no secret in it. */
export function describeTarget(target: WarehouseTarget): string {
  if (target.kind === 'duckdb') return `duckdb:${target.path}`;
  return target.url ? redactUrl(target.url) : `${target.kind} (from PG* environment variables)`;
}
