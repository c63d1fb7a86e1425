/**
 * The hand-written tiny fixture: every rule of the star schema, checked row by row.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/pipeline/run.js';
import { expectedSongplayIds } from '../support/songplay-id.js';
import { snapshotStar } from '../support/star-snapshot.js';
import { testWarehouses } from '../support/test-warehouses.js';

const TINY = new URL('../fixtures/tiny', import.meta.url).pathname;

for (const target of testWarehouses()) {
  describe(`tiny fixture on ${target.name}`, () => {
    let star: Awaited<ReturnType<typeof snapshotStar>>;

    beforeAll(async () => {
      const warehouse = target.fresh();
      await run({ options: { source: TINY, warehouse }, env: {}, cwd: TINY });
      star = await snapshotStar(warehouse);
    });

    it('keeps every NextSong event, matching on title, artist name and duration only when all three are equal', () => {
      const plays = star.songplays!.map((row) => [row.start_time, row.user_id, row.level, row.song_id]);
      expect(plays.sort((a, b) => `${a[0]}${a[1]}`.localeCompare(`${b[0]}${b[1]}`))).toEqual([
        ['2018-11-02T01:29:36.796Z', 2, 'free', 'SOCIWDW12A8C13D406'],
        ['2018-11-02T01:30:41.796Z', 2, 'free', null],
        ['2018-11-02T02:20:00.796Z', 2, 'paid', 'SOIAZJW12AB01853F1'],
        ['2018-11-02T02:20:00.796Z', 8, 'free', 'SOIAZJW12AB01853F1'],
        // "I Didn\u0019t Mean To" is not "I Didn't Mean To": the match is exact.
        ['2018-11-03T00:46:40.796Z', 8, 'free', null],
        ['2018-11-03T00:48:20.796Z', 8, 'free', 'SOMZWCG12A8C13C480'],
      ]);
    });

    it('derives each songplay_id from the play itself (time, user, session, item, file name, line), as DATA.md says', () => {
      const ids = star.songplays!.map((row) => String(row.songplay_id)).sort();
      expect(ids).toEqual(expectedSongplayIds(join(TINY, 'log_data')));
    });

    it('takes each user as of their latest NextSong event', () => {
      expect(star.users).toEqual([
        { user_id: 2, first_name: 'Jizelle', last_name: 'Benjamin', gender: 'F', level: 'paid' },
        { user_id: 8, first_name: 'Kaylee', last_name: 'Summers', gender: 'F', level: 'free' },
      ]);
    });

    it('keeps the most complete record of an artist seen with two spellings', () => {
      expect(star.artists!.find((row) => row.artist_id === 'ARMJAGH1187FB546F3')).toEqual({
        artist_id: 'ARMJAGH1187FB546F3',
        name: 'The Box Tops',
        location: 'Memphis, TN',
        latitude: 35.14968,
        longitude: -90.04892,
      });
      expect(star.songs).toHaveLength(4);
    });

    it('has one time row per distinct start time', () => {
      expect(star.time!.map((row) => row.start_time)).toEqual([
        '2018-11-02T01:29:36.796Z',
        '2018-11-02T01:30:41.796Z',
        '2018-11-02T02:20:00.796Z',
        '2018-11-03T00:46:40.796Z',
        '2018-11-03T00:48:20.796Z',
      ]);
      expect(star.time![0]).toMatchObject({ hour: 1, day: 2, week: 44, month: 11, year: 2018, weekday: 5 });
    });
  });
}
