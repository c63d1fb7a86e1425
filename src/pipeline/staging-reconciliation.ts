/**
 * The last check of a staging step: every record read was either staged or rejected, and the warehouse holds
 * exactly the rows staged. The record checks make this true by construction, so a mismatch means records
 * were lost or invented by sparkify itself; the run stops there, before publishing, and says so.
 */
import { SparkifyError } from '../errors.js';

/** What one dataset's staging counted, and what the warehouse's staging table holds. */
export interface StagingTally {
  readonly dataset: string;
  readonly location: string;
  readonly read: number;
  /** Rows the stager counted as staged. */
  readonly staged: number;
  /** Rows the warehouse's staging table holds. */
  readonly stagedInWarehouse: number;
  readonly rejected: number;
}

/** Throws a SparkifyError (exit 1) naming the counts when read != staged + rejected. */
export function assertReconciled(tally: StagingTally): void {
  const { dataset, location, read, staged, stagedInWarehouse, rejected } = tally;
  if (read === stagedInWarehouse + rejected && staged === stagedInWarehouse) return;
  throw new SparkifyError(
    `Staging ${dataset} from ${location} does not add up: read ${read} record(s), staged ${staged} ` +
      `(${stagedInWarehouse} in the warehouse), rejected ${rejected}. This is a bug in sparkify, please report it; ` +
      'nothing was published.',
  );
}
