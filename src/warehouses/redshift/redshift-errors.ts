/**
 * Redshift's failures, said so that a user can act on them: a cluster that does not answer (and the three
 * usual reasons), a wrong user or password, TLS, and the ways a COPY from S3 fails (the IAM role may not
 * read the bucket, the bucket is in another region, the prefix is empty, the JSONPaths file is wrong).
 * The driver's error stays as `cause`, for `--verbose`.
 */
import { WarehouseError } from '../../errors.js';
import { hostAndPort, type ServerAddress } from '../postgres/postgres-errors.js';

/** What the driver reports: a system error code or SQLSTATE, a message, and Redshift's detail block. */
interface DriverError {
  readonly code?: string;
  readonly message?: string;
  readonly detail?: string;
}

/** What a COPY was doing when it failed, for the message. */
export interface CopyContext {
  readonly table: string;
  /** The s3:// prefix it read. */
  readonly source: string;
  readonly iamRole: string;
  /** The region COPY named, if any. */
  readonly region?: string;
}

const UNREACHABLE_CODES = new Set(['ETIMEDOUT', 'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET']);

/**
 * The error for a failed connection. `error` is what the PostgreSQL warehouse threw (its `cause` is the
 * driver's error), or the driver's error itself.
 */
export function redshiftConnectError(error: unknown, server: ServerAddress): WarehouseError {
  const driver = driverError(error);
  const at = hostAndPort(server);
  const said = oneLine(driver.message ?? String(error), server);
  const fail = (text: string) => new WarehouseError(text, { cause: error });
  if (UNREACHABLE_CODES.has(driver.code ?? '') || /timeout|timed out/i.test(said)) {
    return fail(
      `Cannot connect to Redshift at ${at}: ${said}. The usual causes: the cluster's VPC security group has no ` +
        `inbound rule for TCP port ${server.port} from this machine's address; the cluster is not publicly accessible ` +
        '(Modify publicly accessible setting in the console); or its subnet has no route to an internet gateway. ' +
        'A paused cluster, or one still being created, does not answer either.',
    );
  }
  if (driver.code === 'ENOTFOUND' || driver.code === 'EAI_AGAIN') {
    return fail(
      `Cannot connect to Redshift: host "${server.host}" not found (${driver.code}). Check HOST in dwh.cfg's [CLUSTER] ` +
        '(the endpoint without ":5439/dev"); a deleted cluster\'s endpoint no longer resolves.',
    );
  }
  if (driver.code === '28000' || driver.code === '28P01' || /password authentication failed|authentication failed/i.test(said)) {
    return fail(
      `Authentication failed for user "${server.user}" at ${at}: ${said}. Check DB_USER and DB_PASSWORD in dwh.cfg's ` +
        '[CLUSTER] (or the user and password of the redshift:// URL).',
    );
  }
  if (driver.code === '3D000') {
    return fail(`Database "${server.database}" does not exist on ${at}: check DB_NAME in dwh.cfg's [CLUSTER] (a new cluster has "dev").`);
  }
  if (/does not support SSL/i.test(said)) {
    return fail(
      `Cannot open a TLS session with ${at}: the server does not offer TLS, which every Redshift endpoint does (is this ` +
        'a PostgreSQL server, or a tunnel?). Add ?sslmode=disable to the URL to connect without encryption.',
    );
  }
  if (/certificate|self[- ]signed|altname|does not match|SSL|TLS/i.test(said)) {
    return fail(
      `Cannot open a TLS session with Redshift at ${at}: ${said}. sparkify checks the cluster's certificate by default; ` +
        'when you connect through a tunnel or by IP address, add ?sslmode=require to the URL to encrypt without that check.',
    );
  }
  // Not a connection problem (a missing privilege on the schema, say): PostgreSQL's message, in Redshift's name.
  if (error instanceof WarehouseError)
    return new WarehouseError(error.message.replaceAll('PostgreSQL', 'Redshift'), { cause: error.cause ?? error });
  return fail(`Cannot connect to Redshift at ${at}: ${said}`);
}

/** True when COPY stopped because of the data (too many rejects), so its load errors are worth reading. */
export function isLoadDataFailure(error: unknown): boolean {
  return /Load into table '.*' failed|stl_load_errors|sys_load_error_detail/i.test(driverError(error).message ?? '');
}

/** The error for a COPY that failed for another reason than its data. */
export function copyError(error: unknown, copy: CopyContext, server: ServerAddress): WarehouseError {
  const driver = driverError(error);
  const said = oneLine(driver.message ?? String(error), server);
  const bucket = /^s3:\/\/([^/]+)/i.exec(copy.source)?.[1] ?? copy.source;
  const failed = `COPY into ${copy.table} from ${copy.source} failed`;
  const fail = (advice: string) => new WarehouseError(`${failed}: ${advice} (Redshift said: ${said})`, { cause: error });
  const text = `${said} ${driver.detail ?? ''}`;
  if (/not authorized to assume|assumerole|Not authorized to get credentials of role/i.test(text)) {
    return fail(
      `the cluster may not assume IAM role ${copy.iamRole}. Associate the role with the cluster (Actions > Manage IAM ` +
        'roles) and check that its trust policy lets redshift.amazonaws.com assume it',
    );
  }
  if (/Access ?Denied|Status 403|Forbidden/i.test(text)) {
    return fail(
      `IAM role ${copy.iamRole} may not read bucket "${bucket}". Give the role s3:GetObject and s3:ListBucket on it ` +
        '(the AmazonS3ReadOnlyAccess policy is enough for a public bucket such as udacity-dend)',
    );
  }
  if (/PermanentRedirect|Status 301|must be addressed using the specified endpoint|different region/i.test(text)) {
    const named = copy.region ? `COPY named region ${copy.region}, ` : '';
    return fail(
      `bucket "${bucket}" is in another region: ${named}set the bucket's region with REGION in dwh.cfg's [SPARKIFY] section or --region`,
    );
  }
  if (/NoSuchBucket|bucket does not exist/i.test(text))
    return fail(`there is no bucket "${bucket}": check the s3:// locations in dwh.cfg's [S3]`);
  if (/prefix .* does not exist|no such key|NoSuchKey|Status 404/i.test(text)) {
    return fail(`nothing was found there: check the s3:// locations in dwh.cfg's [S3] (SONG_DATA, LOG_DATA, LOG_JSONPATH)`);
  }
  if (/JSONPath/i.test(text)) {
    return fail('the JSONPaths file is not usable: LOG_JSONPATH must name one S3 object holding {"jsonpaths": [...]}, one path per column');
  }
  return new WarehouseError(`${failed}: ${said}`, { cause: error });
}

/** The driver's own error inside a WarehouseError (or the error itself). */
function driverError(error: unknown): DriverError {
  let current: unknown = error;
  // The PostgreSQL warehouse wraps the driver's error; the codes and Redshift's detail are on the inner one.
  while (current instanceof WarehouseError && current.cause !== undefined) current = current.cause;
  if (current instanceof AggregateError && current.errors.length > 0) {
    const first = current.errors[0] as DriverError;
    return { code: (current as DriverError).code ?? first.code, message: first.message ?? current.message };
  }
  if (current instanceof Error) return current as DriverError;
  return { message: String(current) };
}

// The driver's text on one line, never with the password in it.
function oneLine(text: string, server: ServerAddress): string {
  let line = text.replace(/\s+/g, ' ').trim();
  if (server.password && server.password.length >= 6) line = line.replaceAll(server.password, '***');
  return line.replace(/[.\s]+$/, '');
}
