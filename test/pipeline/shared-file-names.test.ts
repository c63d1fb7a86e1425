/**
 * Log files that share a name get the same songplay_ids for the same plays: a run says which, and what to
 * do, in a note and in the error of the key check they fail. Moved (every file new under another folder,
 * the old ones removed) and copied (a second file of one name beside the first), on DuckDB.
 */
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QualityCheckError } from '../../src/errors.js';
import { run } from '../../src/pipeline/run.js';
import { SharedFileNames, sharedFileNamesNote } from '../../src/pipeline/shared-file-names.js';
import { tempFolder } from '../support/test-warehouses.js';

const TINY = new URL('../fixtures/tiny', import.meta.url).pathname;

describe('SharedFileNames', () => {
  it('finds a loaded file named as a removed one or as another listed one, and nothing else', () => {
    const names = new SharedFileNames();
    names.listed('new/2018-11-01-events.json', true);
    names.listed('new/2018-11-02-events.json', false);
    names.listed('new/backup/2018-11-02-events.json', true);
    names.listed('new/2018-11-03-events.json', false);
    names.removed('old/2018-11-01-events.json');
    // Neither file of this name is loaded by the run: their ids were checked when they were.
    names.removed('old/2018-11-03-events.json');
    names.removed('old/2018-11-04-events.json');
    expect(names.found).toEqual([
      { file: 'new/backup/2018-11-02-events.json', other: 'new/2018-11-02-events.json', otherRemoved: false },
      { file: 'new/2018-11-01-events.json', other: 'old/2018-11-01-events.json', otherRemoved: true },
    ]);
    const note = sharedFileNamesNote(names.found)!;
    expect(note).toMatch(/^2 log files this run loads have the name of another log file: /);
    expect(note).toContain('new/2018-11-01-events.json and old/2018-11-01-events.json (loaded before, no longer in the source)');
    expect(note).toContain('run with --full-refresh');
    expect(note).toContain('remove the copy');
    expect(sharedFileNamesNote([])).toBeUndefined();
  });
});

describe('a run over log files that share a name', () => {
  it('says the source moved, in the key check’s error, and --full-refresh then publishes', async () => {
    const root = tempFolder();
    const warehouse = `duckdb:${join(root, 'moved.duckdb')}`;
    const before = join(root, 'before');
    const after = join(root, 'after');
    cpSync(TINY, before, { recursive: true });
    await run({ options: { source: before, warehouse }, env: {}, cwd: root });
    cpSync(before, after, { recursive: true });

    const moved = run({ options: { source: after, warehouse }, env: {}, cwd: root });
    await expect(moved).rejects.toBeInstanceOf(QualityCheckError);
    const message = ((await moved.catch((error: unknown) => error)) as Error).message;
    expect(message).toContain('songplays_primary_key');
    expect(message).toContain(
      `${join(after, 'log_data/2018/11/2018-11-01-events.json')} and ${join(before, 'log_data/2018/11/2018-11-01-events.json')} (loaded before, no longer in the source)`,
    );
    expect(message).toContain('if the source moved, run with --full-refresh');
    expect(message).not.toContain('remove the copy');

    const refreshed = await run({ options: { source: after, warehouse }, env: {}, cwd: root, fullRefresh: true });
    expect(refreshed.published).toBe(true);
    expect(refreshed.notes.join('\n')).not.toContain('the name of another log file');
  });

  it('says which file is a copy, in the note of a run that publishes and in the error of one that cannot', async () => {
    const root = tempFolder();
    const source = join(root, 'source');
    cpSync(TINY, source, { recursive: true });
    mkdirSync(join(source, 'log_data/backup'));
    // Only the records' file names matter: a copy holding other plays publishes, with the note.
    const original = join(source, 'log_data/2018/11/2018-11-02-events.json');
    const copy = join(source, 'log_data/backup/2018-11-02-events.json');
    cpSync(join(source, 'log_data/2018/11/2018-11-01-events.json'), copy);
    const warehouse = `duckdb:${join(root, 'copies.duckdb')}`;
    const published = await run({ options: { source, warehouse }, env: {}, cwd: root });
    expect(published.published).toBe(true);
    expect(published.notes).toContainEqual(expect.stringContaining(`${copy} and ${original}.`));
    expect(published.notes).toContainEqual(expect.stringContaining('if a file was copied, remove the copy'));

    // A true copy: the same plays at the same lines of a file of the same name.
    cpSync(original, copy);
    const refused = run({ options: { source, warehouse }, env: {}, cwd: root });
    const message = ((await refused.catch((error: unknown) => error)) as Error).message;
    expect(message).toContain('songplays_primary_key (error)');
    expect(message).toContain(`1 log file this run loads has the name of another log file: ${copy} and ${original}.`);
    expect(message).toContain('if a file was copied, remove the copy');
  });
});
