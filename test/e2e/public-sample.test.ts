/**
 * The reference results of DATA.md, on the public sample, on every warehouse.
 */
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/pipeline/query.js';
import { run } from '../../src/pipeline/run.js';
import type { RunSummary } from '../../src/pipeline/run-summary.js';
import { snapshotStar } from '../support/star-snapshot.js';
import { testWarehouses } from '../support/test-warehouses.js';

const SAMPLE = new URL('../../../shared/data/sparkify-sample', import.meta.url).pathname;
const title = existsSync(SAMPLE)
  ? 'public sample reference results'
  : `public sample reference results (SKIPPED: ${SAMPLE} is absent; it sits beside the repository in ../shared)`;

describe.skipIf(!existsSync(SAMPLE))(title, () => {
  for (const target of testWarehouses()) {
    describe(target.name, () => {
      let warehouse: string;
      let summary: RunSummary;
      const ask = (sql: string) => query(sql, { options: { warehouse }, env: {} });

      beforeAll(async () => {
        warehouse = target.fresh();
        summary = await run({ options: { source: SAMPLE, warehouse }, env: {}, cwd: SAMPLE });
      });

      it('stages every event and song, reconciling read = staged + rejected', () => {
        expect(summary.events).toMatchObject({ filesRead: 30, read: 8056, staged: 8056, rejected: 0 });
        expect(summary.songs).toMatchObject({ filesRead: 71, read: 71, staged: 71, rejected: 0 });
      });

      it('builds the star tables with the reference sizes', () => {
        expect(summary.tables).toEqual({ songplays: 6820, users: 96, songs: 71, artists: 69, time: 6813 });
      });

      it('has 6,820 NextSong events in staging', async () => {
        expect(await ask("SELECT COUNT(*) AS n FROM staging_events WHERE page = 'NextSong'")).toEqual([{ n: 6820 }]);
      });

      it('matches exactly one songplay: Setanta matins by Elena', async () => {
        expect(summary.matchedSongplays).toBe(1);
        const rows = await ask(
          'SELECT p.start_time, p.user_id, p.song_id, p.artist_id, s.title, a.name FROM songplays p ' +
            'JOIN songs s ON s.song_id = p.song_id JOIN artists a ON a.artist_id = p.artist_id',
        );
        expect(rows).toEqual([
          {
            start_time: '2018-11-21T21:56:47.796Z',
            user_id: 15,
            song_id: 'SOZCTXZ12AB0182364',
            artist_id: 'AR5KOSW1187FB35FF4',
            title: 'Setanta matins',
            name: 'Elena',
          },
        ]);
      });

      it('gives users the level of their latest NextSong event: 22 paid, 74 free', async () => {
        expect(await ask('SELECT level, COUNT(*) AS n FROM users GROUP BY level ORDER BY level')).toEqual([
          { level: 'free', n: 74 },
          { level: 'paid', n: 22 },
        ]);
      });

      it('breaks time into ISO week and weekday 0 = Sunday, in UTC with milliseconds', async () => {
        // 2018-11-04 was a Sunday in ISO week 44; 2018-11-05 a Monday in week 45.
        const rows = await ask(
          "SELECT start_time, hour, day, week, month, year, weekday FROM time WHERE start_time < TIMESTAMP '2018-11-06' " +
            "AND start_time >= TIMESTAMP '2018-11-04' ORDER BY start_time",
        );
        const sunday = rows.find((row) => String(row.start_time).startsWith('2018-11-04'));
        const monday = rows.find((row) => String(row.start_time).startsWith('2018-11-05'));
        expect(sunday).toMatchObject({ day: 4, week: 44, month: 11, year: 2018, weekday: 0 });
        expect(monday).toMatchObject({ day: 5, week: 45, month: 11, year: 2018, weekday: 1 });
        expect(String(sunday!.start_time)).toMatch(/^2018-11-04T\d\d:\d\d:\d\d\.\d{3}Z$/);
      });

      it('finds the busiest hours in the late afternoon, as the analytics team knows them', async () => {
        const rows = await ask(
          'SELECT t.hour, COUNT(*) AS plays FROM songplays p JOIN time t ON t.start_time = p.start_time GROUP BY t.hour ORDER BY plays DESC LIMIT 3',
        );
        expect(rows.map((row) => row.hour)).toEqual(expect.arrayContaining([16, 17, 18]));
      });

      it('removes the literal quotes around userAgent values', async () => {
        expect(await ask(`SELECT COUNT(*) AS n FROM songplays WHERE user_agent LIKE '"%'`)).toEqual([{ n: 0 }]);
      });

      it('gives identical tables when run again on the same input', async () => {
        const before = await snapshotStar(warehouse);
        const again = await run({ options: { source: SAMPLE, warehouse }, env: {}, cwd: SAMPLE });
        expect(again.tables).toEqual(summary.tables);
        expect(await snapshotStar(warehouse)).toEqual(before);
      });
    });
  }
});
