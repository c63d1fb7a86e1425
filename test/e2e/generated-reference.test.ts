/**
 * `sparkify run` on generated data (quirks and damage included) gives the answers of the independent
 * reference computation over the same files, and quarantines exactly the records the generator damaged.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate, type GenerateResult } from '../../src/generator/generate.js';
import { query } from '../../src/pipeline/query.js';
import { run } from '../../src/pipeline/run.js';
import type { RunSummary } from '../../src/pipeline/run-summary.js';
import { computeReferenceStar, type ReferenceStar } from '../support/reference-star.js';
import { tempFolder, testWarehouses } from '../support/test-warehouses.js';

interface DamageManifest {
  readonly damaged: readonly { readonly file: string; readonly line: number; readonly kind: string }[];
}

describe('generated data against the reference computation', () => {
  let folder: string;
  let generated: GenerateResult;
  let reference: ReferenceStar;

  beforeAll(async () => {
    folder = join(tempFolder('sparkify-generated-'), 'data');
    generated = await generate({ out: folder, songs: 2_000, events: 20_000, days: 5, seed: 42, damage: 0.003 });
    reference = await computeReferenceStar(folder);
  });

  it('has damage to quarantine and plays to match', () => {
    expect(generated.damage.count).toBeGreaterThan(10);
    expect(reference.matchedSongplays).toBeGreaterThan(1000);
  });

  for (const target of testWarehouses()) {
    describe(target.name, () => {
      let summary: RunSummary;
      let warehouse: string;
      const ask = (sql: string) => query(sql, { options: { warehouse }, env: {} });

      beforeAll(async () => {
        warehouse = target.fresh();
        summary = await run({ options: { source: folder, warehouse, maxErrors: 1_000 }, env: {}, cwd: folder });
      });

      it('stages and rejects what the reference says, and reconciles', () => {
        expect(summary.events.staged).toBe(reference.stagingEvents);
        expect(summary.songs.staged).toBe(reference.stagingSongs);
        expect(summary.events.rejected).toBe(reference.rejectedEvents);
        expect(summary.songs.rejected).toBe(reference.rejectedSongs);
        expect(summary.events.read).toBe(summary.events.staged + summary.events.rejected);
        expect(summary.songs.read).toBe(summary.songs.staged + summary.songs.rejected);
      });

      it('builds star tables of the reference sizes', () => {
        expect(summary.tables).toEqual({
          songplays: reference.songplays,
          users: reference.users,
          songs: reference.songs,
          artists: reference.artists,
          time: reference.time,
        });
        expect(summary.matchedSongplays).toBe(reference.matchedSongplays);
      });

      it('gives users the level of their latest play, as the reference does', async () => {
        expect(
          await ask("SELECT COUNT(*) FILTER (WHERE level = 'paid') AS paid, COUNT(*) FILTER (WHERE level = 'free') AS free FROM users"),
        ).toEqual([{ paid: reference.paidUsers, free: reference.freeUsers }]);
      });

      it('quarantines exactly the damaged records the generator listed, with file and line', async () => {
        const manifest = JSON.parse(readFileSync(join(folder, 'damage.json'), 'utf8')) as DamageManifest;
        const rows = await ask('SELECT source_file, line_number FROM load_errors');
        const found = rows.map((row) => `${relative(folder, String(row.source_file))}:${row.line_number}`).sort();
        expect(found).toEqual(manifest.damaged.map((record) => `${record.file}:${record.line}`).sort());
      });
    });
  }
});
