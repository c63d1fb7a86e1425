/**
 * A day delivered again under another name: its plays get new songplay_ids and pass every check, so an
 * incremental run says which files repeat which plays. On DuckDB and on the real PostgreSQL server.
 */
import { appendFileSync, cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/pipeline/run.js';
import { tempFolder, testWarehouses } from '../support/test-warehouses.js';

const TINY = new URL('../fixtures/tiny', import.meta.url).pathname;

for (const target of testWarehouses()) {
  describe(`repeated plays on ${target.name}`, () => {
    it('names a new file that repeats plays of a file loaded before, and not a file replaced by a longer one', async () => {
      const source = join(tempFolder(), 'source');
      cpSync(TINY, source, { recursive: true });
      const warehouse = target.fresh();
      await run({ options: { source, warehouse }, env: {}, cwd: source });
      const first = join(source, 'log_data/2018/11/2018-11-01-events.json');
      const again = join(source, 'log_data/2018/11/2018-11-09-events.json');
      cpSync(first, again);
      const plays = readFileSync(first, 'utf8')
        .split('\n')
        .filter((line) => line.includes('"NextSong"')).length;

      const summary = await run({ options: { source, warehouse }, env: {}, cwd: source });
      expect(summary.published).toBe(true);
      expect(summary.notes).toContain(
        `${plays} play(s) of this run's log files repeat plays loaded before from other files (same ts, userId, sessionId ` +
          `and itemInSession), so they are counted twice: ${again} repeats ${plays} of ${first}; if a day was delivered ` +
          'again under another name, remove one of the files and run with --full-refresh',
      );

      // As the note says: one of the files removed, then a full refresh. A file that grows after that is
      // replaced, its earlier records are not taken for repeats.
      rmSync(again);
      await run({ options: { source, warehouse }, env: {}, cwd: source, fullRefresh: true });
      const grown = join(source, 'log_data/2018/11/2018-11-02-events.json');
      appendFileSync(grown, readFileSync(grown, 'utf8'));
      const next = await run({ options: { source, warehouse }, env: {}, cwd: source });
      expect(next.events.files.changed).toBe(1);
      expect(next.notes.join('\n')).not.toContain('repeat plays');
    });
  });
}
