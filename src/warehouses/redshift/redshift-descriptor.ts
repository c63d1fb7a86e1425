/**
 * The Amazon Redshift warehouse, as the registry knows it: `redshift://user:password@host:5439/db`; takes
 * `--schema`, the IAM role its COPY assumes, the region of the bucket and the logs' JSONPaths file. Its
 * staging is the cluster's own COPY from S3, planned here from the settings alone.
 */
import { LOAD_ERRORS } from '../../schema/staging-tables.js';
import type { PlannedStagingStep, WarehouseDescriptor, WarehousePlanner } from '../warehouse-descriptor.js';
import { describeServerTarget, parseServerTarget, serverTargetSecrets, type ServerTarget } from '../postgres/postgres-target.js';

/** The Redshift descriptor; see the module comment. */
export const redshiftWarehouse: WarehouseDescriptor<ServerTarget> = {
  kind: 'redshift',
  title: 'Redshift',
  schemes: ['redshift'],
  example: 'redshift://...',
  settings: ['schema', 'iamRole', 'region', 'logJsonPath', 's3Staging', 'redshiftLoad', 'keepStaging'],
  parse: (value, origin) => parseServerTarget(value, origin, 'redshift'),
  describe: describeServerTarget,
  secrets: serverTargetSecrets,
  async open(target, options) {
    const { openRedshiftWarehouse } = await import('./redshift-warehouse.js');
    return openRedshiftWarehouse(target, options);
  },
  planner: redshiftPlanner,
};

/** Redshift's dialect and COPY staging, planned from the settings alone (the Data API warehouse shares it). */
export async function redshiftPlanner(): Promise<WarehousePlanner> {
  const [{ RedshiftDialect }, { copyRegionOrigin, insertLoadErrorsSql, redshiftStagingSql }, { plannedStagedSteps }] = await Promise.all([
    import('./redshift-dialect.js'),
    import('./redshift-copy-sql.js'),
    import('./redshift-staged-plan.js'),
  ]);
  const dialect = new RedshiftDialect();
  return {
    dialect,
    storage: true,
    stagedLoading: true,
    staging: (settings, datasets) =>
      settings.storageLoad?.mode === 'staged'
        ? plannedStagedSteps(settings, datasets, dialect)
        : datasets.flatMap((dataset): PlannedStagingStep[] => {
            const sql = redshiftStagingSql(dataset, settings, dialect);
            return [
              {
                dataset: dataset.name,
                sql: sql.copy,
                comment:
                  `The cluster reads every object under ${sql.source} itself, in parallel across its slices, as IAM role ${sql.iamRole}.\n` +
                  copyRegionOrigin(settings),
              },
              { dataset: dataset.name, sql: sql.countFiles, comment: 'How many files that COPY loaded, for the summary.' },
              {
                dataset: dataset.name,
                sql: sql.readErrors,
                comment: 'The records that COPY rejected, read back (the count is the run summary\'s "rejected").',
              },
              {
                dataset: dataset.name,
                sql: insertLoadErrorsSql(1, dialect),
                comment: `Only when there were rejects: they go into ${LOAD_ERRORS.name}, many rows per INSERT.`,
              },
            ];
          }),
  };
}
