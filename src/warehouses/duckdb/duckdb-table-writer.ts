/**
 * Bulk writes into a DuckDB table through its Appender, the fastest way in from JavaScript.
 */
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import type { StagingRow, StagingValue } from '../../records/record-types.js';
import type { LogicalType, TableSpec } from '../../schema/table-spec.js';
import type { TableWriter } from '../warehouse.js';

type Append = (appender: DuckDBAppender, value: NonNullable<StagingValue>) => void;

const APPENDERS: Record<LogicalType, Append> = {
  text: (appender, value) => appender.appendVarchar(value as string),
  integer: (appender, value) => appender.appendInteger(value as number),
  bigint: (appender, value) => appender.appendBigInt(BigInt(value)),
  double: (appender, value) => appender.appendDouble(value as number),
  timestamp: (appender, value) => appender.appendBigInt(BigInt(value)),
  boolean: (appender, value) => appender.appendBoolean(value === 1 || value === 'true'),
};

/** Opens an Appender on `table`; rows must be in the table's column order. */
export async function openDuckDbTableWriter(connection: DuckDBConnection, table: TableSpec): Promise<TableWriter> {
  const appender = await connection.createAppender(table.name);
  const appends = table.columns.map((column) => APPENDERS[column.type]);
  let count = 0;
  let open = true;
  return {
    kind: 'rows',
    async write(rows) {
      for (const row of rows) appendRow(appender, appends, row);
      count += rows.length;
    },
    async finish() {
      if (open) {
        open = false;
        appender.closeSync();
      }
      return count;
    },
    async abort() {
      if (!open) return;
      open = false;
      appender.clear();
      appender.closeSync();
    },
  };
}

function appendRow(appender: DuckDBAppender, appends: readonly Append[], row: StagingRow): void {
  for (let i = 0; i < appends.length; i++) {
    const value = row[i];
    if (value === null || value === undefined) appender.appendNull();
    else appends[i]!(appender, value);
  }
  appender.endRow();
}
