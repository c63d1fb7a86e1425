/**
 * Field specs: which JSON key feeds which staging column, and what the value must look like. The readers
 * check every record against these so that a value that does not fit its column is quarantined with a
 * reason instead of failing the whole load (or being silently coerced).
 */
import type { StagingValue } from './record-types.js';

/** How a JSON value is checked and converted for its column. */
export type FieldKind =
  | 'text' // a JSON string or null
  | 'required-text' // a non-empty JSON string
  | 'integer' // a JSON number with no fraction, or null
  | 'epoch-ms' // whole epoch milliseconds as a JSON number (written as 1540919166796 or 1540919166796.0), or null
  | 'required-epoch-ms' // as epoch-ms, never null
  | 'double' // any JSON number, or null
  | 'user-id'; // a string of digits (or "" for a logged-out visitor, stored as null), or a whole number

/** One JSON key and the staging column it lands in. */
export interface FieldSpec {
  readonly key: string;
  readonly column: string;
  readonly kind: FieldKind;
}

const INT32_MAX = 2_147_483_647;
// PostgreSQL and Redshift cannot store U+0000 in text; rejecting it everywhere keeps every warehouse alike.
const NUL_ERROR = 'text contains the NUL character (\\u0000), which warehouses cannot store';

/** Converts `value` for a field of `kind`, or returns an error text saying what was expected. */
export function convertField(kind: FieldKind, value: unknown): { value: StagingValue } | { error: string } {
  switch (kind) {
    case 'text':
      if (value === null || value === undefined) return { value: null };
      if (typeof value !== 'string') return { error: `expected a string or null, got ${describe(value)}` };
      return value.includes('\u0000') ? { error: NUL_ERROR } : { value };
    case 'required-text':
      if (typeof value !== 'string' || value === '') return { error: `expected a non-empty string, got ${describe(value)}` };
      return value.includes('\u0000') ? { error: NUL_ERROR } : { value };
    case 'integer':
      if (value === null || value === undefined) return { value: null };
      return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= INT32_MAX
        ? { value }
        : { error: `expected a whole number, got ${describe(value)}` };
    case 'epoch-ms':
    case 'required-epoch-ms':
      if (value === null || value === undefined) {
        return kind === 'epoch-ms' ? { value: null } : { error: 'expected epoch milliseconds, got null' };
      }
      return typeof value === 'number' && Number.isSafeInteger(value)
        ? { value }
        : { error: `expected whole epoch milliseconds, got ${describe(value)}` };
    case 'double':
      if (value === null || value === undefined) return { value: null };
      return typeof value === 'number' ? { value } : { error: `expected a number, got ${describe(value)}` };
    case 'user-id':
      if (value === '' || value === null || value === undefined) return { value: null };
      if (typeof value === 'string' && /^\d{1,9}$/.test(value)) return { value: Number(value) };
      if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= INT32_MAX) return { value };
      return { error: `expected a user id of digits or "", got ${describe(value)}` };
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
