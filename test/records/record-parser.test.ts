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
    expect(parse({ ...EVENT, artist: 5 })).toMatchObject({ reject: { error: /field "artist": expected a string/ } });
    expect(parse({ ...EVENT, ts: null })).toMatchObject({ reject: { error: /field "ts"/ } });
  });

  it('rejects text holding the NUL character, which PostgreSQL and Redshift cannot store', () => {
    expect(parse({ ...EVENT, location: 'a\u0000b' })).toMatchObject({
      reject: { error: /field "location": text contains the NUL character/ },
    });
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

  it('rejects a duration given as text', () => {
    expect(parse({ ...SONG, duration: '153.3' }, SONG_FIELDS)).toMatchObject({ reject: { error: /field "duration": expected a number/ } });
  });
});
