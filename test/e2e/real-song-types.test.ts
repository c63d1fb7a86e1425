/**
 * What real files hold and every warehouse must take alike: song files whose text fields are JSON numbers
 * (the groups "112" and "2562" arrive as `"artist_name": 112`; some artist_location values are bare numbers),
 * numbers written as strings in numeric fields, and timestamps beyond what every warehouse stores, which are
 * rejected by name instead of failing the publish.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/pipeline/query.js';
import { run } from '../../src/pipeline/run.js';
import { tempFolder, testWarehouses } from '../support/test-warehouses.js';

const EVENT = {
  artist: '112',
  auth: 'Logged In',
  firstName: 'Kaylee',
  gender: 'F',
  itemInSession: 1,
  lastName: 'Summers',
  length: 193.07,
  level: 'free',
  location: 'Phoenix-Mesa-Scottsdale, AZ',
  method: 'PUT',
  page: 'NextSong',
  registration: 1540344794796,
  sessionId: 139,
  song: 'Peaches & Cream',
  status: 200,
  ts: 1541106106796,
  userAgent: 'Mozilla/5.0',
  userId: '8',
};

function dataset(): string {
  const folder = tempFolder('sparkify-real-types-');
  const write = (path: string, content: string) => {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), content);
  };
  // As the real files have them: compact (the byte-level fast path) and pretty-printed (the parser).
  write(
    'song_data/A/A/A/TRAAA1.json',
    '{"num_songs": 1, "artist_id": "AR112", "artist_latitude": null, "artist_longitude": null, "artist_location": 2562, "artist_name": 112, "song_id": "SO112", "title": "Peaches & Cream", "duration": 193.07, "year": 2001}',
  );
  write(
    'song_data/A/A/B/TRAAB1.json',
    '{\n  "num_songs": 1,\n  "artist_id": "AR2562",\n  "artist_location": 52.0,\n  "artist_name": 2562.0,\n  "song_id": "SO2562",\n  "title": "Channel Two",\n  "duration": "301.5",\n  "year": "2008"\n}\n',
  );
  const lines = [
    JSON.stringify(EVENT),
    JSON.stringify({ ...EVENT, ts: 1541106106797, artist: '2562.0', song: 'Channel Two', length: 301.5 }),
    JSON.stringify({ ...EVENT, ts: 253402300800000 }),
    JSON.stringify({ ...EVENT, ts: 1541106106798, registration: -8640000000000000 }),
  ];
  write('log_data/2018/11/2018-11-01-events.json', `${lines.join('\n')}\n`);
  return folder;
}

for (const target of testWarehouses()) {
  describe(`real song types on ${target.name}`, () => {
    let warehouse: string;
    let folder: string;
    const rows = async (sql: string) => query(sql, { options: { warehouse }, env: {} });

    beforeAll(async () => {
      warehouse = target.fresh();
      folder = dataset();
      await run({ options: { source: folder, warehouse, maxErrors: 10 }, env: {} });
    });

    it('loads numbers in text fields as their text, exactly as written, into songs and artists', async () => {
      expect(await rows('SELECT artist_id, name, location FROM artists ORDER BY artist_id')).toEqual([
        { artist_id: 'AR112', name: '112', location: '2562' },
        { artist_id: 'AR2562', name: '2562.0', location: '52.0' },
      ]);
      expect(await rows('SELECT song_id, year, duration FROM songs ORDER BY song_id')).toEqual([
        { song_id: 'SO112', year: 2001, duration: 193.07 },
        { song_id: 'SO2562', year: 2008, duration: 301.5 },
      ]);
    });

    it('matches plays of those artists by their names', async () => {
      expect(await rows('SELECT song_id, artist_id FROM songplays ORDER BY start_time')).toEqual([
        { song_id: 'SO112', artist_id: 'AR112' },
        { song_id: 'SO2562', artist_id: 'AR2562' },
      ]);
    });

    it('rejects ts and registration beyond years 0001-9999 by name, and publishes the rest', async () => {
      const errors = await rows('SELECT line_number, error FROM load_errors ORDER BY line_number');
      expect(errors).toEqual([
        { line_number: 3, error: expect.stringMatching(/^field "ts": expected epoch milliseconds between 0001-01-01 and 9999-12-31 UTC/) },
        { line_number: 4, error: expect.stringMatching(/^field "registration": expected epoch milliseconds between/) },
      ]);
    });
  });
}
