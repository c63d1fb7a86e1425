/**
 * A changed file that holds fewer records than when it was loaded loses the rest from every table (a
 * deleted file would keep them): the run says which files, with their counts then and now. On DuckDB and on
 * the real PostgreSQL server.
 */
import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/pipeline/run.js';
import { tempFolder, testWarehouses } from '../support/test-warehouses.js';

const TINY = new URL('../fixtures/tiny', import.meta.url).pathname;

for (const target of testWarehouses()) {
  describe(`changed files on ${target.name}`, () => {
    it('names a file that shrank, with its records then and now, and not one that grew', async () => {
      const source = join(tempFolder(), 'source');
      cpSync(TINY, source, { recursive: true });
      const warehouse = target.fresh();
      await run({ options: { source, warehouse }, env: {}, cwd: source });
      const shrunk = join(source, 'log_data/2018/11/2018-11-01-events.json');
      const grown = join(source, 'log_data/2018/11/2018-11-02-events.json');
      const lines = readFileSync(shrunk, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '');
      writeFileSync(shrunk, `${lines.slice(0, 2).join('\n')}\n`);
      appendFileSync(grown, `${readFileSync(grown, 'utf8').split('\n')[0]}\n`);

      const summary = await run({ options: { source, warehouse }, env: {}, cwd: source });
      expect(summary.events.files.changed).toBe(2);
      expect(summary.notes).toContain(
        `1 changed file holds fewer records than when loaded, and the records no longer in it are gone from every table: ` +
          `${shrunk} (2 of ${lines.length}); if a file was cut short by mistake, put it back and run again`,
      );

      // Unchanged since: no note.
      appendFileSync(grown, `${readFileSync(grown, 'utf8').split('\n')[0]}\n`);
      const next = await run({ options: { source, warehouse }, env: {}, cwd: source });
      expect(next.notes.join('\n')).not.toContain('fewer records');
    });
  });
}
