/**
 * Where people write each value in their dwh.cfg, in order of preference. The classic template's
 * `[CLUSTER]`, `[IAM_ROLE]` and `[S3]` come first; then the names seen in public copies of the project:
 * `[DB]` and `[DWH]` hosts, the IaC notebook's `[DWH] DWH_ENDPOINT`, `DWH_DB`, `DWH_DB_USER`,
 * `DWH_DB_PASSWORD`, `DWH_PORT`, `DWH_ROLE_ARN`, and role ARNs under `[IAM]`, `[SECURITY]` or `[ARN]`.
 * Each value is taken from the first place that holds a non-empty one, independently of the others, so a
 * `[CLUSTER] HOST` filled in after the IaC notebook ran goes with the `[DWH]` user and password.
 */

/** A section and key of the file. */
export interface KeyPlace {
  readonly section: string;
  readonly key: string;
}

/** The values of the cluster connection and the run that dwh.cfg may give. */
export type DwhValueName = 'host' | 'database' | 'user' | 'password' | 'port' | 'iamRole' | 'songData' | 'logData' | 'logJsonPath';

const DATABASE_SECTIONS = ['CLUSTER', 'DB', 'DATABASE', 'REDSHIFT', 'DWH'];
const ROLE_SECTIONS = ['IAM_ROLE', 'IAM', 'SECURITY', 'ARN', 'DWH', 'CLUSTER'];
const ROLE_KEYS = ['ARN', 'ROLE_ARN', 'IAM_ROLE', 'IAM_ROLE_ARN', 'DWH_ROLE_ARN', 'DWH_IAM_ROLE_ARN'];

function places(sections: readonly string[], keys: readonly string[]): KeyPlace[] {
  return sections.flatMap((section) => keys.map((key) => ({ section, key })));
}

/** Every place each value may be written, most preferred first (sections first, then keys within one). */
export const DWH_PLACES: Readonly<Record<DwhValueName, readonly KeyPlace[]>> = {
  host: places(DATABASE_SECTIONS, ['HOST', 'DB_HOST', 'ENDPOINT', 'DWH_ENDPOINT', 'DWH_HOST']),
  database: places(DATABASE_SECTIONS, ['DB_NAME', 'DBNAME', 'DATABASE', 'DWH_DB', 'DWH_DB_NAME']),
  user: places(DATABASE_SECTIONS, ['DB_USER', 'USER', 'USERNAME', 'DWH_DB_USER']),
  password: places(DATABASE_SECTIONS, ['DB_PASSWORD', 'PASSWORD', 'DB_PASS', 'DWH_DB_PASSWORD']),
  port: places(DATABASE_SECTIONS, ['DB_PORT', 'PORT', 'DWH_PORT']),
  iamRole: places(ROLE_SECTIONS, ROLE_KEYS),
  songData: places(['S3'], ['SONG_DATA']),
  logData: places(['S3'], ['LOG_DATA']),
  logJsonPath: places(['S3'], ['LOG_JSONPATH', 'LOG_JSON_PATH']),
};

/**
 * The region of the S3 source: `[S3] REGION`, else `S3_REGION` or `BUCKET_REGION` in any section. General
 * region keys (`[AWS] REGION`, `[DEFAULT] REGION`, `DWH_REGION`) say where the cluster is, not the bucket.
 */
export const S3_REGION_KEYS = { section: 'S3', key: 'REGION', anywhere: ['S3_REGION', 'BUCKET_REGION'] } as const;

/** The IaC notebook's name for the cluster, which a bare host is compared with. */
export const CLUSTER_IDENTIFIER: KeyPlace = { section: 'DWH', key: 'DWH_CLUSTER_IDENTIFIER' };

/**
 * Keys the IaC notebook and `sparkify infra` read to create the cluster, not the run: never noted as unused.
 * Add a line here for each key infra reads.
 */
export const INFRA_KEYS: readonly KeyPlace[] = [
  { section: 'DWH', key: 'DWH_CLUSTER_TYPE' },
  { section: 'DWH', key: 'DWH_NUM_NODES' },
  { section: 'DWH', key: 'DWH_NODE_TYPE' },
  { section: 'DWH', key: 'DWH_IAM_ROLE_NAME' },
  { section: 'DWH', key: 'DWH_CLUSTER_IDENTIFIER' },
  { section: 'DWH', key: 'DWH_REGION' },
  { section: 'DWH', key: 'DWH_BASE_CAPACITY' },
  { section: 'DWH', key: 'DWH_SERVERLESS' },
];

/** Key names that look meant for the connection or the data: noted when written where sparkify does not read them. */
export const RUN_LIKE_KEY = /HOST|ENDPOINT|PASSWORD|PASSWD|^USER|_USER|PORT|DB_NAME|DBNAME|DATABASE|ARN|ROLE|SONG|LOG_/i;

/** Sections that hold AWS access keys in copies of the project (`[AWS] KEY`, `SECRET`). */
export const AWS_KEY_SECTIONS = ['AWS', 'CREDENTIALS', 'IAM_USER', 'USER'];

/** Keys that hold AWS credentials, wherever they are; `KEY` and `SECRET` alone only in AWS_KEY_SECTIONS. */
export const AWS_KEY_NAME = /^(aws_)?(access_key(_id)?|secret(_access)?_key|session_token)$/i;
