/**
 * The shape of one star table's build: its table, columns and SELECT, scoped or whole. Apart from
 * star-transform-sql.ts so that builds written in their own files (user-levels-sql.ts) import no cycle.
 */
import type { TableSpec } from '../../schema/table-spec.js';

/** One star table and the SELECT that produces its rows from staging (and, for time, from songplays). */
export interface StarTableBuild {
  readonly table: TableSpec;
  readonly columns: readonly string[];
  /**
   * The SELECT of the rows; with `scope`, a condition on the build's source rows (staging columns, events
   * aliased `e.` for songplays) that limits it to some keys. Every row of a key in scope comes out whole.
   * With `source`, the build reads that relation (a table name or a parenthesised SELECT with the staging
   * table's columns) instead of its staging table: an incremental publish hands it the few rows in scope
   * rather than a condition a join over all of staging must test.
   */
  select(scope?: string, source?: string): string;
}
