/**
 * A warehouse-neutral description of a table. Each dialect turns it into its own DDL, so the schema is
 * written once.
 */

/** Column types in warehouse-neutral terms; dialects map them to their own names. */
export type LogicalType = 'text' | 'integer' | 'bigint' | 'double' | 'timestamp' | 'boolean';

/** One column of a table. */
export interface ColumnSpec {
  readonly name: string;
  readonly type: LogicalType;
  /** For `text`: the widest value expected, so warehouses with sized VARCHARs (Redshift) can size it. */
  readonly maxLength?: number;
  readonly notNull?: boolean;
}

/**
 * What a table is for; dialects use it for physical design (distribution and sort keys, for example). A
 * `batch` table holds what one run loads before it is published (scratch space); a `ledger` table records
 * the files and runs.
 */
export type TableRole = 'staging' | 'batch' | 'errors' | 'fact' | 'dimension' | 'ledger';

/** A table of the product's schema. */
export interface TableSpec {
  readonly name: string;
  readonly role: TableRole;
  readonly columns: readonly ColumnSpec[];
  readonly primaryKey?: readonly string[];
  /** The column that joins the fact table to its largest dimension and orders it (Redshift DISTKEY/SORTKEY). */
  readonly distributionKey?: string;
  readonly sortKey?: readonly string[];
  /** Millions of rows arrive at once (a run's staged records): writers take their bulk path. */
  readonly bulk?: boolean;
  /**
   * Holds damaged input as it was read (a rejected record's raw text), so text may carry NUL: writers that
   * cannot store it write the `\u0000` escape instead of refusing the row. Batch twins keep it.
   */
  readonly escapesNul?: boolean;
}

/** The names of `table`'s columns, in order. */
export function columnNames(table: TableSpec): string[] {
  return table.columns.map((column) => column.name);
}
