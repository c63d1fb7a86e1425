/**
 * `--match normalized` and `explain-matches` on generated data whose quirks are known: a third of the plays
 * that name a catalogue song are rewritten with a quirk of the real logs (mojibake, `\u0019` for an
 * apostrophe, trailing spaces, another case). The exact rule loses exactly those plays; the normalized rule
 * finds every one of them again and nothing else; the explanation puts them under `spelling`, each kind of
 * difference counted; and the quality checks pass on the data.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate, type GenerateResult } from '../../src/generator/generate.js';
import { controlApostrophes, mojibake } from '../../src/generator/text-quirks.js';
import { check } from '../../src/pipeline/check.js';
import { explainMatches } from '../../src/pipeline/match-explanation.js';
import { run } from '../../src/pipeline/run.js';
import { logLines, readDataset, songObjects } from '../generator/dataset-reader.js';
import { tempFolder, testWarehouses } from '../support/test-warehouses.js';

type Kind = 'mojibake' | 'apostrophe' | 'trailingSpaces' | 'case';

/** Rewrites every third play of a catalogue song with a quirk; returns how many of each kind. */
async function addQuirksToMatchedPlays(folder: string): Promise<Record<Kind, number>> {
  const dataset = await readDataset(folder);
  const catalogue = new Set<string>();
  for (const file of dataset.songFiles) {
    for (const text of songObjects(file.text)) {
      const song = JSON.parse(text) as { title: string; artist_name: string; duration: number };
      catalogue.add(JSON.stringify([song.title, song.artist_name, song.duration]));
    }
  }
  const counts: Record<Kind, number> = { mojibake: 0, apostrophe: 0, trailingSpaces: 0, case: 0 };
  let seen = 0;
  for (const file of dataset.logFiles) {
    const path = join(folder, file.path);
    const lines = logLines(readFileSync(path, 'utf8')).map((line) => {
      if (!line.includes('"NextSong"')) return line;
      const event = JSON.parse(line) as { song: string; artist: string; length: number };
      if (!catalogue.has(JSON.stringify([event.song, event.artist, event.length])) || seen++ % 3 !== 0) return line;
      let kind: Kind;
      if (/[^\x00-\x7f]/.test(event.song + event.artist)) {
        kind = 'mojibake';
        event.song = mojibake(event.song);
        event.artist = mojibake(event.artist);
      } else if (event.song.includes("'")) {
        kind = 'apostrophe';
        event.song = controlApostrophes(event.song);
      } else if (counts.trailingSpaces <= counts.case) {
        kind = 'trailingSpaces';
        event.song = `${event.song}  `;
      } else {
        kind = 'case';
        event.artist = event.artist.toUpperCase();
      }
      if (catalogue.has(JSON.stringify([event.song, event.artist, event.length]))) return line;
      counts[kind] += 1;
      return JSON.stringify(event);
    });
    writeFileSync(path, lines.join('\n'));
  }
  return counts;
}

describe('normalized matching on generated data with known quirks', () => {
  let folder: string;
  let generated: GenerateResult;
  let quirks: Record<Kind, number>;
  let rewritten: number;

  beforeAll(async () => {
    folder = join(tempFolder('sparkify-normalized-'), 'data');
    generated = await generate({ out: folder, songs: 400, events: 6_000, days: 3, seed: 15 });
    quirks = await addQuirksToMatchedPlays(folder);
    rewritten = Object.values(quirks).reduce((sum, n) => sum + n, 0);
  });

  it('has plays of every kind of quirk', () => {
    for (const kind of Object.keys(quirks) as Kind[]) expect(quirks[kind], kind).toBeGreaterThan(5);
    expect(generated.matchedPlays).toBeGreaterThan(rewritten);
  });

  for (const target of testWarehouses()) {
    describe(target.name, () => {
      const warehouse = target.fresh();
      const load = (match: string) => run({ options: { source: folder, warehouse, match }, env: {}, cwd: folder });

      it('exact loses the rewritten plays; the explanation puts exactly them under spelling', async () => {
        const summary = await load('exact');
        expect(summary.matchedSongplays).toBe(generated.matchedPlays - rewritten);
        expect(summary.exactMatch).toBeUndefined();
        expect(summary.checks!.blocking).toBe(false);
        const explanation = await explainMatches({ options: { warehouse }, env: {}, cwd: folder });
        expect(explanation.matched).toBe(summary.matchedSongplays);
        expect(explanation.unmatched).toBe(summary.tables.songplays - summary.matchedSongplays);
        expect(explanation.causes.reduce((sum, cause) => sum + cause.plays, 0)).toBe(explanation.unmatched);
        const spelling = explanation.causes.find((cause) => cause.cause === 'spelling');
        expect(spelling?.plays).toBe(rewritten);
        expect(spelling?.differences).toEqual(quirks);
        expect(spelling?.examples[0]?.catalogue?.title).toEqual(expect.any(String));
      });

      it('normalized finds every rewritten play again, and nothing else; the summary shows both rates', async () => {
        const summary = await load('normalized');
        expect(summary.match).toBe('normalized');
        expect(summary.matchedSongplays).toBe(generated.matchedPlays);
        expect(summary.exactMatch?.songplays).toBe(generated.matchedPlays - rewritten);
        expect(summary.checks!.blocking).toBe(false);
        const explanation = await explainMatches({ options: { warehouse, match: 'normalized' }, env: {}, cwd: folder });
        expect(explanation.matched).toBe(generated.matchedPlays);
        expect(explanation.causes.find((cause) => cause.cause === 'spelling')?.plays).toBe(0);
        expect(explanation.causes.reduce((sum, cause) => sum + cause.plays, 0)).toBe(explanation.unmatched);
      });

      it('check passes on the published generated data', async () => {
        expect(await check({ options: { warehouse }, env: {}, cwd: folder })).toMatchObject({ blocking: false, failed: 0, errored: 0 });
      });
    });
  }
});

describe('normalized matching trims the ASCII space only, the same on every warehouse', () => {
  const TINY = new URL('../fixtures/tiny', import.meta.url).pathname;
  // "Soul Deep" followed by two spaces matches again; followed by a no-break space (U+00A0) it does not,
  // where DuckDB's plain TRIM would have stripped it and PostgreSQL's not.
  const sourceWith = (suffix: string) => {
    const folder = join(tempFolder('sparkify-trim-'), 'data');
    cpSync(TINY, folder, { recursive: true });
    const path = join(folder, 'log_data/2018/11/2018-11-01-events.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"song":"Soul Deep"', `"song":${JSON.stringify(`Soul Deep${suffix}`)}`));
    return folder;
  };
  for (const target of testWarehouses()) {
    it(target.name, async () => {
      const matched = async (source: string) =>
        (await run({ options: { source, warehouse: target.fresh(), match: 'normalized' }, env: {}, cwd: source })).matchedSongplays;
      const plain = await matched(TINY);
      expect(await matched(sourceWith('  '))).toBe(plain);
      expect(await matched(sourceWith('\u00a0'))).toBe(plain - 1);
    });
  }
});
