/**
 * Rows from the Data API's GetStatementResult: each field is a tagged value (`longValue`, `stringValue`,
 * `isNull`, ...) and each column has a Redshift type name. They become the same JavaScript values a
 * connection gives (postgres-connection.ts): UTC Dates for timestamps, numbers for numerics, numbers (or
 * bigints when too large) for BIGINT, so `sparkify query` and the summary read alike either way.
 */
import type { ColumnMetadata, Field } from '@aws-sdk/client-redshift-data';
import type { QueryTable } from '../warehouse.js';

/** One page of results as columns and rows of values, duplicate column names kept. */
export function resultTable(columns: readonly ColumnMetadata[], records: readonly Field[][]): QueryTable {
  const types = columns.map((column) => (column.typeName ?? '').toLowerCase());
  return {
    columns: columns.map((column, index) => column.label ?? column.name ?? `column${index + 1}`),
    rows: records.map((record) => record.map((field, index) => fieldValue(field, types[index] ?? ''))),
  };
}

function fieldValue(field: Field, type: string): unknown {
  if (field.isNull) return null;
  if (field.booleanValue !== undefined) return field.booleanValue;
  if (field.longValue !== undefined) return field.longValue;
  if (field.doubleValue !== undefined) return field.doubleValue;
  if (field.blobValue !== undefined) return field.blobValue;
  const text = field.stringValue;
  if (text === undefined) return null;
  if (type === 'timestamp' || type === 'timestamp without time zone') return utcTimestamp(text);
  if (type === 'date') return utcTimestamp(`${text} 00:00:00`);
  if (type === 'numeric' || type === 'decimal') return text === 'NaN' ? Number.NaN : Number(text);
  if (type === 'int8' || type === 'bigint') {
    const value = Number(text);
    return Number.isSafeInteger(value) ? value : BigInt(text);
  }
  return text;
}

// '2018-11-21 21:56:47.796' as a UTC Date, milliseconds taken from the text; anything else stays text.
function utcTimestamp(text: string): Date | string {
  const match = /^(\d{4,})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(\.\d+)?$/.exec(text);
  if (!match) return text;
  const [, year, month, day, hour, minute, second, fraction] = match;
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  date.setUTCHours(Number(hour), Number(minute), Number(second), fraction ? Number(fraction.slice(1, 4).padEnd(3, '0')) : 0);
  return date;
}
