/**
 * `generate({ damage })`: damaged records are exactly where damage.json says (and nowhere else), the valid
 * data is the same as without damage, and benign damage (CRLF, BOM, empty file) rejects nothing.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, type GenerateResult } from '../../src/generator/generate.js';
import { computeReferenceStar, type ReferenceStar } from '../support/reference-star.js';
import { removeDataset, tempDataset } from './dataset-reader.js';

const OPTIONS = { songs: 200, events: 3_000, days: 4, seed: 5 } as const;

interface Manifest {
  seed: number;
  rate: number;
  damaged: { file: string; line: number; kind: string }[];
  benign: { file: string; kind: string }[];
}

describe('generate: damaged records', () => {
  const dirs: string[] = [];
  let damagedDir: string;
  let result: GenerateResult;
  let manifest: Manifest;
  let damaged: ReferenceStar;
  let clean: ReferenceStar;

  beforeAll(async () => {
    damagedDir = tempDataset('damaged');
    const cleanDir = tempDataset('undamaged');
    dirs.push(damagedDir, cleanDir);
    result = await generate({ out: damagedDir, ...OPTIONS, damage: 0.03 });
    await generate({ out: cleanDir, ...OPTIONS });
    manifest = JSON.parse(readFileSync(join(damagedDir, 'damage.json'), 'utf8')) as Manifest;
    damaged = await computeReferenceStar(damagedDir);
    clean = await computeReferenceStar(cleanDir);
  });

  afterAll(async () => {
    for (const d of dirs) await removeDataset(d);
  });

  it('lists every damaged record in damage.json and the result, of every kind', () => {
    expect(manifest.seed).toBe(OPTIONS.seed);
    expect(manifest.damaged.length).toBe(result.damage.count);
    expect(result.damage.manifest).toBe(join(damagedDir, 'damage.json'));
    // About 3% of 3,000 events and 200 songs.
    expect(manifest.damaged.length).toBeGreaterThan(50);
    const kinds = new Set(manifest.damaged.map((d) => d.kind.replace(/:.*/, '')));
    expect([...kinds].sort()).toEqual(['malformed-json', 'not-an-object', 'truncated', 'wrong-type']);
    expect(manifest.damaged.some((d) => d.file.startsWith('song_data/'))).toBe(true);
    expect(manifest.damaged.some((d) => d.file.startsWith('log_data/'))).toBe(true);
    const sum = Object.values(result.damage.byKind).reduce((a, b) => a + b, 0);
    expect(sum).toBe(result.damage.count);
  });

  it('puts damaged records exactly where damage.json says, and nowhere else', () => {
    const key = (r: { file: string; line: number }): string => `${r.file}:${r.line}`;
    expect(damaged.rejects.map(key).sort()).toEqual(manifest.damaged.map(key).sort());
  });

  it('leaves the valid data as it is without damage', () => {
    const figures = (s: ReferenceStar): unknown => ({ ...s, rejects: [], rejectedEvents: 0, rejectedSongs: 0 });
    expect(figures(damaged)).toEqual(figures(clean));
    expect(clean.rejects).toEqual([]);
    expect(damaged.stagingEvents).toBe(OPTIONS.events);
  });

  it('adds benign damage that rejects nothing: a BOM, CRLF line ends, an empty file', () => {
    const kinds = manifest.benign.map((b) => b.kind);
    expect(new Set(kinds)).toEqual(new Set(['bom', 'crlf', 'empty-file']));
    for (const { file, kind } of manifest.benign) {
      const path = join(damagedDir, file);
      if (kind === 'empty-file') expect(statSync(path).size).toBe(0);
      if (kind === 'bom') expect(readFileSync(path, 'utf8').startsWith('\ufeff')).toBe(true);
      if (kind === 'crlf') expect(readFileSync(path, 'utf8')).toContain('}\r\n{');
    }
    expect(result.damage.benign).toEqual(manifest.benign);
  });

  it('adds no benign damage when turned off', async () => {
    const dir = tempDataset('no-benign');
    dirs.push(dir);
    const run = await generate({ out: dir, ...OPTIONS, events: 500, damage: 0.01, benign: false });
    expect(run.damage.benign).toEqual([]);
  });
});
