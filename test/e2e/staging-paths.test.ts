/**
 * Every staging path stages and rejects exactly what the record checks say, whatever the input's quirks:
 * the fast path of each warehouse (byte-level encoder into Parquet segments for DuckDB, into COPY CSV for
 * PostgreSQL), run on the main thread under vitest and in worker threads by the compiled CLI. Each is
 * compared with the splitters and `parseRecord` applied directly to the files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/pipeline/run.js';
import { expectedStaging, loadedStaging, type Expected } from '../support/staging-compare.js';
import { tempFolder, testWarehouses } from '../support/test-warehouses.js';

const BIN = new URL('../../bin/sparkify.js', import.meta.url).pathname;
const COMPILED_WORKER = new URL('../../dist/pipeline/staging-worker.js', import.meta.url).pathname;

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
  registration: 1540344794796,
  sessionId: 139,
  song: 'You Gotta Be',
  status: 200,
  ts: 1541106106796,
  userAgent: '"Mozilla/5.0 (Windows NT 6.1; WOW64)"',
  userId: '8',
};
const event = (changes: Record<string, unknown>) => JSON.stringify({ ...EVENT, ...changes });
const SONG = {
  num_songs: 1,
  artist_id: 'ARD7TVE1187B99BFB1',
  artist_latitude: null,
  artist_longitude: null,
  artist_location: 'California - LA',
  artist_name: 'Casual',
  song_id: 'SOMZWCG12A8C13C480',
  title: "I Didn't Mean To",
  duration: 218.93179,
  year: 0,
};

/** A dataset with the quirks and damage of real files, in bytes where text cannot say it. */
function quirkyDataset(): string {
  const folder = tempFolder('sparkify-quirks-');
  const write = (path: string, content: string | Buffer) => {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), content);
  };
  const day1 = [
    event({}),
    event({}).replaceAll('/', '\\/'),
    event({ song: 'a "quoted", comma\nnewline\rreturn', artist: 'BjÃ\u0083Â¶rk', location: 'Howlin\u0019 For You' }),
    JSON.stringify({ ...EVENT, song: 'Été 日本 \u{1F600}' }).replace(
      /[\u0080-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    ),
    event({ song: 'raw Été 日本 \u{1F600}', userId: '007', length: 1.0, itemInSession: 0 }),
    event({ song: '', artist: ' padded ', userId: '', auth: 'Logged Out', firstName: null, registration: null }),
    '',
    '   ',
    event({})
      .replace('"length":246.30812', '"length":2.4630812e2')
      .replace('"registration":1540344794796', '"registration":1540344794796.0'),
    event({}).replace('"length":246.30812', '"length":-0.0'),
    event({ ts: 'abc' }),
    event({ location: 'nul\u0000here' }),
    '{"page":"NextSong",,"ts":1}',
    event({ extra: { nested: [1, 2] }, more: true }),
    `${event({})}   `,
    event({}).replace('{', '{"ts":1,'),
    event({ song: 'x'.repeat(5 << 20) }),
    // Past what a record may hold (16 MiB): rejected, never held whole.
    event({ song: 'y'.repeat(17 << 20) }),
    // Numbers and booleans in text fields keep their text as written; numbers in strings convert.
    event({}).replace('"artist":"Des\'ree"', '"artist":112.0').replace('"location":"Phoenix-Mesa-Scottsdale, AZ"', '"location":true'),
    event({ itemInSession: '3', length: '246.30812', status: '200.0', sessionId: '1e2' }),
    event({ ts: 253402300800000 }),
    event({ registration: -62135596800001 }),
    event({ ts: 253402300799999, registration: -62135596800000 }),
    event({ song: 'lone \ud83d surrogate' }),
  ];
  write('log_data/2018/11/2018-11-01-events.json', `\uFEFF${day1.join('\r\n')}\r\n`);
  write(
    'log_data/2018/11/2018-11-02-events.json',
    Buffer.concat([
      Buffer.from(`${event({ ts: 1541106106797 })}\n`),
      Buffer.from('{"artist":"bad \xff utf8","ts":1541106106798,"page":"Home"}\n', 'latin1'),
      Buffer.from(event({ ts: 1541106106799 }).slice(0, 80)),
    ]),
  );
  write('log_data/2018/11/2018-11-03-events.json', '');
  write(
    'song_data/A/B/C/TRABC1.json',
    `\uFEFF${JSON.stringify(SONG)} ${JSON.stringify({ ...SONG, song_id: 'SO2' })}\n${JSON.stringify({ ...SONG, song_id: 'SO3', title: 'Pretty, "printed"' }, null, 2)}\n`,
  );
  write('song_data/A/B/D/TRABD2.json', '');
  write('song_data/A/B/D/TRABD3.json', '{"num_songs": 1, "artist_id": "ARX", "song_id": "SOX", "ti');
  write('song_data/A/B/D/TRABD4.json', JSON.stringify({ ...SONG, song_id: 'SO4', duration: '218' }));
  // One object a file, as the real bucket has them: the byte-level fast path stages these, or declines them
  // to the splitter and parseRecord.
  const escaped = (text: string) => text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  write('song_data/A/C/A/TRACA1.json', JSON.stringify({ ...SONG, song_id: 'SO5' }));
  write(
    'song_data/A/C/A/TRACA2.json',
    `${escaped(JSON.stringify({ ...SONG, song_id: 'SO6', artist_name: 'Acción "Hernández"', title: 'Fräulein\\/日本' }, null, 2))}\r\n`,
  );
  write('song_data/A/C/A/TRACA3.json', `\n${JSON.stringify({ ...SONG, song_id: 'SO7' })}`);
  write('song_data/A/C/A/TRACA4.json', `${JSON.stringify({ ...SONG, song_id: 'SO8' })} trailing`);
  write('song_data/A/C/A/TRACA5.json', JSON.stringify({ ...SONG, song_id: 'SO9', artist_id: null }));
  write(
    'song_data/A/C/A/TRACA6.json',
    JSON.stringify({ ...SONG, song_id: 'SO10', similar: { to: ['SO5'] }, year: 2004.0, artist_latitude: 1e-3 }),
  );
  write(
    'song_data/A/C/A/TRACA7.json',
    Buffer.from(`{"num_songs": 1, "artist_id": "ARY", "song_id": "SO11", "title": "bad \xff utf8", "year": 0}`, 'latin1'),
  );
  write(
    'song_data/A/C/A/TRACA8.json',
    `{"num_songs":1,"artist_id":"ARZ","song_id":"SO12","title":"${'long '.repeat(2000)}","num_songs":2,"year":"1999"}`,
  );
  // As real song files have them: artists whose names are digits, numeric locations.
  write('song_data/A/C/B/TRACB1.json', JSON.stringify({ ...SONG, song_id: 'SO13', artist_name: 112, artist_location: 2562 }));
  write(
    'song_data/A/C/B/TRACB2.json',
    `{"artist_id": "AR2562", "song_id": "SO14", "artist_name": 2562.0, "artist_location": -33.5e0, "title": false, "year": "2001", "duration": "199.5"}`,
  );
  write('song_data/A/C/B/TRACB3.json', `${JSON.stringify({ ...SONG, song_id: 'SO15', artist_name: 112 }, null, 1)}\n`);
  write('song_data/A/README.txt', 'not a song');
  return folder;
}

describe('staging paths', () => {
  let folder: string;
  let expected: Expected;

  beforeAll(async () => {
    folder = quirkyDataset();
    expected = await expectedStaging(folder, {
      events: [
        'log_data/2018/11/2018-11-01-events.json',
        'log_data/2018/11/2018-11-02-events.json',
        'log_data/2018/11/2018-11-03-events.json',
      ],
      songs: [
        'song_data/A/B/C/TRABC1.json',
        'song_data/A/B/D/TRABD2.json',
        'song_data/A/B/D/TRABD3.json',
        'song_data/A/B/D/TRABD4.json',
        ...Array.from({ length: 8 }, (_, index) => `song_data/A/C/A/TRACA${index + 1}.json`),
        ...Array.from({ length: 3 }, (_, index) => `song_data/A/C/B/TRACB${index + 1}.json`),
      ],
    });
    // In the order loadedStaging reads them: file, line, then song_id (two objects share a line).
    const key = (row: unknown[]) => [row[10], row[11], row[6]].map((value) => String(value).padStart(12, '0')).join('\u0000');
    expected.songs.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  });

  it('has a dataset that exercises every kind of record', () => {
    expect(expected.events.length).toBeGreaterThan(10);
    expect(expected.rejects.map((row) => row[3])).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^invalid JSON/),
        expect.stringMatching(/NUL/),
        expect.stringMatching(/^the record is larger than 16 MiB/),
        expect.stringMatching(/^the record is not valid UTF-8/),
        expect.stringMatching(/^field "ts": expected epoch milliseconds between 0001-01-01 and 9999-12-31/),
        expect.stringMatching(/unpaired surrogate/),
      ]),
    );
    const texts = expected.songs.map((row) => [row[6], row[4], row[5], row[7]]);
    expect(texts).toEqual(
      expect.arrayContaining([
        ['SO13', '2562', '112', "I Didn't Mean To"],
        ['SO14', '-33.5e0', '2562.0', 'false'],
      ]),
    );
  });

  for (const target of testWarehouses()) {
    it(`stages exactly the checked records on ${target.name}`, async () => {
      const warehouse = target.fresh();
      await run({ options: { source: folder, warehouse, maxErrors: 100 }, env: {} });
      expect(await loadedStaging(warehouse)).toEqual(expected);
    });
  }

  for (const target of testWarehouses()) {
    const compiled = existsSync(COMPILED_WORKER);
    // `npm test` builds first; a bare `vitest run` on a fresh clone has no compiled CLI to spawn.
    const title =
      `stages exactly the checked records in worker threads (the compiled CLI) on ${target.name}` +
      (compiled ? '' : ' (SKIPPED: dist/ is absent, run npm run build)');
    it.skipIf(!compiled)(title, async () => {
      const warehouse = target.fresh();
      const result = spawnSync(
        process.execPath,
        [BIN, 'run', '--source', folder, '--warehouse', warehouse, '--max-errors', '100', '--json'],
        {
          encoding: 'utf8',
          env: { PATH: process.env.PATH ?? '' },
        },
      );
      expect(result.status, result.stderr).toBe(0);
      expect(await loadedStaging(warehouse)).toEqual(expected);
    });
  }
});
