/**
 * What `sparkify plan` shows of Redshift's staged loading: per dataset, what sparkify does itself (read,
 * check, compress, upload, write the manifest), then the COPY ... MANIFEST into the batch table; then the
 * same for the rejects and the file ledger. Built from the settings alone: the run's folder under the
 * staging prefix gets its name when the run starts, so the plan shows `<run>` in its place.
 */
import { ConfigError } from '../../errors.js';
import { BATCH_ERRORS, BATCH_EVENTS, BATCH_FILES, BATCH_SONGS } from '../../schema/ledger-tables.js';
import type { TableSpec } from '../../schema/table-spec.js';
import type { SqlDialect } from '../sql/sql-dialect.js';
import type { PlannedStagingStep } from '../warehouse-descriptor.js';
import type { StagingDataset, StorageSettings } from '../warehouse.js';
import { stagedCopySql, stagingPaths } from './redshift-manifest.js';
import { OBJECT_BYTES } from './redshift-manifest.js';

const BATCH_OF: Readonly<Record<StagingDataset['name'], TableSpec>> = { songs: BATCH_SONGS, events: BATCH_EVENTS };

/** The staged steps of `datasets` (songs, then events), then those of the rejects and the ledger. */
export function plannedStagedSteps(
  settings: StorageSettings,
  datasets: readonly StagingDataset[],
  dialect: SqlDialect,
): PlannedStagingStep[] {
  const staging = settings.storageLoad?.staging;
  const iamRole = settings.iamRole;
  if (!staging) throw new ConfigError('Staged loading needs an S3 staging location: give --s3-staging s3://bucket/prefix/');
  if (!iamRole) {
    throw new ConfigError(
      "Redshift's COPY reads the staged objects as an IAM role the cluster may assume: set ARN in dwh.cfg's [IAM_ROLE] section or SPARKIFY_IAM_ROLE",
    );
  }
  const copy = (table: TableSpec, dataset: StagingDataset['name'], comment: string): PlannedStagingStep => {
    const paths = stagingPaths(staging, '<run>', table.name);
    return {
      dataset,
      sql: stagedCopySql({ table, manifest: paths.manifest, iamRole }, dialect),
      comment:
        `${comment}\nObjects: ${paths.objects}part-0000.csv.gz, ... (gzip CSV, cut at ${OBJECT_BYTES >> 20} MiB compressed); manifest: ${paths.manifest}.\n` +
        "COPY names the staging bucket's own region (REGION '...'), asked of S3 when the run starts. " +
        (settings.storageLoad?.keep
          ? 'The objects stay after the COPY (--keep-staging).'
          : 'The objects and the manifest are deleted after a successful COPY.'),
    };
  };
  const where = (dataset: StagingDataset['name']) => (dataset === 'songs' ? settings.songData : settings.logData);
  const last = datasets.at(-1)?.name ?? 'events';
  return [
    ...datasets.map((dataset) =>
      copy(
        BATCH_OF[dataset.name],
        dataset.name,
        `sparkify reads the new and changed files of ${where(dataset.name)} itself, checks every record (rejects go to load_errors ` +
          'with file, line and the whole raw text), and uploads the valid rows to the staging location. No rows: no upload, no COPY.',
      ),
    ),
    copy(BATCH_ERRORS, last, "The run's rejected records, the same way (only when there are any; raw text kept up to 65,535 bytes)."),
    copy(BATCH_FILES, last, 'The ledger rows of the files read (location, size, change token, records), the same way.'),
  ];
}
