/**
 * The incremental options and `sparkify runs` on the command line: a bad --from/--to day is one line with
 * exit 2; `runs` lists the runs newest first, as text and JSON.
 */
import { cpSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../support/test-warehouses.js';
import { sparkify } from './run-cli.js';

const TINY = new URL('../fixtures/tiny', import.meta.url).pathname;

describe('incremental runs on the command line', () => {
  it('refuses a day that is not YYYY-MM-DD, and --from after --to, naming the flag', () => {
    const bad = sparkify(['run', '--source', TINY, '--from', '2018-11-1'], tempFolder());
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe('sparkify: --from: expected a real day as YYYY-MM-DD, got "2018-11-1"');
    // A day the calendar does not have is refused too, not rolled over into the next month.
    for (const [flag, day] of [
      ['--from', '2018-11-31'],
      ['--to', '2018-02-29'],
    ]) {
      const impossible = sparkify(['run', '--source', TINY, flag!, day!], tempFolder());
      expect(impossible.status).toBe(2);
      expect(impossible.stderr.trim()).toBe(`sparkify: ${flag}: expected a real day as YYYY-MM-DD, got "${day}"`);
    }
    // Days that hold no log file load nothing, and the summary says so.
    const empty = sparkify(['run', '--source', TINY, '--from', '2019-01-01'], tempFolder());
    expect(empty.status).toBe(0);
    expect(empty.stdout).toContain(
      'note: no log file of the source is dated from 2019-01-01 on (the date in its path, log_data/YYYY/MM/YYYY-MM-DD-events.json)',
    );
    const reversed = sparkify(['run', '--source', TINY, '--from', '2018-11-03', '--to', '2018-11-01'], tempFolder());
    expect(reversed.status).toBe(2);
    expect(reversed.stderr).toContain('--from 2018-11-03 is after --to 2018-11-01');
  });

  it('says a removed file keeps its records, and that a full refresh dropped them; the headline names the first load', () => {
    const cwd = tempFolder();
    const source = join(cwd, 'source');
    cpSync(TINY, source, { recursive: true });
    const secondDay = 'log_data/2018/11/2018-11-02-events.json';
    rmSync(join(source, secondDay));
    // An empty ledger: every file was read, which "incremental" would not say; the next day is incremental.
    expect(sparkify(['run', '--source', source], cwd).stdout).toMatch(/^Run 1 \(first load\) loaded the source into /);
    cpSync(join(TINY, secondDay), join(source, secondDay));
    expect(sparkify(['run', '--source', source], cwd).stdout).toMatch(/^Run 2 \(incremental\) loaded the source into /);
    rmSync(join(source, secondDay));
    const kept = sparkify(['run', '--source', source], cwd);
    expect(kept.stdout).toContain(
      'files removed from the source since they were loaded: 1; their records stay until `sparkify run --full-refresh`',
    );
    const refreshed = sparkify(['run', '--source', source, '--full-refresh'], cwd);
    expect(refreshed.status).toBe(0);
    expect(refreshed.stdout).toMatch(/^Run 4 \(full-refresh\) loaded the source into /);
    expect(refreshed.stdout).toContain('files removed from the source since they were loaded: 1; this full refresh dropped their records');
  });

  it('lists the runs with sparkify runs, newest first, after a load and a no-op', () => {
    const cwd = tempFolder();
    expect(sparkify(['run', '--source', TINY], cwd).status).toBe(0);
    // The ledger holds each file's size and change token as its staging worker opened it: what a stat says.
    const ledger = JSON.parse(sparkify(['query', '--json', 'SELECT source_file, size, change_token FROM sparkify_files'], cwd).stdout) as {
      source_file: string;
      size: number;
      change_token: string;
    }[];
    expect(ledger.length).toBeGreaterThan(2);
    for (const row of ledger) {
      const { size, mtimeMs } = statSync(row.source_file);
      expect(row, row.source_file).toEqual({ source_file: row.source_file, size, change_token: `${size}:${Math.trunc(mtimeMs)}` });
    }
    const noop = sparkify(['run', '--source', TINY], cwd);
    expect(noop.stdout).toMatch(/^Run 2: nothing new since run 1 \(/);
    const runs = JSON.parse(sparkify(['runs', '--json'], cwd).stdout) as { run_id: number; status: string; event_files_new: number }[];
    expect(runs.map((row) => [row.run_id, row.status, row.event_files_new])).toEqual([
      [2, 'no-op', 0],
      [1, 'succeeded', 2],
    ]);
    expect(sparkify(['runs', '--limit', '1'], cwd).stdout).toMatch(/no-op/);
    expect(sparkify(['runs', '--limit', '0'], cwd).status).toBe(2);
  });
});
