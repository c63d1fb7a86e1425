/**
 * Redshift COPY manifests and the COPY that reads one: the JSON that lists exact S3 objects
 * (`{"entries":[{"url":...,"mandatory":true,"meta":{"content_length":N}}]}`), where a run puts its staged
 * objects, and the statement, built from settings alone so `sparkify plan` prints what a run sends.
 */
import type { TableSpec } from '../../schema/table-spec.js';
import type { SqlDialect } from '../sql/sql-dialect.js';

/**
 * Compressed bytes at which a staged object is cut (64 MiB): see redshift-staging-writer.ts and README
 * "Redshift staged loading" for why.
 */
export const OBJECT_BYTES = 64 << 20;

/** One object a manifest lists. */
export interface ManifestEntry {
  readonly url: string;
  /** Its size in bytes (COPY needs `content_length` for a manifest it reads with ... MANIFEST). */
  readonly bytes: number;
}

/**
 * The manifest of `entries`: every one mandatory, so COPY fails rather than skip an object that is missing.
 *
 * @example
 * manifestJson([{ url: 's3://b/p/part-0000.csv.gz', bytes: 1234 }])
 * // {"entries":[{"url":"s3://b/p/part-0000.csv.gz","mandatory":true,"meta":{"content_length":1234}}]}
 */
export function manifestJson(entries: readonly ManifestEntry[]): string {
  return JSON.stringify({
    entries: entries.map((entry) => ({ url: entry.url, mandatory: true, meta: { content_length: entry.bytes } })),
  });
}

/** Where one run stages one table: its objects `<prefix><run>/<table>/part-NNNN.csv.gz` and its manifest. */
export interface StagingPaths {
  /** The S3 URL of the folder of the table's objects, ending in `/`. */
  readonly objects: string;
  /** The S3 URL of the manifest. */
  readonly manifest: string;
}

/** The staging paths of `table` for the run tagged `run` under the staging prefix `staging` (ending in `/`). */
export function stagingPaths(staging: string, run: string, table: string): StagingPaths {
  return { objects: `${staging}${run}/${table}/`, manifest: `${staging}${run}/${table}.manifest` };
}

/** The name of object number `index` (from 0) in a table's staging folder. */
export function stagedObjectName(index: number): string {
  return `part-${String(index).padStart(4, '0')}.csv.gz`;
}

/** What the COPY of a staged manifest needs. */
export interface StagedCopyOptions {
  readonly table: TableSpec;
  readonly manifest: string;
  readonly iamRole: string;
  /** The staging bucket's region, when known (COPY otherwise assumes the cluster's). */
  readonly region?: string;
}

/**
 * The COPY of a staged manifest into `table`: gzip-compressed CSV in the table's column order, as
 * `records/staging-csv-writer.ts` writes it (text in double quotes, NULL as an empty unquoted field, which
 * EMPTYASNULL reads as NULL; a quoted "" stays an empty string). MAXERROR 0: sparkify has checked every row
 * already, so a row COPY refuses is a disagreement to stop at, not a reject to count.
 */
export function stagedCopySql(options: StagedCopyOptions, dialect: SqlDialect): string {
  const columns = options.table.columns.map((column) => dialect.quote(column.name)).join(', ');
  return [
    `COPY ${dialect.quote(options.table.name)} (${columns})`,
    `FROM ${literal(options.manifest)}`,
    `IAM_ROLE ${literal(options.iamRole)}`,
    ...(options.region ? [`REGION ${literal(options.region)}`] : []),
    'MANIFEST',
    'FORMAT AS CSV',
    'GZIP',
    'EMPTYASNULL',
    "TIMEFORMAT 'auto'",
    'MAXERROR 0',
  ].join('\n');
}

function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
