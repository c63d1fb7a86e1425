import { describe, expect, it } from 'vitest';
import { splitJsonObjects } from '../../src/records/song-object-splitter.js';
import { splitAll } from './split-helpers.js';

const SONG = '{"num_songs": 1, "artist_id": "AR1", "title": "A {brace} \\"quoted\\" title", "duration": 1.5}';

describe('splitJsonObjects', () => {
  it('yields a single compact object with its line', async () => {
    const records = await splitAll(splitJsonObjects, SONG);
    expect(records).toEqual([{ file: 'file.json', line: 1, text: SONG }]);
  });

  it('splits concatenated objects with and without whitespace between them', async () => {
    const records = await splitAll(splitJsonObjects, `${SONG}${SONG}\n\n  ${SONG}`);
    expect(records.map((r) => [r.line, r.text])).toEqual([
      [1, SONG],
      [1, SONG],
      [3, SONG],
    ]);
  });

  it('keeps a pretty-printed object whole and reports the line it starts on', async () => {
    const pretty = JSON.stringify({ num_songs: 1, nested: { a: [1, 2] }, title: 'x' }, null, 4);
    const records = await splitAll(splitJsonObjects, `${SONG}\n${pretty}\n`);
    expect(records).toHaveLength(2);
    expect(records[1]).toMatchObject({ line: 2, text: pretty });
    expect(JSON.parse(records[1]!.text)).toEqual({ num_songs: 1, nested: { a: [1, 2] }, title: 'x' });
  });

  it('gives the same records whatever the chunk boundaries', async () => {
    const text = `\uFEFF${SONG}\r\n${JSON.stringify({ a: 'é}"{' }, null, 2)}\r\n${SONG}`;
    const whole = await splitAll(splitJsonObjects, text);
    for (const size of [1, 2, 3, 7, 64]) {
      expect(await splitAll(splitJsonObjects, text, size)).toEqual(whole);
    }
    expect(whole.map((r) => r.line)).toEqual([1, 2, 5]);
  });

  it('strips a byte order mark and accepts CRLF', async () => {
    const records = await splitAll(splitJsonObjects, `\uFEFF${SONG}\r\n`);
    expect(records).toEqual([{ file: 'file.json', line: 1, text: SONG }]);
  });

  it('yields nothing for an empty or blank file', async () => {
    expect(await splitAll(splitJsonObjects, '')).toEqual([]);
    expect(await splitAll(splitJsonObjects, ' \r\n\n')).toEqual([]);
  });

  it('flags an object cut off at the end of the file', async () => {
    const records = await splitAll(splitJsonObjects, `${SONG}\n{"num_songs": 1, "artist_id": "AR`);
    expect(records).toHaveLength(2);
    expect(records[1]).toMatchObject({ line: 2, text: '{"num_songs": 1, "artist_id": "AR' });
    expect(records[1]!.structuralError).toMatch(/cut off/);
  });

  it('flags text outside any object, up to the end of its line', async () => {
    const records = await splitAll(splitJsonObjects, `garbage here\n${SONG}`);
    expect(records[0]).toMatchObject({ line: 1, text: 'garbage here', structuralError: 'text outside a JSON object' });
    expect(records[1]).toMatchObject({ line: 2, text: SONG });
  });
});
