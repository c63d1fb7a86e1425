/**
 * Log files that share a name get the same songplay_ids for the same plays: a run says which, and what to
 * do, in a note when it publishes and in the error of the key check when they fail it. Moved (every file new
 * under another folder, the old ones removed) and copied (a second file of one name beside the first).
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QualityCheckError } from '../../src/errors.js';
import { run } from '../../src/pipeline/run.js';
import { SharedFileNames, sharedFileNamesNote } from '../../src/pipeline/shared-file-names.js';
import { tempFolder } from '../support/test-warehouses.js';

const TINY = new URL('../fixtures/tiny', import.meta.url).pathname;

describe('SharedFileNames', () => {
  it('pairs each loaded file with every other of its name, listed or removed, and nothing else', () => {
    const names = new SharedFileNames();
    names.listed('s3://b/new/2018-11-01-events.json', true);
    names.listed('s3://b/new/2018-11-02-events.json', false);
    names.listed('s3://b/new/backup/2018-11-02-events.json', true);
    names.listed('s3://b/new/2018-11-03-events.json', false);
    names.listed('s3://b/new/late/2018-11-03-events.json', false);
    names.removed('s3://b/old/2018-11-01-events.json');
    // The first listed file of this name is unchanged, a later one is loaded: the removed one pairs with it.
    names.removed('s3://b/old/2018-11-02-events.json');
    // No file of this name is loaded by the run: their ids were checked when they were.
    names.removed('s3://b/old/2018-11-03-events.json');
    names.removed('s3://b/old/2018-11-04-events.json');
    expect(names.found).toEqual([
      { file: 's3://b/new/2018-11-01-events.json', other: 's3://b/old/2018-11-01-events.json', otherRemoved: true },
      { file: 's3://b/new/backup/2018-11-02-events.json', other: 's3://b/old/2018-11-02-events.json', otherRemoved: true },
      { file: 's3://b/new/backup/2018-11-02-events.json', other: 's3://b/new/2018-11-02-events.json', otherRemoved: false },
    ]);
  });

  it('counts files, not pairs, and says what the outcome calls for', () => {
    const names = new SharedFileNames();
    names.listed('new/a/2018-11-01-events.json', true);
    names.listed('new/b/2018-11-01-events.json', true);
    names.listed('new/c/2018-11-01-events.json', true);
    names.removed('old/2018-11-01-events.json');
    const refused = sharedFileNamesNote(names.found, 'refused')!;
    expect(refused).toMatch(/^3 log files this run loads have the names of other log files: /);
    expect(refused).toContain(
      'new/a/2018-11-01-events.json has the name of old/2018-11-01-events.json (loaded before, no longer in the source); ' +
        'new/b/2018-11-01-events.json has the name of new/a/2018-11-01-events.json (and 1 more).',
    );
    expect(refused).toContain('which the songplays_primary_key check refuses: if the source moved, run with --full-refresh');
    expect(refused).toMatch(/if a file was copied, remove the copy$/);
    const published = sharedFileNamesNote(names.found.slice(1, 2), 'published')!;
    expect(published).toMatch(/^1 log file this run loaded has the name of another log file: /);
    expect(published).toContain('none did this time');
    expect(published).toMatch(/if a file was copied, remove the copy, then run with --full-refresh to drop its records$/);
    expect(sharedFileNamesNote([], 'published')).toBeUndefined();
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

    const error = await run({ options: { source: after, warehouse }, env: {}, cwd: root }).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(QualityCheckError);
    const { message } = error as Error;
    expect(message).toContain('songplays_primary_key');
    expect(message).toContain(
      `${join(after, 'log_data/2018/11/2018-11-01-events.json')} has the name of ${join(before, 'log_data/2018/11/2018-11-01-events.json')} (loaded before, no longer in the source)`,
    );
    expect(message).toContain('if the source moved, run with --full-refresh');
    expect(message).not.toContain('remove the copy');

    const refreshed = await run({ options: { source: after, warehouse }, env: {}, cwd: root, fullRefresh: true });
    expect(refreshed.published).toBe(true);
    expect(refreshed.notes.join('\n')).not.toContain('the name of another log file');
  });

  it('names a copy in the note of a run that publishes and in the error of one that cannot', async () => {
    const root = tempFolder();
    const source = join(root, 'source');
    cpSync(TINY, source, { recursive: true });
    mkdirSync(join(source, 'log_data/backup'));
    const original = join(source, 'log_data/2018/11/2018-11-02-events.json');
    const copy = join(source, 'log_data/backup/2018-11-02-events.json');
    // Only the file's name counts: a copy holding other plays publishes, with the note.
    cpSync(join(source, 'log_data/2018/11/2018-11-01-events.json'), copy);
    const warehouse = `duckdb:${join(root, 'copies.duckdb')}`;
    const published = await run({ options: { source, warehouse }, env: {}, cwd: root });
    expect(published.published).toBe(true);
    expect(published.notes).toContainEqual(
      expect.stringContaining(`1 log file this run loaded has the name of another log file: ${copy} has the name of ${original}.`),
    );
    expect(published.notes).toContainEqual(expect.stringContaining('none did this time'));

    // A true copy: the same plays at the same lines of a file of the same name.
    cpSync(original, copy);
    const error = await run({ options: { source, warehouse }, env: {}, cwd: root }).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(QualityCheckError);
    const { message } = error as Error;
    expect(message).toContain('songplays_primary_key (error)');
    expect(message).toContain(`1 log file this run loads has the name of another log file: ${copy} has the name of ${original}.`);
    expect(message).toMatch(/if a file was copied, remove the copy\.$/);
  });

  it('leaves the names out of the error of another check that fails', async () => {
    const root = tempFolder();
    const source = join(root, 'source');
    cpSync(TINY, source, { recursive: true });
    mkdirSync(join(source, 'log_data/backup'));
    cpSync(join(source, 'log_data/2018/11/2018-11-01-events.json'), join(source, 'log_data/backup/2018-11-02-events.json'));
    const checks = join(root, 'checks');
    mkdirSync(checks);
    writeFileSync(join(checks, 'no_users.sql'), 'SELECT user_id FROM users');
    const warehouse = `duckdb:${join(root, 'other.duckdb')}`;
    const error = await run({ options: { source, warehouse, checks }, env: {}, cwd: root }).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(QualityCheckError);
    expect((error as Error).message).toContain('no_users (error)');
    expect((error as Error).message).not.toContain('has the name of');
  });
});
