/**
 * The bundled sample (sample/) is the generator's output for the options below, byte for byte, and small.
 * When the generator changes on purpose, regenerate it with:
 *   sparkify generate --out sample --force --songs 300 --events 2500 --days 7 --start 2018-11-01 --seed 1
 */
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/generator/generate.js';
import { computeReferenceStar } from '../support/reference-star.js';
import { datasetDigest, readDataset, removeDataset, tempDataset } from './dataset-reader.js';

const BUNDLED = fileURLToPath(new URL('../../sample', import.meta.url));
const SAMPLE_OPTIONS = { songs: 300, events: 2_500, days: 7, start: '2018-11-01', seed: 1 } as const;

describe('the bundled sample', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await removeDataset(d);
  });

  it('is what the generator makes for its recorded options', async () => {
    const dir = tempDataset('bundled');
    dirs.push(dir);
    await generate({ out: dir, ...SAMPLE_OPTIONS });
    expect(await datasetDigest(BUNDLED)).toEqual(await datasetDigest(dir));
  });

  it('is well under 2 MB and shows real matches on a first run', async () => {
    const { songFiles, logFiles } = await readDataset(BUNDLED);
    const bytes = [...songFiles, ...logFiles].reduce((sum, f) => sum + Buffer.byteLength(f.text), 0);
    expect(bytes).toBeLessThan(1.5e6);
    const star = await computeReferenceStar(BUNDLED);
    expect(star.matchedSongplays / star.songplays).toBeGreaterThan(0.3);
    expect(star.rejectedEvents + star.rejectedSongs).toBe(0);
  });
});
