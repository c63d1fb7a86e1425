import { describe, expect, it } from 'vitest';
import { splitJsonLines } from '../../src/records/event-line-splitter.js';
import { splitAll } from './split-helpers.js';

const A = '{"page":"Home","ts":1}';
const B = '{"page":"NextSong","ts":2}';

describe('splitJsonLines', () => {
  it('yields one record per line with 1-based line numbers, with or without a final newline', async () => {
    expect(await splitAll(splitJsonLines, `${A}\n${B}`)).toEqual([
      { file: 'file.json', line: 1, text: A },
      { file: 'file.json', line: 2, text: B },
    ]);
    expect(await splitAll(splitJsonLines, `${A}\n${B}\n`)).toHaveLength(2);
  });

  it('handles CRLF line ends and a byte order mark', async () => {
    const records = await splitAll(splitJsonLines, `\uFEFF${A}\r\n${B}\r\n`);
    expect(records.map((r) => r.text)).toEqual([A, B]);
  });

  it('skips blank lines but keeps counting them', async () => {
    const records = await splitAll(splitJsonLines, `${A}\n\n   \n${B}`);
    expect(records.map((r) => r.line)).toEqual([1, 4]);
  });

  it('yields nothing for an empty file', async () => {
    expect(await splitAll(splitJsonLines, '')).toEqual([]);
  });

  it('is independent of chunk boundaries, including a CRLF split between chunks', async () => {
    const text = `\uFEFF${A}\r\n${B}\r\n{"truncated":`;
    const whole = await splitAll(splitJsonLines, text);
    for (const size of [1, 2, 5, 13]) expect(await splitAll(splitJsonLines, text, size)).toEqual(whole);
    expect(whole.at(-1)).toEqual({ file: 'file.json', line: 3, text: '{"truncated":' });
  });
});
