/**
 * Damaged input: exactly the damaged records are quarantined with file and line, the rest load, and a run
 * over the limit leaves the published star tables exactly as they were.
 */
import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TooManyRejectsError } from '../../src/errors.js';
import { query } from '../../src/pipeline/query.js';
import { run } from '../../src/pipeline/run.js';
import { snapshotLoadErrors, snapshotStar } from '../support/star-snapshot.js';
import { tempFolder, testWarehouses } from '../support/test-warehouses.js';

const TINY = new URL('../fixtures/tiny', import.meta.url).pathname;
const DAY1 = 'log_data/2018/11/2018-11-01-events.json';
const DAY2 = 'log_data/2018/11/2018-11-02-events.json';

/** A copy of the tiny fixture with known damage; returns the folder and the damage expected in load_errors. */
function damagedCopy(): { folder: string; damage: { file: string; line: number; error: RegExp }[] } {
  const folder = tempFolder('sparkify-damaged-');
  cpSync(TINY, folder, { recursive: true });
  const day1 = readFileSync(join(TINY, DAY1), 'utf8').split('\n');
  const good = day1[2]!;
  // Day 1: CRLF line ends and a byte order mark (benign), then a malformed line and a wrong type.
  const damaged = [...day1, '{"page":"NextSong",,"ts":1}', good.replace('"ts":1541122176796', '"ts":"abc"')];
  writeFileSync(join(folder, DAY1), `\uFEFF${damaged.join('\r\n')}`);
  // Day 2: a truncated last line (the file ends mid-record, with no newline).
  appendFileSync(join(folder, DAY2), good.slice(0, 60));
  // An empty log file and a truncated song file.
  writeFileSync(join(folder, 'log_data/2018/11/2018-11-03-events.json'), '');
  writeFileSync(join(folder, 'song_data/A/B/C/TRABCXX128F4200000.json'), '{"num_songs": 1, "artist_id": "ARX", "song_id": "SOX", "ti');
  return {
    folder,
    damage: [
      { file: join(folder, DAY1), line: 9, error: /^invalid JSON/ },
      { file: join(folder, DAY1), line: 10, error: /^field "ts": expected whole epoch milliseconds, got "abc"$/ },
      { file: join(folder, DAY2), line: 4, error: /^invalid JSON/ },
      { file: join(folder, 'song_data/A/B/C/TRABCXX128F4200000.json'), line: 1, error: /cut off/ },
    ],
  };
}

for (const target of testWarehouses()) {
  describe(`damaged input on ${target.name}`, () => {
    let warehouse: string;
    let source: ReturnType<typeof damagedCopy>;

    beforeAll(() => {
      warehouse = target.fresh();
      source = damagedCopy();
    });

    it('quarantines exactly the damaged records with file, line and raw text, and loads the rest', async () => {
      const summary = await run({ options: { source: source.folder, warehouse, maxErrors: 10 }, env: {}, cwd: source.folder });
      expect(summary.events).toMatchObject({ filesRead: 3, read: 14, staged: 11, rejected: 3 });
      expect(summary.songs).toMatchObject({ filesRead: 4, read: 5, staged: 4, rejected: 1 });
      expect(summary.rejected).toBe(4);
      expect(summary.tables).toEqual({ songplays: 6, users: 2, songs: 4, artists: 3, time: 5 });

      const errors = await snapshotLoadErrors(warehouse);
      expect(errors).toHaveLength(source.damage.length);
      const byPlace = (a: { file: string; line: number }) => `${a.file}:${a.line}`;
      const sorted = [...source.damage].sort((a, b) => byPlace(a).localeCompare(byPlace(b)));
      errors.sort((a, b) => `${a.source_file}:${a.line_number}`.localeCompare(`${b.source_file}:${b.line_number}`));
      sorted.forEach((expected, i) => {
        expect(errors[i]).toMatchObject({ source_file: expected.file, line_number: expected.line });
        expect(String(errors[i]!.error)).toMatch(expected.error);
      });
      const raw = errors.map((row) => row.raw_record);
      expect(raw).toContain('{"page":"NextSong",,"ts":1}');
    });

    it('fails a run with more rejects than --max-errors and leaves the published tables as they were', async () => {
      const before = await snapshotStar(warehouse);
      // A full refresh reads every file again, so the same rejects come back and exceed the limit.
      const attempt = run({ options: { source: source.folder, warehouse, maxErrors: 3 }, fullRefresh: true, env: {}, cwd: source.folder });
      await expect(attempt).rejects.toThrow(TooManyRejectsError);
      await expect(attempt).rejects.toThrow(/4 record\(s\) rejected, more than --max-errors 3.*load_errors/);
      expect(await snapshotStar(warehouse)).toEqual(before);
      // The failed run's rejects are still there to inspect.
      expect(await query('SELECT COUNT(*) AS n FROM load_errors', { options: { warehouse }, env: {} })).toEqual([{ n: 4 }]);
      // Its record says what it read and rejected (19 records, 4 rejected), not zeros; the run before it,
      // which published, has the publish among its stages.
      const runs = await query('SELECT status, records_read, records_rejected, seconds FROM sparkify_runs ORDER BY run_id', {
        options: { warehouse },
        env: {},
      });
      expect(runs.map((row) => [row.status, row.records_read, row.records_rejected])).toEqual([
        ['succeeded', 19, 4],
        ['failed', 19, 4],
      ]);
      expect(Object.keys(JSON.parse(String(runs[0]!.seconds)))).toContain('publish');
    });

    it('keeps the previous tables when a clean source is replaced by a damaged one', async () => {
      const clean = target.fresh();
      await run({ options: { source: TINY, warehouse: clean }, env: {}, cwd: TINY });
      const published = await snapshotStar(clean);
      await expect(run({ options: { source: source.folder, warehouse: clean }, env: {}, cwd: TINY })).rejects.toThrow(TooManyRejectsError);
      expect(await snapshotStar(clean)).toEqual(published);
    });
  });
}
