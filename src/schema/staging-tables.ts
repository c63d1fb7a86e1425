/**
 * The staging tables: one column per field of the raw JSON (snake_case), plus where each record came from.
 */
import type { FieldSpec } from '../records/field-spec.js';
import type { ColumnSpec, LogicalType, TableSpec } from './table-spec.js';

// Widths seen in the Million Song Dataset and eventsim output, with room to spare (Redshift sizes VARCHARs).
const TEXT_WIDTHS: Record<string, number> = {
  artist: 512,
  song: 512,
  artist_name: 512,
  title: 512,
  artist_location: 512,
  location: 256,
  user_agent: 512,
  artist_id: 32,
  song_id: 32,
};
// Text wider than these is rejected on every warehouse (see `FieldSpec.maxBytes`).
const DEFAULT_TEXT_WIDTH = 64;
const TEXT_KINDS: ReadonlySet<FieldSpec['kind']> = new Set(['text', 'required-text', 'level']);

/** `fields` with the width of each text field. */
function sized(fields: readonly FieldSpec[]): readonly FieldSpec[] {
  return fields.map((field) =>
    TEXT_KINDS.has(field.kind) ? { ...field, maxBytes: TEXT_WIDTHS[field.column] ?? DEFAULT_TEXT_WIDTH } : field,
  );
}

/** The 18 log fields, in the order of `log_json_path.json`. */
export const EVENT_FIELDS: readonly FieldSpec[] = sized([
  { key: 'artist', column: 'artist', kind: 'text' },
  { key: 'auth', column: 'auth', kind: 'text' },
  { key: 'firstName', column: 'first_name', kind: 'text' },
  { key: 'gender', column: 'gender', kind: 'text' },
  { key: 'itemInSession', column: 'item_in_session', kind: 'integer' },
  { key: 'lastName', column: 'last_name', kind: 'text' },
  { key: 'length', column: 'length', kind: 'double' },
  { key: 'level', column: 'level', kind: 'level' },
  { key: 'location', column: 'location', kind: 'text' },
  { key: 'method', column: 'method', kind: 'text' },
  { key: 'page', column: 'page', kind: 'text' },
  { key: 'registration', column: 'registration', kind: 'epoch-ms' },
  { key: 'sessionId', column: 'session_id', kind: 'integer' },
  { key: 'song', column: 'song', kind: 'text' },
  { key: 'status', column: 'status', kind: 'integer' },
  { key: 'ts', column: 'ts', kind: 'required-epoch-ms' },
  { key: 'userAgent', column: 'user_agent', kind: 'text' },
  { key: 'userId', column: 'user_id', kind: 'user-id' },
]);

/** The 10 song fields. */
export const SONG_FIELDS: readonly FieldSpec[] = sized([
  { key: 'num_songs', column: 'num_songs', kind: 'integer' },
  { key: 'artist_id', column: 'artist_id', kind: 'required-text' },
  { key: 'artist_latitude', column: 'artist_latitude', kind: 'double' },
  { key: 'artist_longitude', column: 'artist_longitude', kind: 'double' },
  { key: 'artist_location', column: 'artist_location', kind: 'text' },
  { key: 'artist_name', column: 'artist_name', kind: 'text' },
  { key: 'song_id', column: 'song_id', kind: 'required-text' },
  { key: 'title', column: 'title', kind: 'text' },
  { key: 'duration', column: 'duration', kind: 'double' },
  { key: 'year', column: 'year', kind: 'integer' },
]);

const KIND_TYPES: Record<FieldSpec['kind'], LogicalType> = {
  text: 'text',
  'required-text': 'text',
  integer: 'integer',
  'epoch-ms': 'bigint',
  'required-epoch-ms': 'bigint',
  double: 'double',
  'user-id': 'integer',
  level: 'text',
};

/** Columns that say where a staged record came from: file path or `s3://bucket/key`, and 1-based line. */
export const ORIGIN_COLUMNS: readonly ColumnSpec[] = [
  { name: 'source_file', type: 'text', maxLength: 1024, notNull: true },
  { name: 'line_number', type: 'integer', notNull: true },
];

function stagingColumns(fields: readonly FieldSpec[]): ColumnSpec[] {
  return [
    ...fields.map((field) => ({
      name: field.column,
      type: KIND_TYPES[field.kind],
      maxLength: field.maxBytes,
    })),
    ...ORIGIN_COLUMNS,
  ];
}

/** Every log record that passed its checks. */
export const STAGING_EVENTS: TableSpec = {
  name: 'staging_events',
  role: 'staging',
  columns: stagingColumns(EVENT_FIELDS),
};

/** Every song record that passed its checks. */
export const STAGING_SONGS: TableSpec = {
  name: 'staging_songs',
  role: 'staging',
  columns: stagingColumns(SONG_FIELDS),
};

/** Records that were not staged, with their whole raw text and the reason. Holds the latest load's rejects. */
export const LOAD_ERRORS: TableSpec = {
  name: 'load_errors',
  role: 'errors',
  escapesNul: true,
  columns: [
    { name: 'source_file', type: 'text', maxLength: 1024, notNull: true },
    { name: 'line_number', type: 'integer' },
    { name: 'raw_record', type: 'text', maxLength: 65535 },
    { name: 'error', type: 'text', maxLength: 1024, notNull: true },
    { name: 'dataset', type: 'text', maxLength: 16, notNull: true },
  ],
};
