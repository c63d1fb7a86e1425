/**
 * The contract of incremental loads (issue 12): any sequence of runs over a source that grows, changes files
 * and is re-run with nothing new gives the same star tables, user_levels and load_errors, row for row
 * (songplay_id included), as one `--full-refresh` run of the final source. Checked as a property with
 * fast-check over random sequences of steps on generated data, on DuckDB and on the real PostgreSQL server;
 * and as a fixed case on the public sample: three batches, one log file edited, a no-op run.
 *
 * Raise the number of sequences with INCREMENTAL_RUNS (default 4 per warehouse); a failure prints
 * fast-check's seed and path, which `fc.assert(..., { seed, path })` replays.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/generator/generate.js';
import { query } from '../../src/pipeline/query.js';
import { run } from '../../src/pipeline/run.js';
import { snapshotLoadErrors, snapshotStar } from '../support/star-snapshot.js';
import { tempFolder, testWarehouses } from '../support/test-warehouses.js';

const SAMPLE = new URL('../../../shared/data/sparkify-sample', import.meta.url).pathname;
const RUNS = Number(process.env.INCREMENTAL_RUNS ?? 4);

/** Every file below `folder`, relative, sorted. */
function filesBelow(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return (readdirSync(folder, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)))
    .sort();
}

/** Copies `file` (relative) from the pool into the source. */
function copyIn(pool: string, source: string, file: string): void {
  mkdirSync(dirname(join(source, file)), { recursive: true });
  cpSync(join(pool, file), join(source, file));
}

/** Rewrites a file of the source, and moves its mtime on so the ledger's change token always changes. */
function rewrite(source: string, file: string, change: (text: string) => string): void {
  const path = join(source, file);
  writeFileSync(path, change(readFileSync(path, 'utf8')));
  const later = new Date(Date.now() + 2000);
  utimesSync(path, later, later);
}

/** What the tables hold, for comparing two warehouses. */
async function tablesOf(warehouse: string) {
  return { star: await snapshotStar(warehouse), errors: await snapshotLoadErrors(warehouse) };
}

async function load(warehouse: string, source: string, fullRefresh = false) {
  return run({ options: { source, warehouse, maxErrors: 1_000_000 }, fullRefresh, env: {}, cwd: source });
}

// One step between runs: grow the logs or the catalogue, change a log or song file, or nothing.
type Step =
  | { kind: 'add-logs'; count: number }
  | { kind: 'add-songs'; count: number }
  | { kind: 'edit-log'; pick: number; line: number; edit: 'level' | 'drop' | 'damage' | 'duplicate' }
  | { kind: 'edit-song'; pick: number; edit: 'duration' | 'title' }
  | { kind: 'nothing' };

const STEP: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('add-logs' as const), count: fc.integer({ min: 1, max: 2 }) }),
  fc.record({ kind: fc.constant('add-songs' as const), count: fc.integer({ min: 5, max: 40 }) }),
  fc.record({
    kind: fc.constant('edit-log' as const),
    pick: fc.nat(),
    line: fc.nat(),
    edit: fc.constantFrom('level' as const, 'drop' as const, 'damage' as const, 'duplicate' as const),
  }),
  fc.record({ kind: fc.constant('edit-song' as const), pick: fc.nat(), edit: fc.constantFrom('duration' as const, 'title' as const) }),
  fc.constant({ kind: 'nothing' as const }),
);

/** Applies `step` to `source`, taking new files from `pool` in order. */
function apply(step: Step, pool: string, source: string): void {
  const have = new Set(filesBelow(source));
  const missing = (area: string) => filesBelow(pool).filter((file) => file.startsWith(area) && !have.has(file));
  const present = (area: string) => [...have].filter((file) => file.startsWith(area));
  switch (step.kind) {
    case 'add-logs':
      for (const file of missing('log_data').slice(0, step.count)) copyIn(pool, source, file);
      return;
    case 'add-songs':
      for (const file of missing('song_data').slice(0, step.count)) copyIn(pool, source, file);
      return;
    case 'edit-log': {
      const logs = present('log_data');
      if (logs.length === 0) return;
      rewrite(source, logs[step.pick % logs.length]!, (text) => {
        const lines = text.split('\n');
        const at = step.line % Math.max(1, lines.length - 1);
        const line = lines[at] ?? '';
        if (step.edit === 'level')
          lines[at] = line.includes('"free"') ? line.replace('"free"', '"paid"') : line.replace('"paid"', '"free"');
        if (step.edit === 'drop') lines.splice(at, 1);
        if (step.edit === 'damage') lines[at] = line.slice(0, Math.floor(line.length / 2));
        if (step.edit === 'duplicate') lines.splice(at, 0, line);
        return lines.join('\n');
      });
      return;
    }
    case 'edit-song': {
      const songs = present('song_data');
      if (songs.length === 0) return;
      rewrite(source, songs[step.pick % songs.length]!, (text) =>
        step.edit === 'duration'
          ? text.replace(/"duration":\s*([0-9.]+)/, (_, value: string) => `"duration": ${Number(value) + 1.5}`)
          : text.replace(/"title":\s*"/, '"title": "Retitled '),
      );
      return;
    }
    case 'nothing':
      return;
  }
}

for (const target of testWarehouses()) {
  describe(`the incremental contract on ${target.name}`, () => {
    let pool: string;

    beforeAll(async () => {
      pool = join(tempFolder('sparkify-pool-'), 'data');
      // Small, with the real files' quirks and a few damaged records, and plays that match catalogue songs.
      await generate({ out: pool, songs: 120, events: 3000, days: 8, seed: 11, damage: 0.01 });
    }, 120_000);

    it('any sequence of runs equals one full refresh of the final source', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(STEP, { minLength: 1, maxLength: 5 }), async (steps) => {
          const source = join(tempFolder('sparkify-growing-'), 'data');
          mkdirSync(source, { recursive: true });
          copyIn(pool, source, filesBelow(pool).find((file) => file.startsWith('log_data'))!);
          for (const file of filesBelow(pool)
            .filter((name) => name.startsWith('song_data'))
            .slice(0, 30))
            copyIn(pool, source, file);
          const warehouse = target.fresh();
          await load(warehouse, source);
          for (const step of steps) {
            apply(step, pool, source);
            await load(warehouse, source);
          }
          const full = target.fresh();
          await load(full, source, true);
          expect(await tablesOf(warehouse)).toEqual(await tablesOf(full));
          rmSync(dirname(source), { recursive: true, force: true });
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
    }, 600_000);
  });

  describe.skipIf(!existsSync(SAMPLE))(
    `the public sample in three batches, one log edited, then a no-op, on ${target.name}${existsSync(SAMPLE) ? '' : ' (SKIPPED: ../shared/data/sparkify-sample is absent)'}`,
    () => {
      it('gives the tables of one full load, keeps every songplay_id, and the no-op changes nothing', async () => {
        const source = join(tempFolder('sparkify-batches-'), 'data');
        const logs = filesBelow(SAMPLE).filter((file) => file.startsWith('log_data'));
        const songs = filesBelow(SAMPLE).filter((file) => file.startsWith('song_data'));
        const warehouse = target.fresh();
        const batches = [
          [...songs.slice(0, 30), ...logs.slice(0, 10)],
          [...songs.slice(30, 50), ...logs.slice(10, 20)],
          [...songs.slice(50), ...logs.slice(20)],
        ];
        const idsBefore: string[][] = [];
        for (const batch of batches) {
          for (const file of batch) copyIn(SAMPLE, source, file);
          const summary = await load(warehouse, source);
          expect(summary.published).toBe(true);
          idsBefore.push(
            (await query('SELECT songplay_id FROM songplays', { options: { warehouse }, env: {} })).map((row) => String(row.songplay_id)),
          );
        }
        // A play keeps its id: every id of an earlier batch is still there after the later ones.
        const last = new Set(idsBefore.at(-1));
        for (const ids of idsBefore) for (const id of ids) expect(last.has(id)).toBe(true);
        expect(idsBefore.at(-1)).toHaveLength(6820);

        rewrite(source, logs[5]!, (text) => text.replace('"level":"free"', '"level":"paid"'));
        const edited = await load(warehouse, source);
        expect(edited.events.files).toEqual({ new: 0, changed: 1, unchanged: 29, removed: 0 });
        expect(edited.songs.files).toEqual({ new: 0, changed: 0, unchanged: 71, removed: 0 });

        const before = await tablesOf(warehouse);
        const noop = await load(warehouse, source);
        expect(noop.published).toBe(false);
        expect(noop.nothingNewSince?.runId).toBe(edited.runId);
        expect(await tablesOf(warehouse)).toEqual(before);
        const runs = await query('SELECT status FROM sparkify_runs ORDER BY run_id', { options: { warehouse }, env: {} });
        expect(runs.map((row) => row.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded', 'no-op']);

        const full = target.fresh();
        await load(full, source, true);
        expect(await tablesOf(warehouse)).toEqual(await tablesOf(full));
        const [counts] = await query('SELECT COUNT(*) AS plays, COUNT(song_id) AS matched FROM songplays', {
          options: { warehouse },
          env: {},
        });
        expect(counts).toEqual({ plays: 6820, matched: 1 });
      }, 300_000);
    },
  );
}

for (const target of testWarehouses()) {
  describe.skipIf(!existsSync(SAMPLE))(
    `backfill by the date in the path on ${target.name}${existsSync(SAMPLE) ? '' : ' (SKIPPED: ../shared/data/sparkify-sample is absent)'}`,
    () => {
      it('reloads only the days asked for, twice with the same tables, equal to a full refresh', async () => {
        const warehouse = target.fresh();
        await load(warehouse, SAMPLE);
        const backfill = { from: '2018-11-05', to: '2018-11-06' };
        const first = await run({ options: { source: SAMPLE, warehouse }, backfill, env: {}, cwd: SAMPLE });
        expect(first.mode).toBe('backfill');
        expect(first.events.filesRead).toBe(2);
        expect(first.songs.filesRead).toBe(0);
        // The events row counts the two days only (the sample holds 30), and the summary says so.
        expect(totalFiles(first.events.files)).toBe(2);
        expect(first.notes).toContain(
          'backfill: the events row counts only the log files dated from 2018-11-05 to 2018-11-06; the others were not compared and stay as they are',
        );
        const once = await tablesOf(warehouse);
        await run({ options: { source: SAMPLE, warehouse }, backfill, env: {}, cwd: SAMPLE });
        expect(await tablesOf(warehouse)).toEqual(once);
        const full = target.fresh();
        await load(full, SAMPLE, true);
        expect(once).toEqual(await tablesOf(full));
      }, 120_000);
    },
  );
}

function totalFiles(files: { new: number; changed: number; unchanged: number; removed: number }): number {
  return files.new + files.changed + files.unchanged + files.removed;
}
