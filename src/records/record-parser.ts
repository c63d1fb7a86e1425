/**
 * Turns raw record text into a staging row, or a reject that says exactly what was wrong.
 */
import { convertField, type FieldSpec } from './field-spec.js';
import type { ParsedRecord, RawRecord, StagingRow } from './record-types.js';

/**
 * Parses `record` as a JSON object and converts each field of `fields` into its column; appends the
 * record's origin (file, line) as the last two values. Keys not named in `fields` are ignored.
 */
export function parseRecord(record: RawRecord, fields: readonly FieldSpec[]): ParsedRecord {
  if (record.structuralError) return reject(record, record.structuralError);
  let parsed: unknown;
  try {
    parsed = JSON.parse(record.text);
  } catch (error) {
    return reject(record, `invalid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return reject(record, 'expected a JSON object');
  }
  const object = parsed as Record<string, unknown>;
  const row: StagingRow = new Array(fields.length + 2);
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    const converted = convertField(field.kind, object[field.key]);
    if ('error' in converted) return reject(record, `field "${field.key}": ${converted.error}`);
    row[i] = converted.value;
  }
  row[fields.length] = record.file;
  row[fields.length + 1] = record.line;
  return { row };
}

function reject(record: RawRecord, error: string): ParsedRecord {
  return { reject: { file: record.file, line: record.line, raw: record.text, error } };
}
