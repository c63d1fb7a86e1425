/**
 * Targets of the PostgreSQL family: `postgres://user:password@host:port/db` (or `postgresql://`), `postgres:`
 * alone for the server named by the PG* environment variables, and, through the Redshift descriptor,
 * `redshift://user:password@host:5439/db`. Parsed without loading `pg`.
 */
import { ConfigError } from '../../errors.js';
import { redactUrl, urlPasswords } from '../url-redaction.js';
import type { WarehouseTarget } from '../warehouse.js';

/** A server speaking the PostgreSQL protocol. The URL may hold a password: print it only through `describeServerTarget`. */
export interface ServerTarget extends WarehouseTarget {
  readonly kind: 'postgres' | 'redshift';
  /** A libpq-style URL; absent for PostgreSQL configured only by PGHOST, PGUSER and friends. */
  readonly url?: string;
  /** The schema the tables live in (`?schema=` in the URL, `--schema`); the server's default when absent. */
  readonly schema?: string;
}

/**
 * Parses `value`, a URL of `kind`'s schemes. For PostgreSQL, `postgres:` or `postgres://` with no host
 * means the server the libpq variables name (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE), as
 * `psql` with no arguments would use; `?schema=` may follow, and any other parameter (`?sslmode=require`)
 * is kept for pg, which fills in the rest from the same variables.
 */
export function parseServerTarget(value: string, origin: string, kind: ServerTarget['kind']): ServerTarget {
  const trimmed = value.trim();
  if (kind === 'postgres') {
    const bare = /^postgres(?:ql)?:(?:\/\/)?(?:\?(.*))?$/i.exec(trimmed);
    if (bare) {
      const parameters = new URLSearchParams(bare[1] ?? '');
      const schema = checkedSchema(parameters.get('schema') ?? undefined, origin);
      parameters.delete('schema');
      const rest = parameters.toString();
      return { kind, url: rest === '' ? undefined : `postgres://?${rest}`, schema };
    }
  }
  const scheme = /^([a-z]+):/i.exec(trimmed)?.[1]?.toLowerCase() ?? kind;
  let url: URL;
  try {
    if (!/^[a-z]+:\/\//i.test(trimmed)) throw new Error('no //');
    url = new URL(trimmed);
  } catch {
    throw new ConfigError(`${origin}: ${redactUrl(trimmed)} is not a valid URL (expected ${scheme}://user:password@host:port/database)`);
  }
  // `postgresql:///u:pw@host/db` parses as a hostless URL whose database is `u:pw@host/db`: refused, or the
  // server's "database does not exist" would carry the password.
  if (url.host === '' && /@|%40/i.test(url.pathname)) {
    // Not printed at all: the `@` may be written %40, which no redaction can tell from the password.
    throw new ConfigError(
      `${origin}: the ${scheme}: URL has no host, and its database part holds an "@" (expected ${scheme}://user:password@host:port/database)`,
    );
  }
  const schema = checkedSchema(url.searchParams.get('schema') ?? undefined, origin);
  return { kind, url: trimmed, schema };
}

/**
 * A printable name for `target` with no secret in it, naming the schema the tables go to: a `--schema`
 * (or SPARKIFY_SCHEMA, [SPARKIFY] SCHEMA) replaces the URL's `?schema=` in what is printed as in what is used.
 */
export function describeServerTarget(target: ServerTarget): string {
  if (!target.url) return `${target.kind} (from PG* environment variables)${target.schema ? `?schema=${target.schema}` : ''}`;
  return withSchema(redactUrl(target.url), target.schema);
}

// On the redacted text, whose password is `***`: a password may hold `?`, so the query is looked for only
// after the last `@`.
function withSchema(redacted: string, schema: string | undefined): string {
  if (!schema) return redacted;
  const question = redacted.indexOf('?', redacted.lastIndexOf('@') + 1);
  const base = question === -1 ? redacted : redacted.slice(0, question);
  const parameters = new URLSearchParams(question === -1 ? '' : redacted.slice(question + 1));
  parameters.set('schema', schema);
  return `${base}?${parameters.toString()}`;
}

/** The password in `target`'s URL, if any. */
export function serverTargetSecrets(target: ServerTarget): string[] {
  return urlPasswords(target.url);
}

/** `schema` when it is a plain identifier; a ConfigError naming `origin` otherwise. */
export function checkedSchema(schema: string | undefined, origin: string): string | undefined {
  if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema)) {
    throw new ConfigError(`${origin}: schema "${schema}" must be a plain identifier (letters, digits, _)`);
  }
  return schema;
}
