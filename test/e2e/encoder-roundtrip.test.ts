/**
 * Property: each load format loads back to the rows the record checks give, in the real warehouse. Random
 * records (test/support/record-arbitraries.ts) are written as log and song files and loaded by `run`:
 * through the byte fast path and the parser into Parquet segments on DuckDB and into COPY CSV on
 * PostgreSQL. Staging and load_errors must equal the splitters and `parseRecord` applied to the files.
 * Runs: PROPERTY_WAREHOUSE_RUNS (default 3 per warehouse); a failure prints fast-check's seed and path.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/pipeline/run.js';
import { EVENT_FIELDS, SONG_FIELDS } from '../../src/schema/staging-tables.js';
import { recordBytes } from '../support/record-arbitraries.js';
import { expectedStaging, inLoadOrder, loadedStaging } from '../support/staging-compare.js';
import { tempFolder, testWarehouses } from '../support/test-warehouses.js';

const RUNS = Number(process.env.PROPERTY_WAREHOUSE_RUNS ?? 3);
const NEWLINE = 10;

/** Log lines: records with any newline of their spacing turned into a space (a newline ends a line). */
const logLine = recordBytes(EVENT_FIELDS).map((bytes) => bytes.map((byte) => (byte === NEWLINE ? 32 : byte)));

const input = fc.record({
  days: fc.array(fc.array(logLine, { minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 3 }),
  songs: fc.array(recordBytes(SONG_FIELDS), { minLength: 1, maxLength: 12 }),
  crlf: fc.boolean(),
});

describe('load formats round trip (property)', () => {
  for (const target of testWarehouses()) {
    it(`stage exactly the checked rows on ${target.name}`, async () => {
      await fc.assert(
        fc.asyncProperty(input, async ({ days, songs, crlf }) => {
          const folder = tempFolder('sparkify-roundtrip-');
          mkdirSync(join(folder, 'log_data'));
          mkdirSync(join(folder, 'song_data'));
          const files = { events: [] as string[], songs: [] as string[] };
          days.forEach((lines, day) => {
            const name = `log_data/e-${String(day).padStart(3, '0')}.json`;
            const separator = Buffer.from(crlf ? '\r\n' : '\n');
            writeFileSync(join(folder, name), Buffer.concat(lines.flatMap((line) => [line, separator])));
            files.events.push(name);
          });
          songs.forEach((song, index) => {
            const name = `song_data/s-${String(index).padStart(3, '0')}.json`;
            writeFileSync(join(folder, name), song);
            files.songs.push(name);
          });
          const expected = inLoadOrder(await expectedStaging(folder, files));
          const warehouse = target.fresh();
          const summary = await run({ options: { source: folder, warehouse, maxErrors: 1_000_000 }, env: {} });
          expect(summary.events.read).toBe(summary.events.staged + summary.events.rejected);
          expect(summary.songs.read).toBe(summary.songs.staged + summary.songs.rejected);
          expect(await loadedStaging(warehouse)).toEqual(expected);
        }),
        { numRuns: RUNS },
      );
    }, 120_000);
  }
});
