/**
 * Stages one dataset on Redshift: COPY from S3 (the cluster reads the files itself, in parallel across its
 * slices), then the files it loaded and the records it rejected are read back, and the rejects are written
 * to load_errors. All on one session, because pg_last_copy_id() names that session's latest COPY.
 */
import { TooManyRejectsError, WarehouseError } from '../../errors.js';
import type { StagingRow } from '../../records/record-types.js';
import type { SqlDialect } from '../sql/sql-dialect.js';
import type { StagingDataset, StorageSettings, StorageStageResult } from '../warehouse.js';
import type { ServerAddress } from '../postgres/postgres-errors.js';
import { copyRegion, insertLoadErrorsSql, loadErrorRow, redshiftStagingSql, type LoadErrorReadback } from './redshift-copy-sql.js';
import { copyError, isLoadDataFailure } from './redshift-errors.js';

/** One connection to run the staging step on; `values` bind $1, $2, ... */
export interface CopySession {
  query(sql: string, values?: readonly unknown[]): Promise<Record<string, unknown>[]>;
}

/** Where the staging step runs, for its messages. */
export interface CopyTarget {
  readonly dialect: SqlDialect;
  readonly server: ServerAddress;
  /** The warehouse, as printed (no password). */
  readonly description: string;
}

// Rows per INSERT into load_errors: 500 x 5 parameters stays far below the protocol's 65,535.
const INSERT_BATCH = 500;

/**
 * Runs the staging step of `spec` on `session`. A COPY that stops because its data had more rejects than
 * --max-errors allows still has them read back into load_errors, then throws TooManyRejectsError; a COPY
 * that fails for any other reason throws a WarehouseError saying what to fix.
 */
export async function stageWithCopy(
  session: CopySession,
  spec: StagingDataset,
  settings: StorageSettings,
  target: CopyTarget,
): Promise<StorageStageResult> {
  const sql = redshiftStagingSql(spec, settings, target.dialect);
  try {
    await session.query(sql.copy);
  } catch (error) {
    if (!isLoadDataFailure(error)) {
      throw copyError(
        error,
        { table: spec.table.name, source: sql.source, iamRole: sql.iamRole, region: copyRegion(settings) },
        target.server,
      );
    }
    const rejects = await readRejects(session, sql.readErrors, spec);
    await insertRejects(session, rejects, target.dialect);
    if (rejects.length > settings.maxErrors) {
      throw new TooManyRejectsError(rejects.length, settings.maxErrors, rejectsWhere(rejects, target.description));
    }
    // Only when --max-errors is beyond Redshift's MAXERROR limit of 100,000.
    throw new WarehouseError(
      `COPY into ${spec.table.name} stopped at Redshift's limit of 100,000 rejected records (${rejects.length} read back); ` +
        `see ${rejectsWhere(rejects, target.description)}`,
      { cause: error },
    );
  }
  const [counted] = await session.query(sql.countFiles);
  const rejects = await readRejects(session, sql.readErrors, spec);
  await insertRejects(session, rejects, target.dialect);
  return { files: Number(counted?.files ?? 0), bytes: 0, rejected: rejects.length };
}

async function readRejects(session: CopySession, readErrors: string, spec: StagingDataset): Promise<StagingRow[]> {
  const rows = (await session.query(readErrors)) as unknown as LoadErrorReadback[];
  return rows.map((row) => loadErrorRow(row, spec.name));
}

async function insertRejects(session: CopySession, rejects: readonly StagingRow[], dialect: SqlDialect): Promise<void> {
  for (let start = 0; start < rejects.length; start += INSERT_BATCH) {
    const batch = rejects.slice(start, start + INSERT_BATCH);
    await session.query(insertLoadErrorsSql(batch.length, dialect), batch.flat());
  }
}

// Where to look, with the first reject so the message already says what kind of damage stopped the COPY.
function rejectsWhere(rejects: readonly StagingRow[], description: string): string {
  const first = rejects[0];
  const example = first ? `; the first: ${String(first[0])} line ${String(first[1] ?? '?')}: ${String(first[3])}` : '';
  return `the load_errors table in ${description}${example}`;
}
