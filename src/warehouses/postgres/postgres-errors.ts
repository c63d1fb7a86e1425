/**
 * Translates what `pg` throws into one line a user can act on: which server, what went wrong, and what to
 * check. The driver's error stays as `cause` (printed by `--verbose`). No message ever holds a password:
 * they are built from host, port, user and database only, and the driver's own text is scrubbed as well.
 */
import { WarehouseError } from '../../errors.js';

/** Where a session was going: the parts of a connection that are safe to print. */
export interface ServerAddress {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  /** Scrubbed from driver messages, in case one ever echoes it. Never printed. */
  readonly password?: string;
}

/** The fields of `pg`'s DatabaseError (and of Node's system errors) that the messages use. */
interface DriverError {
  readonly message: string;
  readonly code?: string;
  readonly detail?: string;
  readonly hint?: string;
  readonly where?: string;
}

/** `host:port` as printed in messages. */
export function hostAndPort(server: ServerAddress): string {
  return `${server.host.includes(':') ? `[${server.host}]` : server.host}:${server.port}`;
}

/**
 * The error for a failed connection attempt: refused, unknown host, timeout, authentication, missing
 * database, TLS. `server` is what the session tried to reach.
 */
export function connectError(error: unknown, server: ServerAddress): WarehouseError {
  const driver = asDriverError(error);
  const at = hostAndPort(server);
  const reason = driverText(driver, server);
  const cannotConnect = (why: string) => new WarehouseError(`Cannot connect to PostgreSQL at ${at}: ${why}`, { cause: error });
  switch (driver.code) {
    case 'ECONNREFUSED':
      return cannotConnect('connection refused (is the server running and listening on that host and port?)');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return cannotConnect(`host "${server.host}" not found (${driver.code})`);
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return cannotConnect(`${reason} (check the host, the port and any firewall)`);
    case '28P01':
      return new WarehouseError(
        `Authentication failed for user "${server.user}" at ${at}: ${reason} (check the password in the URL or PGPASSWORD)`,
        { cause: error },
      );
    case '28000':
      return new WarehouseError(`Authentication failed for user "${server.user}" at ${at}: ${reason}`, { cause: error });
    case '3D000':
      return new WarehouseError(
        `Database "${server.database}" does not exist at ${at}: create it (createdb ${server.database}) or name another one in the URL`,
        { cause: error },
      );
    case '42501':
      return permissionError(error, `connect to database "${server.database}"`, server);
  }
  if (/client password must be a string|password must be a string/i.test(driver.message)) {
    return new WarehouseError(
      `Authentication failed for user "${server.user}" at ${at}: the server asks for a password and none was given ` +
        '(put it in the URL or set PGPASSWORD)',
      { cause: error },
    );
  }
  if (/timeout/i.test(driver.message)) return cannotConnect(`no answer in time (${reason}); check the host, the port and any firewall`);
  if (/SSL/i.test(driver.message)) return cannotConnect(`${reason} (adjust ?sslmode= in the URL or PGSSLMODE)`);
  return cannotConnect(reason);
}

/** The error for a statement that failed; `action` says what it was doing, as in `create schema "dev"`. */
export function statementError(error: unknown, action: string, server: ServerAddress): WarehouseError {
  const driver = asDriverError(error);
  if (driver.code === '42501') return permissionError(error, action, server);
  return new WarehouseError(`Failed to ${action} on ${describeServer(server)}: ${driverText(driver, server)}`, { cause: error });
}

/** The error of a user's query: the driver's message alone (the caller adds "Query failed:"). */
export function queryError(error: unknown, server: ServerAddress): WarehouseError {
  return new WarehouseError(driverText(asDriverError(error), server), { cause: error });
}

/** `postgres://user@host:port/database`, with no password. */
export function describeServer(server: ServerAddress, scheme = 'postgres'): string {
  return `${scheme}://${server.user}@${hostAndPort(server)}/${server.database}`;
}

function permissionError(error: unknown, action: string, server: ServerAddress): WarehouseError {
  const reason = driverText(asDriverError(error), server);
  return new WarehouseError(
    `Permission denied: user "${server.user}" cannot ${action} on ${describeServer(server)}: ${reason} ` +
      '(grant the privilege, or use --schema with a schema this user may create tables in)',
    { cause: error },
  );
}

/** The driver's message on one line, with its hint, scrubbed of the password. */
function driverText(driver: DriverError, server: ServerAddress): string {
  let text = driver.message.replace(/\s+/g, ' ').trim();
  if (driver.hint) text += ` (${driver.hint.replace(/\s+/g, ' ').trim()})`;
  // Short passwords would mangle ordinary words ("password" contains "pass"), and no known driver message
  // echoes one; the scrub is a safety net for the long secrets that matter.
  if (server.password && server.password.length >= 6) text = text.replaceAll(server.password, '***');
  return text || String(driver.code ?? 'unknown error');
}

function asDriverError(error: unknown): DriverError {
  if (error instanceof AggregateError && error.errors.length > 0) {
    // Node's dual-stack connect reports one error per address tried; the first carries the code.
    const first = error.errors[0] as DriverError;
    return { message: first.message ?? error.message, code: (error as DriverError).code ?? first.code };
  }
  if (error instanceof Error) return error as DriverError;
  return { message: String(error) };
}
