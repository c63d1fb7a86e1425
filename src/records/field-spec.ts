/**
 * Field specs: which JSON key feeds which staging column, and what the value must look like. The readers
 * check every record against these so that a value that does not fit its column is quarantined with a
 * reason instead of failing the whole load (or being silently coerced).
 */
import type { StagingValue } from './record-types.js';
import { unpairedSurrogateError } from './utf8-text.js';

/** How a JSON value is checked and converted for its column. */
export type FieldKind =
  | 'text' // a JSON string, number or boolean (a number or boolean as written: `112`, `112.0`, `true`), or null
  | 'required-text' // as text, but never null or ""
  | 'integer' // a JSON number with no fraction (or a string holding one, as Redshift's COPY converts it), or null
  | 'epoch-ms' // whole epoch milliseconds in 0001-01-01 .. 9999-12-31 (written as 1540919166796 or 1540919166796.0), or null
  | 'required-epoch-ms' // as epoch-ms, never null
  | 'double' // any JSON number (or a string holding one), or null
  | 'user-id' // a string of digits (or "" for a logged-out visitor, stored as null), or a whole number
  | 'level'; // "free" or "paid", never null: a play of any other level would fail the level checks and stop every publish

/** One JSON key and the staging column it lands in. */
export interface FieldSpec {
  readonly key: string;
  readonly column: string;
  readonly kind: FieldKind;
  /**
   * For text kinds: the most UTF-8 bytes a value may have, the column's width on Redshift (a VARCHAR of
   * bytes). A longer value is rejected on every warehouse, so they all stage the same records, and one
   * long title never fails a whole Redshift COPY.
   */
  readonly maxBytes?: number;
}

/**
 * Which rules staged the rows: raised whenever what the record checks accept, or the values they give,
 * changes (2: `level` free or paid, text within its width, finite doubles, 10-digit user ids, blank lines of
 * JSON whitespace only). A run that finds the last publish made under other rules reads every file again,
 * so the tables stay those of one full refresh of the source, as the contract of incremental loads says.
 */
export const RECORD_RULES_VERSION = 2;

const INT32_MAX = 2_147_483_647;
// PostgreSQL and Redshift cannot store U+0000 in text; rejecting it everywhere keeps every warehouse alike.
const NUL_ERROR = 'text contains the NUL character (\\u0000), which warehouses cannot store';

/**
 * The range of timestamps every warehouse stores and prints alike: years 0001 to 9999 in UTC. DuckDB
 * (290309 BC to 294247 AD), PostgreSQL and Redshift (4713 BC to 294276 AD) all hold more, but before year 1
 * each writes BC years its own way (PostgreSQL `0001-01-01 BC`, DuckDB `0001-01-01 (BC)`, JavaScript
 * `-000000`), and past 9999 ISO 8601 text needs a sign; within four-digit years they agree to the
 * millisecond.
 */
export const MIN_EPOCH_MS = -62_135_596_800_000; // 0001-01-01T00:00:00.000Z
export const MAX_EPOCH_MS = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z
const EPOCH_RANGE = 'between 0001-01-01 and 9999-12-31 UTC (-62135596800000 to 253402300799999)';

// A JSON number's text: what a numeric field accepts inside a string, the way Redshift's COPY converts the
// text of a value to its column's type.
const NUMBER_TEXT = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * Converts `value` for a field of `kind`, or returns an error text saying what was expected. `written` gives
 * the value's text as it stands in the record, which a text field keeps for a number (`112.0`, not `112`).
 */
export function convertField(
  kind: FieldKind,
  value: unknown,
  written?: () => string | undefined,
  maxBytes?: number,
): { value: StagingValue } | { error: string } {
  switch (kind) {
    case 'text':
      if (value === null || value === undefined) return { value: null };
      return checkText(asText(value, written), `expected a string, number, boolean or null, got ${describe(value)}`, maxBytes);
    case 'required-text': {
      const text = value === null || value === undefined ? undefined : asText(value, written);
      if (text === undefined || text === '') return { error: `expected a non-empty string, got ${describe(value)}` };
      return checkText(text, '', maxBytes);
    }
    case 'integer': {
      if (value === null || value === undefined) return { value: null };
      const number = asNumber(value);
      return number !== undefined && Number.isInteger(number) && Math.abs(number) <= INT32_MAX
        ? { value: number }
        : { error: `expected a whole number, got ${describe(value, written)}` };
    }
    case 'epoch-ms':
    case 'required-epoch-ms': {
      if (value === null || value === undefined) {
        return kind === 'epoch-ms' ? { value: null } : { error: `expected epoch milliseconds, got ${describe(value)}` };
      }
      const number = asNumber(value);
      if (number === undefined || !Number.isSafeInteger(number))
        return { error: `expected whole epoch milliseconds, got ${describe(value, written)}` };
      return number >= MIN_EPOCH_MS && number <= MAX_EPOCH_MS
        ? { value: number }
        : { error: `expected epoch milliseconds ${EPOCH_RANGE}, the range every warehouse stores alike, got ${describe(value)}` };
    }
    case 'double': {
      if (value === null || value === undefined) return { value: null };
      const number = asNumber(value);
      // JSON.parse reads 1e400 as Infinity, which no warehouse column of the data should hold.
      if (number !== undefined && !Number.isFinite(number)) {
        return { error: `expected a number within ±1.8e308 (a double), got ${describe(value, written)}` };
      }
      return number !== undefined ? { value: number } : { error: `expected a number, got ${describe(value)}` };
    }
    case 'user-id':
      if (value === '' || value === null || value === undefined) return { value: null };
      if (typeof value === 'string' && /^\d{1,10}$/.test(value) && Number(value) <= INT32_MAX) return { value: Number(value) };
      if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= INT32_MAX) return { value };
      return { error: `expected a user id of digits (at most ${INT32_MAX}) or "", got ${describe(value, written)}` };
    case 'level':
      if (value === 'free' || value === 'paid') return { value };
      return { error: `expected "free" or "paid", got ${describe(value)}` };
  }
}

/** A string as it is; a number or boolean as written in the record; undefined for anything else. */
function asText(value: unknown, written: (() => string | undefined) | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return written?.() ?? String(value);
  return undefined;
}

function checkText(text: string | undefined, wrongType: string, maxBytes?: number): { value: StagingValue } | { error: string } {
  if (text === undefined) return { error: wrongType };
  if (text.includes('\u0000')) return { error: NUL_ERROR };
  // Most values are far shorter: their length in UTF-16 units, at most 3 bytes each, settles it uncounted.
  if (maxBytes !== undefined && text.length * 3 > maxBytes) {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > maxBytes)
      return { error: `expected text of at most ${maxBytes} bytes (the column's width on Redshift), got ${bytes} bytes` };
  }
  const surrogate = unpairedSurrogateError(text);
  return surrogate ? { error: surrogate } : { value: text };
}

/** A number, or a string holding a JSON number's text (Redshift's COPY converts text to the column's type). */
function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  return typeof value === 'string' && NUMBER_TEXT.test(value) ? Number(value) : undefined;
}

// `written`: the value's text in the record, shown for a number JSON cannot print (1e400 reads as Infinity).
function describe(value: unknown, written?: () => string | undefined): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return written?.() ?? String(value);
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    // Nesting too deep to print.
    text = Array.isArray(value) ? '[...]' : '{...}';
  }
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
