/**
 * Fuzzing: real records (the tiny fixture's, repeated) damaged at random (truncated files, flipped bytes, inserted garbage, a line
 * past the 16 MiB record limit, values of the wrong type), loaded by `run`. Whatever the damage, the load
 * never crashes; read = staged + rejected; staging and load_errors are exactly what the record checks say
 * of the damaged files; and no valid record is lost: every line left intact, and every song file left
 * untouched, is staged.
 *
 * Runs: FUZZ_RUNS per warehouse (default 8, about 5 s; each run applies up to 8 damages; with 1 a run, a
 * NUL bug took many CI runs to show). A failure prints fast-check's seed and path; replay it with
 * FUZZ_SEED=<seed> FUZZ_PATH=<path>.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/pipeline/run.js';
import { MAX_RECORD_BYTES } from '../../src/records/utf8-text.js';
import { type Expected, expectedStaging, inLoadOrder, loadedStaging } from '../support/staging-compare.js';
import { tempFolder, testWarehouses } from '../support/test-warehouses.js';

const TINY = new URL('../fixtures/tiny', import.meta.url).pathname;
const RUNS = Number(process.env.FUZZ_RUNS ?? 8);
const REPLAY = process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED), path: process.env.FUZZ_PATH } : {};

interface SourceFile {
  /** Relative to the dataset folder. */
  readonly path: string;
  readonly bytes: Buffer;
}

/** One way of damaging a file; `at` and `size` are fractions or counts scaled to the file. */
type Damage =
  | { readonly kind: 'truncate'; readonly file: number; readonly at: number }
  | { readonly kind: 'flip'; readonly file: number; readonly at: number; readonly mask: number }
  | { readonly kind: 'insert'; readonly file: number; readonly at: number; readonly garbage: Uint8Array }
  | { readonly kind: 'huge'; readonly file: number; readonly at: number }
  | { readonly kind: 'wrong-type'; readonly file: number; readonly at: number; readonly value: string };

const at = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const file = fc.nat();
const damage: fc.Arbitrary<Damage> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('truncate' as const), file, at }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('flip' as const), file, at, mask: fc.integer({ min: 1, max: 255 }) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      file,
      at,
      garbage: fc.oneof(
        fc.uint8Array({ minLength: 1, maxLength: 12 }),
        fc.constantFrom('\n', '{', '}', '"', '\\', '\r\n', '\uFEFF', '\u0000', '{"ts":1}\n', ',,').map((text) => Buffer.from(text)),
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('huge' as const), file, at }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('wrong-type' as const),
      file,
      at,
      value: fc.constantFrom('"x"', '[]', '{}', 'null', 'true', '-1e999', '99999999999999999999', '"1e3"', '""'),
    }),
  },
);

/** `source` with `damages` applied in order; returns the damaged bytes of each file. */
function damaged(source: readonly SourceFile[], damages: readonly Damage[]): Buffer[] {
  const files = source.map((entry) => entry.bytes);
  for (const change of damages) {
    const index = change.file % files.length;
    const bytes = files[index]!;
    const p = Math.floor(change.at * bytes.length);
    switch (change.kind) {
      case 'truncate':
        files[index] = bytes.subarray(0, p);
        break;
      case 'flip': {
        const copy = Buffer.from(bytes);
        if (copy.length > 0) copy[p] = copy[p]! ^ change.mask;
        files[index] = copy;
        break;
      }
      case 'insert':
        files[index] = Buffer.concat([bytes.subarray(0, p), change.garbage, bytes.subarray(p)]);
        break;
      case 'huge':
        // A line past the record limit, of ASCII, kept whole by no path.
        files[index] = Buffer.concat([
          bytes.subarray(0, p),
          Buffer.from(`\n{"song":"${'h'.repeat(MAX_RECORD_BYTES)}"}\n`),
          bytes.subarray(p),
        ]);
        break;
      case 'wrong-type': {
        // The value after the first `":` at or past the point, up to the next `,` or `}`.
        const text = bytes.toString('latin1');
        const colon = text.indexOf('":', p);
        if (colon === -1) break;
        const stop = text.slice(colon + 2).search(/[,}]/);
        if (stop <= 0) break;
        const start = colon + 2;
        files[index] = Buffer.concat([bytes.subarray(0, start), Buffer.from(change.value), bytes.subarray(start + stop)]);
        break;
      }
    }
  }
  return files;
}

/** The lines of `bytes` (without CR), by 1-based number. */
function lines(bytes: Buffer): string[] {
  return bytes
    .toString('latin1')
    .split('\n')
    .map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

function filesUnder(folder: string, area: string): string[] {
  return (readdirSync(join(folder, area), { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)))
    .sort();
}

describe('fuzzing with damaged files', () => {
  let source: SourceFile[];

  beforeAll(() => {
    // The tiny fixture's real records, each log line repeated with later timestamps (about 100 a file).
    source = [...filesUnder(TINY, 'log_data'), ...filesUnder(TINY, 'song_data')].map((path) => {
      const bytes = readFileSync(join(TINY, path));
      if (!path.startsWith('log_data')) return { path, bytes };
      const originals = bytes
        .toString('utf8')
        .split('\n')
        .filter((line) => line.trim() !== '');
      const repeated = Array.from({ length: 100 }, (_, index) => {
        const line = originals[index % originals.length]!;
        return line.replace(/"ts":(\d+)/, (_match, ts: string) => `"ts":${Number(ts) + index * 1000}`);
      });
      return { path, bytes: Buffer.from(`${repeated.join('\n')}\n`) };
    });
    source.push({
      path: 'song_data/A/A/B/TRAAB112.json',
      bytes: Buffer.from(
        '{"num_songs": 1, "artist_id": "AR112", "artist_latitude": null, "artist_longitude": null, "artist_location": 2562, "artist_name": 112, "song_id": "SO112", "title": "Peaches & Cream", "duration": 193.07, "year": 2001}',
      ),
    });
  });

  for (const target of testWarehouses()) {
    it(`never crashes, loses no valid record, and accounts for every record on ${target.name}`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(damage, { minLength: 1, maxLength: 8 }), async (damages) => {
          const folder = tempFolder('sparkify-fuzz-');
          const files = damaged(source, damages);
          source.forEach((entry, index) => {
            mkdirSync(dirname(join(folder, entry.path)), { recursive: true });
            writeFileSync(join(folder, entry.path), files[index]!);
          });
          const warehouse = target.fresh();
          const summary = await run({ options: { source: folder, warehouse, maxErrors: 1_000_000 }, env: {} });
          expect(summary.events.read).toBe(summary.events.staged + summary.events.rejected);
          expect(summary.songs.read).toBe(summary.songs.staged + summary.songs.rejected);

          const paths = source.map((entry) => entry.path);
          const expected = inLoadOrder(
            await expectedStaging(folder, {
              events: paths.filter((path) => path.startsWith('log_data')),
              songs: paths.filter((path) => path.startsWith('song_data')),
            }),
          );
          const loaded: Expected = inLoadOrder(await loadedStaging(warehouse));
          expect(loaded).toEqual(expected);

          // No valid record lost: every intact line of a log file, every untouched song file, is staged.
          const staged = new Set(loaded.events.map((row) => `${row[18]}\u0000${row[19]}`));
          const songsByFile = new Map<string, number>();
          for (const row of loaded.songs) songsByFile.set(String(row[10]), (songsByFile.get(String(row[10])) ?? 0) + 1);
          source.forEach((entry, index) => {
            const path = join(folder, entry.path);
            if (entry.path.startsWith('song_data')) {
              if (files[index]!.equals(entry.bytes) && entry.bytes.length > 0) expect(songsByFile.get(path), path).toBeGreaterThan(0);
              return;
            }
            const before = new Set(lines(entry.bytes).filter((line) => line.trim() !== ''));
            lines(files[index]!).forEach((line, number) => {
              if (before.has(line)) expect(staged.has(`${path}\u0000${number + 1}`), `${path} line ${number + 1}`).toBe(true);
            });
          });
        }),
        { numRuns: RUNS, ...REPLAY },
      );
    }, 300_000);
  }
});
