/**
 * user_levels, each user's level history, on every warehouse: periods from the events' own timestamps,
 * every page counted, one current row per user, and ties at one ts broken by file and line.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/pipeline/query.js';
import { run } from '../../src/pipeline/run.js';
import { tempFolder, testWarehouses } from '../support/test-warehouses.js';

const T0 = Date.UTC(2018, 10, 1, 10, 0, 0);
const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** One log record of user `userId` at `ts` with `level` on `page`. */
function event(userId: string, ts: number, level: string, page = 'NextSong', item = 0): string {
  return JSON.stringify({
    artist: page === 'NextSong' ? 'Nobody' : null,
    auth: 'Logged In',
    firstName: 'Ann',
    gender: 'F',
    itemInSession: item,
    lastName: 'Lee',
    length: page === 'NextSong' ? 200.0 : null,
    level,
    location: 'Boston, MA',
    method: page === 'NextSong' ? 'PUT' : 'GET',
    page,
    registration: 1540919166796,
    sessionId: 1,
    song: page === 'NextSong' ? 'Nothing' : null,
    status: 200,
    ts,
    userAgent: 'Mozilla/5.0',
    userId,
  });
}

/**
 * A source folder: user 1 goes free -> paid (on the Upgrade page) -> free; user 2 has two events at one ts in
 * one file, user 3 one in each file.
 */
function writeSource(): string {
  const root = tempFolder('sparkify-levels-');
  mkdirSync(join(root, 'song_data'), { recursive: true });
  mkdirSync(join(root, 'log_data'), { recursive: true });
  writeFileSync(
    join(root, 'song_data', 'TRAAAAA.json'),
    JSON.stringify({
      num_songs: 1,
      artist_id: 'AR1',
      artist_latitude: null,
      artist_longitude: null,
      artist_location: '',
      artist_name: 'Nobody',
      song_id: 'SO1',
      title: 'Nothing',
      duration: 200.0,
      year: 2000,
    }),
  );
  const first = [
    event('1', T0, 'free'),
    event('1', T0 + MINUTE, 'free'),
    // Upgrading is not a play: the level changes here, before the next NextSong.
    event('1', T0 + 2 * MINUTE, 'paid', 'Upgrade'),
    event('1', T0 + 3 * MINUTE, 'paid'),
    event('2', T0, 'free'),
    // Two events at one ts: the later line (paid) decides the level at that instant.
    event('2', T0 + 5 * MINUTE, 'free', 'Home', 1),
    event('2', T0 + 5 * MINUTE, 'paid', 'Home', 2),
    // User 3 has an event at one ts in each file: the later file decides, though its line comes first.
    event('3', T0 + 20 * MINUTE, 'free', 'Home'),
  ];
  // A later file, listed after the first: user 1's downgrade, and an event without a user (logged out).
  const second = [
    event('3', T0 + 20 * MINUTE, 'paid', 'Home'),
    event('1', T0 + 10 * MINUTE, 'free', 'Downgrade'),
    event('', T0 + 11 * MINUTE, 'free', 'Home'),
  ];
  writeFileSync(join(root, 'log_data', '2018-11-01-events.json'), `${first.join('\n')}\n`);
  writeFileSync(join(root, 'log_data', '2018-11-02-events.json'), `${second.join('\n')}\n`);
  return root;
}

for (const target of testWarehouses()) {
  describe(`user_levels on ${target.name}`, () => {
    let rows: Record<string, unknown>[];
    let warehouse: string;

    let source: string;

    beforeAll(async () => {
      source = writeSource();
      warehouse = target.fresh();
      await run({ options: { source, warehouse }, env: {}, cwd: source });
      rows = await query('SELECT user_id, level, valid_from, valid_to, is_current FROM user_levels ORDER BY user_id, valid_from', {
        options: { warehouse },
        env: {},
      });
    });

    it('follows free -> paid -> free from every page, with validity from the events themselves', () => {
      expect(rows.filter((row) => row.user_id === 1)).toEqual([
        { user_id: 1, level: 'free', valid_from: iso(T0), valid_to: iso(T0 + 2 * MINUTE), is_current: false },
        { user_id: 1, level: 'paid', valid_from: iso(T0 + 2 * MINUTE), valid_to: iso(T0 + 10 * MINUTE), is_current: false },
        { user_id: 1, level: 'free', valid_from: iso(T0 + 10 * MINUTE), valid_to: null, is_current: true },
      ]);
    });

    it('lets the last event in file order decide two events at one ts, leaving no zero-length period', () => {
      expect(rows.filter((row) => row.user_id === 2)).toEqual([
        { user_id: 2, level: 'free', valid_from: iso(T0), valid_to: iso(T0 + 5 * MINUTE), is_current: false },
        { user_id: 2, level: 'paid', valid_from: iso(T0 + 5 * MINUTE), valid_to: null, is_current: true },
      ]);
    });

    it('lets the later file decide two events at one ts in two files, whatever their line numbers', () => {
      expect(rows.filter((row) => row.user_id === 3)).toEqual([
        { user_id: 3, level: 'paid', valid_from: iso(T0 + 20 * MINUTE), valid_to: null, is_current: true },
      ]);
    });

    it('has exactly one current row per user, and periods that meet end to start', async () => {
      const ask = (sql: string) => query(sql, { options: { warehouse }, env: {} });
      expect(await ask('SELECT user_id, COUNT(*) AS n FROM user_levels WHERE is_current GROUP BY user_id ORDER BY user_id')).toEqual([
        { user_id: 1, n: 1 },
        { user_id: 2, n: 1 },
        { user_id: 3, n: 1 },
      ]);
      for (const user of [1, 2, 3]) {
        const periods = rows.filter((row) => row.user_id === user);
        for (let i = 1; i < periods.length; i++) expect(periods[i]!.valid_from).toBe(periods[i - 1]!.valid_to);
      }
    });

    it('is rebuilt from staging by a full refresh with the same rows', async () => {
      await run({ options: { source, warehouse }, fullRefresh: true, env: {}, cwd: source });
      const again = await query('SELECT user_id, level, valid_from, valid_to, is_current FROM user_levels ORDER BY user_id, valid_from', {
        options: { warehouse },
        env: {},
      });
      expect(again).toEqual(rows);
    });
  });
}
