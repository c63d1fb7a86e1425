import { describe, expect, it } from 'vitest';
import { parseRecord } from '../../src/records/record-parser.js';
import { EVENT_FIELDS, SONG_FIELDS } from '../../src/schema/staging-tables.js';

const EVENT = {
  artist: null,
  auth: 'Logged In',
  firstName: 'Walter',
  gender: 'M',
  itemInSession: 0,
  lastName: 'Frye',
  length: null,
  level: 'free',
  location: 'San Francisco-Oakland-Hayward, CA',
  method: 'GET',
  page: 'Home',
  registration: 1540919166796.0,
  sessionId: 38,
  song: null,
  status: 200,
  ts: 1541105830796,
  userAgent: '"Mozilla/5.0"',
  userId: '39',
};

const parse = (object: unknown, fields = EVENT_FIELDS) =>
  parseRecord({ file: 'log.json', line: 7, text: typeof object === 'string' ? object : JSON.stringify(object) }, fields);

describe('parseRecord for events', () => {
  it('converts every field into its column and appends the origin', () => {
    const parsed = parse(EVENT);
    expect(parsed).toEqual({
      row: [
        null,
        'Logged In',
        'Walter',
        'M',
        0,
        'Frye',
        null,
        'free',
        'San Francisco-Oakland-Hayward, CA',
        'GET',
        'Home',
        1540919166796,
        38,
        null,
        200,
        1541105830796,
        '"Mozilla/5.0"',
        39,
        'log.json',
        7,
      ],
    });
  });

  it('keeps registration written as a float with .0 and takes a logged-out visitor\'s "" user id as null', () => {
    const parsed = parse(`${JSON.stringify({ ...EVENT, userId: '' }).replace('1540919166796', '1540919166796.0')}`);
    expect('row' in parsed && parsed.row[11]).toBe(1540919166796);
    expect('row' in parsed && parsed.row[17]).toBeNull();
  });

  it('rejects a value of the wrong type, naming the field and the value', () => {
    expect(parse({ ...EVENT, ts: 'abc' })).toEqual({
      reject: {
        file: 'log.json',
        line: 7,
        raw: JSON.stringify({ ...EVENT, ts: 'abc' }),
        error: 'field "ts": expected whole epoch milliseconds, got "abc"',
      },
    });
    expect(parse({ ...EVENT, itemInSession: 'x' })).toMatchObject({ reject: { error: /field "itemInSession"/ } });
    expect(parse({ ...EVENT, userId: 'abc' })).toMatchObject({ reject: { error: /field "userId"/ } });
    expect(parse({ ...EVENT, artist: [5] })).toMatchObject({
      reject: { error: /field "artist": expected a string, number, boolean or null, got \[5\]/ },
    });
    expect(parse({ ...EVENT, ts: null })).toMatchObject({ reject: { error: /field "ts"/ } });
  });

  it('rejects text holding the NUL character, which PostgreSQL and Redshift cannot store', () => {
    expect(parse({ ...EVENT, location: 'a\u0000b' })).toMatchObject({
      reject: { error: /field "location": text contains the NUL character/ },
    });
  });

  it('keeps a NUL of the raw text as the escape \\u0000, so every warehouse stores the same load_errors row', () => {
    const parsed = parseRecord({ file: 'f', line: 1, text: '\u0000{"ts":1}\u0000' }, EVENT_FIELDS);
    expect(parsed).toMatchObject({ reject: { raw: '\\u0000{"ts":1}\\u0000', error: /^invalid JSON/ } });
    // JSON.parse's message quotes the text: its NUL is escaped as well.
    const error = 'reject' in parsed ? parsed.reject.error : '';
    expect(error).toContain("Unexpected token '\\u0000'");
    expect(error.includes('\0')).toBe(false);
  });

  it('rejects malformed JSON and non-objects with the whole raw text', () => {
    expect(parse('{"ts": 1,,}')).toMatchObject({ reject: { raw: '{"ts": 1,,}', error: /^invalid JSON/ } });
    expect(parse('[1, 2]')).toMatchObject({ reject: { error: 'expected a JSON object' } });
  });

  it('rejects a record the splitter could not delimit, with its reason', () => {
    const parsed = parseRecord({ file: 'f', line: 3, text: '{"a":', structuralError: 'the JSON object is cut off' }, EVENT_FIELDS);
    expect(parsed).toEqual({ reject: { file: 'f', line: 3, raw: '{"a":', error: 'the JSON object is cut off' } });
  });
});

describe('parseRecord for songs', () => {
  const SONG = {
    num_songs: 1,
    artist_id: 'ARGCY1Y1187B9A4FA5',
    artist_latitude: 36.16778,
    artist_longitude: -86.77836,
    artist_location: 'Nashville, TN.',
    artist_name: 'Gloriana',
    song_id: 'SOQOTLQ12AB01868D0',
    title: 'Clementina Santafè',
    duration: 153.33832,
    year: 0,
  };

  it('converts a song, whatever the key order', () => {
    const reversed = Object.fromEntries(Object.entries(SONG).reverse());
    expect(parse(reversed, SONG_FIELDS)).toEqual({
      row: [
        1,
        'ARGCY1Y1187B9A4FA5',
        36.16778,
        -86.77836,
        'Nashville, TN.',
        'Gloriana',
        'SOQOTLQ12AB01868D0',
        'Clementina Santafè',
        153.33832,
        0,
        'log.json',
        7,
      ],
    });
  });

  it('requires song_id and artist_id', () => {
    expect(parse({ ...SONG, song_id: null }, SONG_FIELDS)).toMatchObject({ reject: { error: /field "song_id"/ } });
    expect(parse({ ...SONG, artist_id: '' }, SONG_FIELDS)).toMatchObject({ reject: { error: /field "artist_id"/ } });
  });

  it('reads a number written as a string in a numeric field, as Redshift COPY converts text to the column type', () => {
    const parsed = parse({ ...SONG, duration: '153.3', year: '1999', num_songs: '1' }, SONG_FIELDS);
    expect('row' in parsed && [parsed.row[0], parsed.row[8], parsed.row[9]]).toEqual([1, 153.3, 1999]);
    expect(parse({ ...SONG, duration: '153,3' }, SONG_FIELDS)).toMatchObject({
      reject: { error: 'field "duration": expected a number, got "153,3"' },
    });
    expect(parse({ ...SONG, duration: ' 153.3' }, SONG_FIELDS)).toMatchObject({ reject: { error: /field "duration": expected a number/ } });
    expect(parse({ ...SONG, year: '1999.5' }, SONG_FIELDS)).toMatchObject({ reject: { error: /field "year": expected a whole number/ } });
    expect(parse({ ...SONG, duration: '' }, SONG_FIELDS)).toMatchObject({ reject: { error: /field "duration"/ } });
  });

  it('keeps a number or boolean in a text field as its text, exactly as written', () => {
    const text =
      '{"num_songs":1,"artist_id":"AR1","artist_latitude":null,"artist_longitude":null,"artist_location":  -12.50e1 ,"artist_name":112.0,"song_id":"SO1","title":true,"duration":1.5,"year":0}';
    const parsed = parse(text, SONG_FIELDS);
    expect('row' in parsed && [parsed.row[4], parsed.row[5], parsed.row[7]]).toEqual(['-12.50e1', '112.0', 'true']);
    // The last of a repeated key wins, as in JSON.parse; escaped key names are the same key.
    const repeated = parse('{"artist_id":"AR1","song_id":"SO1","artist_name":1,"artist\\u005fname":2562}', SONG_FIELDS);
    expect('row' in repeated && repeated.row[5]).toBe('2562');
    const numericId = parse({ ...SONG, artist_id: 42 }, SONG_FIELDS);
    expect('row' in numericId && numericId.row[1]).toBe('42');
  });
});

describe('parseRecord limits', () => {
  it('rejects ts and registration outside years 0001 to 9999, which every warehouse stores alike', () => {
    expect(parse({ ...EVENT, ts: 253402300800000 })).toMatchObject({
      reject: { error: /^field "ts": expected epoch milliseconds between 0001-01-01 and 9999-12-31 UTC .*got 253402300800000$/ },
    });
    expect(parse({ ...EVENT, registration: -62135596800001 })).toMatchObject({
      reject: { error: /^field "registration": expected epoch milliseconds between/ },
    });
    expect(parse({ ...EVENT, ts: 253402300799999 })).toMatchObject({ row: expect.any(Array) });
    expect(parse({ ...EVENT, ts: -62135596800000 })).toMatchObject({ row: expect.any(Array) });
  });

  it('rejects a record whose bytes were not UTF-8, and text holding an unpaired surrogate escape', () => {
    expect(parse(`{"artist":"bad \udcff byte","ts":1}`)).toMatchObject({
      reject: { error: 'the record is not valid UTF-8: byte 0xFF at character 16 is not part of a UTF-8 character' },
    });
    expect(parse('{"artist":"half \\ud83d","ts":1}')).toMatchObject({
      reject: { error: 'field "artist": text holds an unpaired surrogate (\\ud83d), which is not a character' },
    });
  });

  it('survives nesting too deep to print in its error', () => {
    const deep = `{"artist":${'['.repeat(20000)}${']'.repeat(20000)},"ts":1}`;
    expect(parse(deep)).toMatchObject({ reject: { error: /field "artist": expected a string/ } });
  });
});
