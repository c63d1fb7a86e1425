/**
 * The byte-level fast path must stage exactly what parseRecord stages, and decline everything else: for each
 * line, either it declines and writes nothing, or parseRecord accepts the line with the same values. Both
 * sinks are checked: the Parquet segment's values, and the CSV bytes, which must be those PostgreSQL's row
 * formatter writes for parseRecord's row.
 */
import { describe, expect, it } from 'vitest';
import type { FieldSpec } from '../../src/records/field-spec.js';
import { JsonLineEncoder } from '../../src/records/json-line-encoder.js';
import { parseRecord } from '../../src/records/record-parser.js';
import { StagingCsvWriter } from '../../src/records/staging-csv-writer.js';
import { parquetColumns, StagingParquetWriter } from '../../src/records/staging-parquet-writer.js';
import { EVENT_FIELDS, SONG_FIELDS, STAGING_EVENTS, STAGING_SONGS } from '../../src/schema/staging-tables.js';
import { CopyRowEncoder } from '../../src/warehouses/postgres/postgres-copy-format.js';

const FILE = '/data/log_data/2018/11/2018-11-01-events.json';

/** The first row of the row group `writer` is building, read back from its column buffers. */
function firstRow(writer: StagingParquetWriter): unknown[] {
  return writer.columns.map((column) => {
    if (column.defined[0] === 0) return null;
    const b = column.bytes;
    switch (column.type) {
      case 'text':
        return b.toString('utf8', 4, 4 + b.readUInt32LE(0));
      case 'int32':
        return b.readInt32LE(0);
      case 'int64':
        return Number(b.readBigInt64LE(0));
      case 'double':
        return b.readDoubleLE(0);
      default:
        throw new Error(`unexpected column type ${column.type}`);
    }
  });
}

/** One CSV row as COPY ... (FORMAT csv) reads it: quoted text with "" for ", an unquoted empty field as NULL. */
function readCsvRow(csv: string, table: typeof STAGING_EVENTS): unknown[] {
  const values: unknown[] = [];
  let p = 0;
  while (p < csv.length) {
    let text: string | null;
    if (csv[p] === '"') {
      text = '';
      for (p++; ; p++) {
        if (csv[p] === '"' && csv[p + 1] === '"') {
          text += '"';
          p++;
        } else if (csv[p] === '"') break;
        else text += csv[p];
      }
      p++;
    } else {
      const end = csv.slice(p).search(/[,\n]/) + p;
      text = end === p ? null : csv.slice(p, end);
      p = end;
    }
    const column = table.columns[values.length]!;
    values.push(text === null || column.type === 'text' ? text : Number(text));
    if (csv[p] === '\n') break;
    p++;
  }
  expect(values).toHaveLength(table.columns.length);
  return values;
}

/** What each path makes of `line`: the fast row (or 'declined') and parseRecord's row (or its reject). */
function bothPaths(line: string | Buffer, fields: readonly FieldSpec[] = EVENT_FIELDS) {
  const bytes = typeof line === 'string' ? Buffer.from(line, 'utf8') : line;
  const table = fields === EVENT_FIELDS ? STAGING_EVENTS : STAGING_SONGS;
  const writer = new StagingParquetWriter({
    columns: parquetColumns(table),
    nextPath: () => {
      throw new Error('no file expected');
    },
    onSealed: () => undefined,
    segmentBytes: 1 << 30,
  });
  const accepted = new JsonLineEncoder(fields).encode(bytes, 0, bytes.length, writer, Buffer.from(FILE), 7);
  if (!accepted) {
    // Declining leaves nothing behind.
    expect(writer.rows).toBe(0);
    expect(writer.columns.map((column) => column.length)).toEqual(writer.columns.map(() => 0));
  }
  const parsed = parseRecord({ file: FILE, line: 7, text: bytes.toString('utf8') }, fields);
  // A warehouse stores -0 as 0.
  const slow = 'row' in parsed ? parsed.row.map((value) => (value === 0 ? 0 : value)) : `reject: ${parsed.reject.error}`;

  const chunks: string[] = [];
  const csv = new StagingCsvWriter({
    columns: parquetColumns(table),
    chunkBytes: 1 << 20,
    onChunk: (chunk) => chunks.push(chunk.toString('utf8')),
  });
  const csvAccepted = new JsonLineEncoder(fields).encode(bytes, 0, bytes.length, csv, Buffer.from(FILE), 7);
  csv.flush();
  expect(csvAccepted).toBe(accepted);
  if (csvAccepted && 'row' in parsed) {
    // The same values as the parsed row's CSV (the path of rejects and row batches), as PostgreSQL reads them
    // back (numbers by value: "1.0" is 1).
    const expected = new CopyRowEncoder(table, 'reject').encode([parsed.row]).toString('utf8');
    expect(chunks.join('').endsWith('\n')).toBe(true);
    expect(readCsvRow(chunks.join(''), table)).toEqual(readCsvRow(expected, table));
  } else {
    expect(chunks).toEqual([]);
  }
  return { fast: accepted ? firstRow(writer) : 'declined', slow };
}

/** Asserts the fast path agrees with parseRecord on `line`; returns whether it took the line. */
function agrees(line: string | Buffer, fields: readonly FieldSpec[] = EVENT_FIELDS): boolean {
  const { fast, slow } = bothPaths(line, fields);
  if (fast === 'declined') return false;
  expect(fast).toEqual(slow);
  return true;
}

const EVENT = {
  artist: "Des'ree",
  auth: 'Logged In',
  firstName: 'Kaylee',
  gender: 'F',
  itemInSession: 1,
  lastName: 'Summers',
  length: 246.30812,
  level: 'free',
  location: 'Phoenix-Mesa-Scottsdale, AZ',
  method: 'PUT',
  page: 'NextSong',
  registration: 1540344794796.0,
  sessionId: 139,
  song: 'You Gotta Be',
  status: 200,
  ts: 1541106106796,
  userAgent: '"Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36"',
  userId: '8',
};
const line = (changes: Record<string, unknown>) => JSON.stringify({ ...EVENT, ...changes });

describe('JsonLineEncoder', () => {
  it('stages an ordinary log line exactly as parseRecord does', () => {
    expect(agrees(line({}))).toBe(true);
    expect(agrees(line({}).replaceAll('/', '\\/'))).toBe(true);
    const { fast } = bothPaths(line({}));
    expect((fast as unknown[]).slice(-2)).toEqual([FILE, 7]);
  });

  it('agrees on escapes, quotes, commas, control characters and non-ASCII text', () => {
    for (const text of [
      'a "quoted" b',
      'x,y',
      'line\nbreak',
      'cr\rhere',
      'tab\there',
      'Howlin\u0019 For You',
      'BjÃ\u0083Â¶rk',
      'Björk',
      '日本語',
      '\ufeffbom first',
      'emoji \u{1F600}',
      'back\\slash',
      'slash/',
      '',
      ' padded ',
      'a\u2028b',
    ]) {
      agrees(line({ song: text }));
      agrees(
        JSON.stringify({ ...EVENT, song: text }).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
      );
    }
    expect(agrees(line({ song: 'x,y' }))).toBe(true);
    expect(agrees(line({ song: 'a "quoted" b' }))).toBe(true);
  });

  it('agrees on numbers in every form JSON allows', () => {
    for (const value of [
      '0',
      '-0',
      '-0.0',
      '1.0',
      '1.50',
      '1e3',
      '1E-2',
      '2147483647',
      '2147483648',
      '-2147483648',
      '12345678901',
      '3.14159265358979323846',
      '1540344794796.0',
      '1540344794796.5',
      '9007199254740993',
      '-5',
      '0.000001',
      '123456789012345678901234567890',
    ]) {
      for (const key of ['itemInSession', 'length', 'registration', 'ts', 'userId', 'status']) {
        agrees(line({}).replace(new RegExp(`"${key}":[^,}]*`), `"${key}":${value}`));
      }
    }
  });

  it('agrees on user ids given as text', () => {
    for (const value of ['', '0', '007', '123456789', '1234567890', 'abc', ' 1', '1 ', '١٢']) agrees(line({ userId: value }));
    expect(agrees(line({ userId: '' }))).toBe(true);
  });

  it('agrees on nulls, missing fields, wrong types, duplicates and unknown keys', () => {
    agrees(line({ artist: null, song: null, length: null }));
    agrees(JSON.stringify({ ts: 1541106106796 }));
    agrees(JSON.stringify({ ...EVENT, ts: undefined }));
    agrees(line({ ts: null }));
    agrees(line({ artist: 5 }));
    agrees(line({ artist: true }));
    agrees(line({ level: ['free'] }));
    agrees(line({ extra: { nested: [1, 2] } }));
    agrees(line({ extra: 'ignored', other: 12.5, flag: false, nothing: null }));
    agrees(line({}).replace('"ts":', '"ts":1,"ts":'));
    agrees(line({}).replace('{', '{"artist":7,'));
    agrees(line({ location: 'a\u0000b' }));
    agrees(line({}).replace('"page"', '"pa\\u0067e"'));
  });

  it('agrees on whitespace and declines what is not one JSON object', () => {
    agrees(` \t${line({})}\r `);
    agrees(line({}).replaceAll(',"', ' , "').replaceAll('":', '" :  '));
    for (const bad of [
      '',
      '   ',
      '{',
      '}',
      '[1]',
      '"text"',
      '{"ts":1541106106796,}',
      `${line({})}x`,
      `${line({})}{}`,
      '{"ts":01}',
      '{"ts":1.}',
      '{"ts":-}',
      '{"ts":1541106106796, "a": tru}',
      '{"ts":1541106106796,"a":"\\x"}',
      '{"ts":1541106106796,"a":"\\u12G4"}',
      '{"ts":1541106106796,"a":"unterminated}',
      '{"ts":1541106106796,"song":"raw\tcontrol"}',
      '{"ts":1541106106796,"song":"\\ud83d\\ude00"}',
    ]) {
      expect(agrees(bad)).toBe(false);
    }
  });

  it('declines invalid UTF-8, which parseRecord sees as U+FFFD', () => {
    const bytes = Buffer.concat([Buffer.from('{"ts":1541106106796,"song":"a'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
    expect(agrees(bytes)).toBe(false);
    const overlong = Buffer.concat([Buffer.from('{"ts":1541106106796,"song":"'), Buffer.from([0xe0, 0x80, 0xaf]), Buffer.from('"}')]);
    expect(agrees(overlong)).toBe(false);
  });

  it('works for song objects too, in any key order', () => {
    const song = {
      num_songs: 1,
      artist_id: 'ARD7TVE1187B99BFB1',
      artist_latitude: null,
      artist_longitude: -1.5,
      artist_location: 'California - LA',
      artist_name: 'Casual',
      song_id: 'SOMZWCG12A8C13C480',
      title: "I Didn't Mean To",
      duration: 218.93179,
      year: 0,
    };
    expect(agrees(JSON.stringify(song), SONG_FIELDS)).toBe(true);
    expect(agrees(JSON.stringify(Object.fromEntries(Object.entries(song).reverse())), SONG_FIELDS)).toBe(true);
    agrees(JSON.stringify({ ...song, song_id: '' }), SONG_FIELDS);
    agrees(JSON.stringify({ ...song, artist_id: undefined }), SONG_FIELDS);
  });
});
