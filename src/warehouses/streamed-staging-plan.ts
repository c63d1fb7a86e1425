/**
 * The staging step of a warehouse that sparkify feeds itself (intake `rows`, `parquet-files` or
 * `csv-chunks`), as `sparkify plan` shows it: the bulk-load statements it opens, if any, and comments saying
 * how the records get there. Shared by the descriptors of such warehouses.
 */
import { BATCH_ERRORS, batchTable } from '../schema/ledger-tables.js';
import type { TableSpec } from '../schema/table-spec.js';
import type { PlannedStagingStep } from './warehouse-descriptor.js';
import type { StagingDataset, StorageSettings } from './warehouse.js';

/** How a warehouse that sparkify feeds takes rows, for the plan. */
export interface StreamedLoad {
  /** The statement that starts a bulk load into `table` (COPY FROM STDIN), when there is one. */
  readonly load: (table: TableSpec) => string | undefined;
  /** How rejects are written: "DuckDB's Appender". */
  readonly errors: string;
  /** How good rows reach `table`: "as CSV through this COPY into staging_events". */
  readonly rows: (table: TableSpec) => string;
}

/** The staging steps of `datasets` on a warehouse that loads as `how` says. */
export function streamedStaging(settings: StorageSettings, datasets: readonly StagingDataset[], how: StreamedLoad): PlannedStagingStep[] {
  const locations: Record<StagingDataset['name'], string> = { songs: settings.songData, events: settings.logData };
  // A run's records go to the batch tables, which its publish moves into staging (star-publisher.ts).
  const errors = how.load(BATCH_ERRORS);
  const steps: PlannedStagingStep[] = [
    {
      dataset: datasets[0]?.name ?? 'songs',
      ...(errors === undefined ? {} : { sql: errors }),
      comment: `Rejected records of both datasets are written to ${BATCH_ERRORS.name} through ${how.errors} while the two loads run.`,
    },
  ];
  for (const dataset of datasets) {
    const table = batchTable(dataset.table);
    const sql = how.load(table);
    steps.push({
      dataset: dataset.name,
      ...(sql === undefined ? {} : { sql }),
      comment:
        `sparkify reads the ${dataset.name === 'songs' ? 'song' : 'log'} files under ${locations[dataset.name]} (in worker ` +
        `threads on every core), checks each record and writes the good ones ${how.rows(table)}.`,
    });
  }
  return steps;
}
