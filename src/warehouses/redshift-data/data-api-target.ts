/**
 * The Redshift Data API's warehouse URL: `redshift-data://cluster/<cluster-id>/<db>?db_user=<user>` or
 * `redshift-data://workgroup/<workgroup>/<db>`; the short `redshift-data://<id>/<db>` means a cluster.
 * Parameters: db_user, secret_arn, region, schema. It holds no secret: credentials are IAM's.
 */
import { ConfigError } from '../../errors.js';
import { checkedSchema } from '../postgres/postgres-target.js';
import type { WarehouseTarget } from '../warehouse.js';
import { redactUrl } from '../url-redaction.js';

/**
 * Redshift through the Data API: statements over HTTPS with IAM credentials, so no port needs to be open.
 * Exactly one of `cluster` and `workgroup` is set.
 */
export interface DataApiTarget extends WarehouseTarget {
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

const DATA_API_FORM = 'redshift-data://cluster/<cluster-id>/<db>?db_user=<user> or redshift-data://workgroup/<workgroup>/<db>';
const DATA_API_PARAMETERS = new Set(['db_user', 'secret_arn', 'region', 'schema']);

/** Parses a `redshift-data://` URL; `origin` names where it came from, for the ConfigError. */
export function parseDataApiTarget(value: string, origin: string): DataApiTarget {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${origin}: "${redactUrl(value)}" is not a valid URL (expected ${DATA_API_FORM})`);
  }
  const parts = [url.hostname, ...url.pathname.split('/').filter((part) => part !== '')].map(decodeURIComponent);
  // The short form cannot name a cluster called "cluster" or "workgroup": that reads as the long form cut short.
  const short = parts.length === 2 && parts[0] !== 'cluster' && parts[0] !== 'workgroup';
  const [kind, name, database] = short ? ['cluster', ...parts] : parts;
  if (parts.length < 2 || parts.length > 3 || (kind !== 'cluster' && kind !== 'workgroup') || !name || !database) {
    throw new ConfigError(`${origin}: "${redactUrl(value)}" names no cluster or workgroup and database; expected ${DATA_API_FORM}`);
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

/** The URL of a Data API target, as parseDataApiTarget reads it. Holds no secret. */
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
