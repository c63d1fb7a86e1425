/**
 * A rebuild the user did not ask for (a change of --match, or of the record checks after an upgrade) reads
 * every file again but keeps what files removed from the source left, as every incremental run does: its
 * tables equal those of one load of every file ever loaded, under today's settings. Before, such a run
 * rebuilt from the source as it is now, dropping the plays of the removed files while its summary said
 * they stayed. On DuckDB and on the real PostgreSQL server.
 */
import { cpSync, type Dirent, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TooManyRejectsError } from '../../src/errors.js';
import { generate } from '../../src/generator/generate.js';
import { query } from '../../src/pipeline/query.js';
import { run } from '../../src/pipeline/run.js';
import { RECORD_RULES_VERSION } from '../../src/records/field-spec.js';
import { openWarehouse } from '../../src/warehouses/open-warehouse.js';
import { parseWarehouseTarget } from '../../src/warehouses/warehouse-target.js';
import { snapshotLoadErrors, snapshotStar } from '../support/star-snapshot.js';
import { tempFolder, testWarehouses } from '../support/test-warehouses.js';

let pool: string;
// Two days of logs and two song files, taken out of the source after its first load.
let removed: string[];

beforeAll(async () => {
  pool = join(tempFolder(), 'pool');
  // Damage, so load_errors has rows of the removed files too.
  await generate({ out: pool, songs: 300, events: 3_000, days: 5, seed: 12, damage: 0.02, force: true });
  const songs = (readdirSync(join(pool, 'song_data'), { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => relative(pool, join(entry.parentPath, entry.name)))
    .sort();
  removed = ['log_data/2018/11/2018-11-02-events.json', 'log_data/2018/11/2018-11-04-events.json', ...songs.slice(0, 2)];
});

/** A source of every pool file, loaded once, then with REMOVED taken out and loaded again. */
async function withRemovedFiles(warehouse: string): Promise<string> {
  const source = join(tempFolder(), 'source');
  cpSync(pool, source, { recursive: true });
  await run({ options: { maxErrors: 10_000, source, warehouse }, env: {}, cwd: source });
  for (const file of removed) rmSync(join(source, file));
  const kept = await run({ options: { maxErrors: 10_000, source, warehouse }, env: {}, cwd: source });
  expect(kept.songs.files.removed + kept.events.files.removed).toBe(4);
  return source;
}

const ledgerOf = (warehouse: string) =>
  query('SELECT source_file, run_id FROM sparkify_files ORDER BY source_file', { options: { warehouse }, env: {} });

for (const target of testWarehouses()) {
  describe(`a forced rebuild on ${target.name}`, () => {
    it('after a change of --match keeps the records of removed files: the tables of every file loaded, matched anew', async () => {
      const warehouse = target.fresh();
      const source = await withRemovedFiles(warehouse);
      const rebuilt = await run({ options: { maxErrors: 10_000, source, warehouse, match: 'normalized' }, env: {}, cwd: source });
      expect(rebuilt.published).toBe(true);
      const removedFiles = rebuilt.songs.files.removed + rebuilt.events.files.removed;
      expect(removedFiles).toBe(4);
      expect(rebuilt.notes).toContain(
        `every file was read again: the match mode changed since run 1 (exact, now normalized), so every play looked for its song again; ` +
          `the records of the ${removedFiles} file(s) no longer in the source stay, as they were staged`,
      );

      const everyFile = target.fresh();
      await run({ options: { maxErrors: 10_000, source: pool, warehouse: everyFile, match: 'normalized' }, env: {}, cwd: pool });
      // The paths differ between the two sources; the rows do not.
      const strip = (rows: Record<string, unknown>[]) =>
        rows.map((row) => ({ ...row, source_file: String(row.source_file).replace(source, '').replace(pool, '') }));
      expect(await snapshotStar(warehouse)).toEqual(await snapshotStar(everyFile));
      expect(strip(await snapshotLoadErrors(warehouse))).toEqual(strip(await snapshotLoadErrors(everyFile)));
      // The removed files' ledger rows stay as the run that loaded them wrote them.
      const ledger = await ledgerOf(warehouse);
      for (const file of removed) expect(ledger).toContainEqual({ source_file: join(source, file), run_id: 1 });
      expect(rebuilt.checks?.blocking).toBe(false);
    });
  });
}

describe('a forced rebuild stopped by --max-errors', () => {
  it('says why it read every file, so the rejects of files loaded long ago are no surprise', async () => {
    const warehouse = `duckdb:${join(tempFolder(), 'rejects.duckdb')}`;
    const source = await withRemovedFiles(warehouse);
    const error = await run({ options: { source, warehouse, match: 'normalized' }, env: {}, cwd: source }).catch(
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(TooManyRejectsError);
    expect((error as Error).message).toMatch(
      /more than --max-errors 0; .* Note: every file was read again: the match mode changed since run 1 \(exact, now normalized\)/,
    );
  });
});

describe('a forced rebuild after an upgrade of the record checks', () => {
  it('keeps the records of removed files too', async () => {
    const warehouse = `duckdb:${join(tempFolder(), 'rules.duckdb')}`;
    const source = await withRemovedFiles(warehouse);
    // As an older sparkify left it: its runs recorded no rules version.
    const opened = await openWarehouse(parseWarehouseTarget(warehouse, 'test'));
    try {
      await opened.execute(`UPDATE sparkify_runs SET settings = replace(settings, '"recordRules":${RECORD_RULES_VERSION},', '')`);
    } finally {
      await opened.close();
    }
    // Asked for one day only: the rebuild reads every day all the same, since each was staged by the old rules.
    const upgraded = await run({
      options: { maxErrors: 10_000, source, warehouse },
      env: {},
      cwd: source,
      backfill: { from: '2018-11-03', to: '2018-11-03' },
    });
    expect(upgraded.events.filesRead).toBe(3);
    expect(
      upgraded.notes.find((note) =>
        note.startsWith('every file was read again (every day, not only those of --from/--to): the record checks changed'),
      ),
    ).toMatch(/; the records of the \d+ file\(s\) no longer in the source stay, as they were staged$/);
    // Not also the backfill's note, which would say the opposite: only one day's files were counted.
    expect(upgraded.notes.filter((note) => note.startsWith('backfill:'))).toEqual([]);
    const everyFile = `duckdb:${join(tempFolder(), 'every.duckdb')}`;
    await run({ options: { maxErrors: 10_000, source: pool, warehouse: everyFile }, env: {}, cwd: pool });
    expect(await snapshotStar(warehouse)).toEqual(await snapshotStar(everyFile));
  });
});
