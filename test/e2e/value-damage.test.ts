/**
 * Values that parse as JSON but cannot be what their field says: each such record is rejected with its file,
 * line and the value as written, and the run publishes the rest. Before, a level other than free or paid was
 * staged and then failed the level checks, so every later run failed too until someone edited the file; 1e400
 * was staged as Infinity; a line of non-JSON whitespace (U+00A0) vanished without being counted; a value
wider than its Redshift column failed the whole COPY there and loaded elsewhere.
 */
import { appendFileSync, cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { query } from '../../src/pipeline/query.js';
import { run } from '../../src/pipeline/run.js';
import { snapshotLoadErrors } from '../support/star-snapshot.js';
import { tempFolder, testWarehouses } from '../support/test-warehouses.js';

const TINY = new URL('../fixtures/tiny', import.meta.url).pathname;
const DAY1 = 'log_data/2018/11/2018-11-01-events.json';

for (const target of testWarehouses()) {
  describe(`values that do not fit their field, on ${target.name}`, () => {
    it('are rejected naming the field and the value, and the run publishes everything else', async () => {
      const folder = tempFolder('sparkify-values-');
      cpSync(TINY, folder, { recursive: true });
      // A NextSong event of the fixture, varied one field at a time.
      const play = readFileSync(join(TINY, DAY1), 'utf8').split('\n')[2]!;
      const lines = [
        play.replace('"level":"free"', '"level":null'),
        play.replace('"level":"free"', '"level":"PAID"'),
        play.replace('"level":"free",', ''),
        play.replace('"length":148.03546', '"length":1e400'),
        play.replace('"ts":1541122176796', '"ts":1e400'),
        // No ts at all: said as missing, not as null.
        play.replace('"ts":1541122176796,', ''),
        '\u00a0',
        play.replace('"userId":"2"', '"userId":"1234567890"'),
        // Text wider than its column holds on Redshift (location: 256 bytes), counted in UTF-8 bytes.
        play.replace('"location":"New Orleans-Metairie, LA"', `"location":"${'x'.repeat(257)}"`),
        play.replace('"location":"New Orleans-Metairie, LA"', `"location":"${'\\u00e9'.repeat(100)}"`),
        play.replace('"location":"New Orleans-Metairie, LA"', `"location":"${'é'.repeat(150)}"`),
      ];
      appendFileSync(join(folder, DAY1), `\n${lines.join('\n')}`);
      const warehouse = target.fresh();
      const summary = await run({ options: { source: folder, warehouse, maxErrors: 10 }, env: {}, cwd: folder });
      expect(summary.checks).toMatchObject({ failed: 0, errored: 0 });
      expect(summary.events).toMatchObject({ read: 22, staged: 13, rejected: 9 });

      const errors = (await snapshotLoadErrors(warehouse)).sort((a, b) => Number(a.line_number) - Number(b.line_number));
      expect(errors.map((row) => [row.line_number, row.error])).toEqual([
        [9, 'field "level": expected "free" or "paid", got null'],
        [10, 'field "level": expected "free" or "paid", got "PAID"'],
        [11, 'field "level": expected "free" or "paid", got nothing'],
        [12, 'field "length": expected a number within ±1.8e308 (a double), got 1e400'],
        [13, 'field "ts": expected whole epoch milliseconds, got 1e400'],
        [14, 'field "ts": expected epoch milliseconds, got nothing'],
        [15, expect.stringMatching(/^invalid JSON/)],
        [17, 'field "location": expected text of at most 256 bytes (the column\'s width on Redshift), got 257 bytes'],
        [19, 'field "location": expected text of at most 256 bytes (the column\'s width on Redshift), got 300 bytes'],
      ]);
      // Written with escapes it is 600 bytes long, but its value (100 é, 200 bytes) fits.
      expect(
        await query("SELECT COUNT(*) AS n FROM staging_events WHERE location = repeat('é', 100)", {
          options: { warehouse },
          env: {},
          cwd: folder,
        }),
      ).toEqual([{ n: 1 }]);
      // A ten-digit user id within INTEGER's range is a user like any other.
      expect(
        await query('SELECT user_id, level FROM users WHERE user_id = 1234567890', { options: { warehouse }, env: {}, cwd: folder }),
      ).toEqual([{ user_id: 1234567890, level: 'free' }]);
    });
  });
}
