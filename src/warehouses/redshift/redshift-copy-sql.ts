/**
 * The SQL of Redshift's staging step: one COPY from S3 per dataset, then reading back which files it loaded
 * and which records it rejected. Everything is built from settings alone, with no connection, so that
 * `sparkify plan` prints exactly what a run sends; the warehouse runs these same strings.
 *
 * The statements of one dataset must run on one session, in order: `pg_last_copy_id()` names the latest
 * COPY of the session that calls it.
 */
import { ConfigError } from '../../errors.js';
import type { StagingRow } from '../../records/record-types.js';
import { LOAD_ERRORS, ORIGIN_COLUMNS } from '../../schema/staging-tables.js';
import type { TableSpec } from '../../schema/table-spec.js';
import type { SqlDialect } from '../sql/sql-dialect.js';
import type { StagingDataset, StorageSettings } from '../warehouse.js';
import type { ServerTarget } from '../postgres/postgres-target.js';
import type { DataApiTarget } from '../redshift-data/data-api-target.js';

/** Which system views hold a deployment's load history: STL tables on clusters, SYS views on Serverless. */
export type RedshiftDeployment = 'provisioned' | 'serverless';

/** The statements that stage one dataset, in the order they run. */
export interface RedshiftStagingSql {
  /** The s3:// prefix COPY reads, always ending in `/`. */
  readonly source: string;
  /** The IAM role COPY assumes (an ARN: not a secret, printed in messages). */
  readonly iamRole: string;
  readonly copy: string;
  /** One row with `files`: how many objects the COPY loaded. */
  readonly countFiles: string;
  /** The COPY's rejected records: source_file, line_number, raw_record, column_name, reason. */
  readonly readErrors: string;
}

/** One row of `readErrors`. */
export interface LoadErrorReadback {
  readonly source_file: string | null;
  readonly line_number: number | string | null;
  readonly raw_record: string | null;
  readonly column_name: string | null;
  readonly reason: string | null;
}

// MAXERROR is capped at 100,000 by Redshift.
const MAXERROR_LIMIT = 100_000;

const SERVERLESS_HOST = /\.redshift-serverless\.amazonaws\.com(\.cn)?$/i;

// Where each dataset's files are, and the JSONPaths file that maps its keys when they are not column names.
const LOCATIONS: Readonly<
  Record<StagingDataset['name'], { readonly files: (settings: StorageSettings) => string; readonly setting: string }>
> = {
  songs: { files: (settings) => settings.songData, setting: 'the song data ([S3] SONG_DATA, --song-data or --source)' },
  events: { files: (settings) => settings.logData, setting: 'the log data ([S3] LOG_DATA, --log-data or --source)' },
};

/** The deployment behind `host`. */
function redshiftDeployment(host: string): RedshiftDeployment {
  return SERVERLESS_HOST.test(host) ? 'serverless' : 'provisioned';
}

/** The host of a Redshift target's URL. */
function redshiftHost(settings: StorageSettings): string {
  const warehouse = settings.warehouse as ServerTarget;
  if (warehouse.kind !== 'redshift' || !warehouse.url)
    throw new ConfigError('Not a Redshift warehouse: expected redshift://user:password@host:5439/db');
  return new URL(warehouse.url).hostname;
}

/**
 * Where the warehouse of `settings` runs: cluster or Serverless, and its region when known. Over a
 * connection the deployment comes from the endpoint; over the Data API both come from the URL (`workgroup/...`,
 * `?region=`). The region is the warehouse's, for the Data API's client; COPY's REGION is the bucket's (copyRegion).
 */
export function redshiftPlacement(settings: StorageSettings): { deployment: RedshiftDeployment; region?: string } {
  if (settings.warehouse.kind === 'redshift-data') {
    const warehouse = settings.warehouse as DataApiTarget;
    return { deployment: warehouse.workgroup ? 'serverless' : 'provisioned', ...(warehouse.region ? { region: warehouse.region } : {}) };
  }
  return { deployment: redshiftDeployment(redshiftHost(settings)) };
}

/**
 * The region COPY names for the bucket: the S3 source's region, configured or found by withSourceRegion
 * (sources/s3/bucket-region.ts), never the cluster's own, since udacity-dend is in us-west-2 wherever the
 * cluster is. Undefined when it is not known; COPY then assumes the bucket is in the cluster's region.
 */
export function copyRegion(settings: StorageSettings): string | undefined {
  return settings.s3.region;
}

/** Where the COPY's region came from, or why there is none, for the plan. */
export function copyRegionOrigin(settings: StorageSettings): string {
  const region = copyRegion(settings);
  return region
    ? `REGION '${region}' is ${settings.s3.regionOrigin ?? 'configured'}.`
    : "No REGION: the bucket's region is not set ([S3] REGION, --region) and S3 did not say it, so COPY assumes the bucket is in the cluster's region.";
}

/**
 * The staging statements of `spec` for the Redshift warehouse of `settings`. Throws a ConfigError when the
 * settings cannot work with COPY: no IAM role, or data that is not on S3.
 */
export function redshiftStagingSql(spec: StagingDataset, settings: StorageSettings, dialect: SqlDialect): RedshiftStagingSql {
  const iamRole = settings.iamRole;
  if (!iamRole) {
    throw new ConfigError(
      "Redshift stages the data with COPY from S3, which needs an IAM role the cluster may assume: set ARN in dwh.cfg's [IAM_ROLE] section or SPARKIFY_IAM_ROLE",
    );
  }
  const location = LOCATIONS[spec.name];
  const source = asPrefix(s3Location(location.files(settings), location.setting, settings));
  const region = copyRegion(settings);
  const clauses = [
    `COPY ${dialect.quote(spec.table.name)} (${copyColumns(spec.table)
      .map((name) => dialect.quote(name))
      .join(', ')})`,
    `FROM ${literal(source)}`,
    `IAM_ROLE ${literal(iamRole)}`,
    ...(region ? [`REGION ${literal(region)}`] : []),
    `FORMAT AS JSON ${jsonFormat(spec, settings, source)}`,
    // No ACCEPTINVCHARS: without it COPY rejects a record whose bytes are not valid UTF-8 (with it, it would
    // replace them), as the streamed loads do. Numbers in VARCHAR columns load as their text, and strings
    // holding numbers convert to numeric columns: the streamed loads' record checks do the same.
    // MAXERROR n fails the COPY at n errors. One more than --max-errors lets a COPY finish with exactly the
    // allowed number; the run then checks the total of both COPYs against --max-errors itself.
    `MAXERROR ${Math.min(settings.maxErrors + 1, MAXERROR_LIMIT)}`,
  ];
  const { deployment } = redshiftPlacement(settings);
  return { source, iamRole, copy: clauses.join('\n'), countFiles: COUNT_FILES[deployment], readErrors: READ_ERRORS[deployment] };
}

/** The columns COPY fills: all but the origin columns, which COPY cannot know (see RedshiftDialect). */
function copyColumns(table: TableSpec): string[] {
  const origin = new Set(ORIGIN_COLUMNS.map((column) => column.name));
  return table.columns.map((column) => column.name).filter((name) => !origin.has(name));
}

/** A parameterised INSERT of `rows` load_errors rows ($1, $2, ... in the table's column order). */
export function insertLoadErrorsSql(rows: number, dialect: SqlDialect): string {
  const width = LOAD_ERRORS.columns.length;
  const values = Array.from(
    { length: rows },
    (_, row) => `(${LOAD_ERRORS.columns.map((_, column) => `$${row * width + column + 1}`).join(', ')})`,
  );
  const columns = LOAD_ERRORS.columns.map((column) => dialect.quote(column.name)).join(', ');
  return `INSERT INTO ${dialect.quote(LOAD_ERRORS.name)} (${columns})\nVALUES ${values.join(',\n       ')}`;
}

/**
 * A load_errors row from one rejected record read back: the file and line Redshift reports, its raw text
 * (clusters only: Serverless keeps none), and the reason prefixed with the column it concerns.
 */
export function loadErrorRow(readback: LoadErrorReadback, dataset: StagingDataset['name']): StagingRow {
  const reason = readback.reason?.trim() || 'rejected by COPY';
  const column = readback.column_name?.trim();
  return [
    readback.source_file?.trim() || '(unknown file)',
    readback.line_number === null ? null : Number(readback.line_number),
    readback.raw_record?.trim() || null,
    column ? `${column}: ${reason}` : reason,
    dataset,
  ];
}

// The system views, per deployment. STL_LOAD_ERRORS keeps the raw line (up to 1,024 characters, with
// multibyte characters shown as dots); SYS_LOAD_ERROR_DETAIL, the only one on Serverless, keeps none.
const COUNT_FILES: Readonly<Record<RedshiftDeployment, string>> = {
  provisioned: 'SELECT COUNT(DISTINCT filename) AS files\nFROM stl_load_commits\nWHERE query = pg_last_copy_id()',
  serverless: 'SELECT COUNT(DISTINCT file_name) AS files\nFROM sys_load_detail\nWHERE query_id = pg_last_copy_id()',
};

const READ_ERRORS: Readonly<Record<RedshiftDeployment, string>> = {
  provisioned: `SELECT TRIM(filename) AS source_file, line_number, TRIM(raw_line) AS raw_record,
       TRIM(colname) AS column_name, TRIM(err_reason) AS reason
FROM stl_load_errors
WHERE query = pg_last_copy_id()
ORDER BY source_file, line_number`,
  serverless: `SELECT TRIM(file_name) AS source_file, line_number, CAST(NULL AS VARCHAR) AS raw_record,
       TRIM(column_name) AS column_name, TRIM(error_message) AS reason
FROM sys_load_error_detail
WHERE query_id = pg_last_copy_id()
ORDER BY source_file, line_number`,
};

function jsonFormat(spec: StagingDataset, settings: StorageSettings, source: string): string {
  // Song keys are the column names already (num_songs, artist_id, ...): COPY matches them itself.
  if (spec.fields.every((field) => field.key === field.column)) return "'auto'";
  // Log keys are camelCase (firstName, userId): the JSONPaths file maps them, in column order.
  const jsonPaths = s3Location(settings.logJsonPath, 'the JSONPaths file ([S3] LOG_JSONPATH or --log-jsonpath)', settings);
  if (jsonPaths.startsWith(source)) {
    // COPY would read the JSONPaths file as one more data file and reject it.
    throw new ConfigError(`The JSONPaths file ${jsonPaths} lies under the data it describes (${source}): move it out of that prefix`);
  }
  return literal(jsonPaths);
}

function s3Location(location: string, what: string, settings: StorageSettings): string {
  if (!/^s3:\/\/[^/]+/i.test(location)) {
    const sample = settings.bundledSample ? ', the sample bundled with sparkify' : '';
    throw new ConfigError(
      `Redshift's COPY reads only from S3, but ${what} is ${location}${sample}: give s3:// locations, as in SONG_DATA='s3://udacity-dend/song_data'`,
    );
  }
  if (/['\\]/.test(location)) throw new ConfigError(`${what}: ${location} contains a quote or backslash, which COPY cannot take`);
  return location;
}

// A folder, as the streamed loads read it: s3://bucket/song_data would also match song_data_old/. A single
// .json object is left as it is.
function asPrefix(location: string): string {
  return location.endsWith('/') || /\.json$/i.test(location) ? location : `${location}/`;
}

function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
