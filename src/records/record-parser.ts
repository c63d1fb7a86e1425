/**
 * Turns raw record text into a staging row, or a reject that says exactly what was wrong.
 */
import { convertField, type FieldSpec } from './field-spec.js';
import { memberValueText } from './json-member-text.js';
import type { ParsedRecord, RawRecord, StagingRow } from './record-types.js';
import { invalidUtf8Error } from './utf8-text.js';

/**
 * Parses `record` as a JSON object and converts each field of `fields` into its column; appends the
 * record's origin (file, line) as the last two values. Keys not named in `fields` are ignored.
 */
export function parseRecord(record: RawRecord, fields: readonly FieldSpec[]): ParsedRecord {
  if (record.structuralError) return reject(record, record.structuralError);
  // Bytes that were not UTF-8 were decoded to lone surrogates (see utf8-text.ts): reject, never replace them.
  const notUtf8 = invalidUtf8Error(record.text);
  if (notUtf8) return reject(record, notUtf8);
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
    const value = object[field.key];
    // A number's text as written is looked up only when needed: kept by a text field (text fields rarely
    // hold numbers), or quoted in an error about a number JSON.parse made infinite (1e400).
    const asText = field.kind === 'text' || field.kind === 'required-text';
    const written =
      typeof value === 'number' && (asText || !Number.isFinite(value)) ? () => memberValueText(record.text, field.key) : undefined;
    const converted = convertField(field.kind, value, written, field.maxBytes);
    if ('error' in converted) return reject(record, `field "${field.key}": ${converted.error}`);
    row[i] = converted.value;
  }
  row[fields.length] = record.file;
  row[fields.length + 1] = record.line;
  return { row };
}

function reject(record: RawRecord, error: string): ParsedRecord {
  // The error may quote the text (JSON.parse's messages do), so it is made storable too.
  return { reject: { file: record.file, line: record.line, raw: storable(record.text), error: storable(error) } };
}

/**
 * Text as every warehouse can store it, so load_errors is the same on all of them: a byte that was
 * not UTF-8 (or half a character cut off) shows as U+FFFD, the error naming the byte and where it was; a
 * NUL, which PostgreSQL and Redshift text cannot hold, shows as the six characters `\u0000` (in a JSON
 * record the escape denotes that very character).
 */
function storable(text: string): string {
  const native = text as unknown as { isWellFormed(): boolean; toWellFormed(): string };
  const wellFormed = native.isWellFormed() ? text : native.toWellFormed();
  return wellFormed.includes('\0') ? wellFormed.replaceAll('\0', '\\u0000') : wellFormed;
}
