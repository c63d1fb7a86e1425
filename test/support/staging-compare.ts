/**
 * What staging and load_errors must hold for a folder of files, computed by the splitters and parseRecord
 * applied to the files directly, and what a warehouse holds, in the same shape: the staging-path tests
 * compare the two.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { query } from '../../src/pipeline/query.js';
import { splitJsonLines } from '../../src/records/event-line-splitter.js';
import type { FieldSpec } from '../../src/records/field-spec.js';
import { parseRecord } from '../../src/records/record-parser.js';
import type { RawRecord } from '../../src/records/record-types.js';
import { splitJsonObjects } from '../../src/records/song-object-splitter.js';
import { decodeUtf8 } from '../../src/records/utf8-text.js';
import { EVENT_FIELDS, SONG_FIELDS } from '../../src/schema/staging-tables.js';

/** Staging rows and load_errors rows, each as arrays of values. */
export interface Expected {
  events: unknown[][];
  songs: unknown[][];
  rejects: unknown[][];
}

/** What staging and load_errors must hold: the splitters and parseRecord applied to the files directly. */
export async function expectedStaging(folder: string, files: Record<'events' | 'songs', string[]>): Promise<Expected> {
  const expected: Expected = { events: [], songs: [], rejects: [] };
  const take = async (
    dataset: 'events' | 'songs',
    split: (chunks: AsyncIterable<string>, file: string) => AsyncIterable<RawRecord>,
    fields: readonly FieldSpec[],
  ) => {
    for (const file of files[dataset]) {
      const path = join(folder, file);
      async function* whole() {
        yield decodeUtf8(readFileSync(path));
      }
      for await (const record of split(whole(), path)) {
        const parsed = parseRecord(record, fields);
        // A warehouse stores -0 as 0 (JavaScript writes both as "0").
        if ('row' in parsed) expected[dataset].push(parsed.row.map((value) => (value === 0 ? 0 : value)));
        else expected.rejects.push([parsed.reject.file, parsed.reject.line, parsed.reject.raw, parsed.reject.error, dataset]);
      }
    }
  };
  await take('songs', splitJsonObjects, SONG_FIELDS);
  await take('events', splitJsonLines, EVENT_FIELDS);
  return expected;
}

/** Staging and load_errors as loaded, in the same shape, in file and line order. */
export async function loadedStaging(warehouse: string): Promise<Expected> {
  const rows = async (sql: string) =>
    (await query(sql, { options: { warehouse }, env: {} })).map((row) =>
      Object.values(row).map((value) => (typeof value === 'bigint' ? Number(value) : value)),
    );
  const columns = (fields: readonly FieldSpec[]) => [...fields.map((field) => field.column), 'source_file', 'line_number'].join(', ');
  // Two song objects can share a line: their title tells them apart.
  return {
    events: await rows(`SELECT ${columns(EVENT_FIELDS)} FROM staging_events ORDER BY source_file, line_number`),
    songs: await rows(`SELECT ${columns(SONG_FIELDS)} FROM staging_songs ORDER BY source_file, line_number, song_id`),
    rejects: await rows(
      'SELECT source_file, line_number, raw_record, error, dataset FROM load_errors ORDER BY dataset DESC, source_file, line_number',
    ),
  };
}

/**
 * `expected` sorted as `loadedStaging` reads the tables: by file and line (then song_id: two song objects
 * can share a line), and load_errors songs first. For folders whose file names sort alike in every collation.
 */
export function inLoadOrder(expected: Expected): Expected {
  const pad = (value: unknown) => String(value).padStart(12, '0');
  const sorted = (rows: unknown[][], key: (row: unknown[]) => string) =>
    [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const origin = (fields: number) => (row: unknown[]) => [row[fields], pad(row[fields + 1])].join('\u0000');
  return {
    events: sorted(expected.events, origin(EVENT_FIELDS.length)),
    songs: sorted(expected.songs, (row) => `${origin(SONG_FIELDS.length)(row)}\u0000${pad(row[6])}`),
    rejects: sorted(expected.rejects, (row) => [row[4] === 'songs' ? 0 : 1, row[0], pad(row[1])].join('\u0000')),
  };
}
