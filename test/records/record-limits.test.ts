/**
 * The limits on input: bytes that are not UTF-8 are kept recognisable (never replaced) so the checks reject
 * them, and a record larger than 16 MiB is rejected by every splitter without being held whole.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StagingTaskRunner, type RunnerMessage } from '../../src/pipeline/staging-task-runner.js';
import { splitJsonLines } from '../../src/records/event-line-splitter.js';
import { parseRecord } from '../../src/records/record-parser.js';
import type { RawRecord } from '../../src/records/record-types.js';
import { splitJsonObjects } from '../../src/records/song-object-splitter.js';
import { parquetColumns } from '../../src/records/staging-parquet-writer.js';
import { decodeUtf8, MAX_RECORD_BYTES, RECORD_TOO_LARGE_ERROR, Utf8ChunkDecoder } from '../../src/records/utf8-text.js';
import { EVENT_FIELDS, STAGING_EVENTS } from '../../src/schema/staging-tables.js';
import { tempFolder } from '../support/test-warehouses.js';

const GOOD = '{"ts":1541106106796,"page":"Home","userId":"8","level":"free"}';

async function collect(records: AsyncIterable<RawRecord>): Promise<RawRecord[]> {
  const all: RawRecord[] = [];
  for await (const record of records) all.push(record);
  return all;
}

/** `count` chunks of 1 MiB of `x`, without a newline, then `tail`. */
async function* huge(head: string, count: number, tail: string): AsyncGenerator<string> {
  yield head;
  const mebibyte = 'x'.repeat(1 << 20);
  for (let i = 0; i < count; i++) yield mebibyte;
  yield tail;
}

describe('decodeUtf8', () => {
  it('decodes valid UTF-8 as Buffer does, and keeps each invalid byte as a lone surrogate, never U+FFFD', () => {
    expect(decodeUtf8(Buffer.from('Été 日本 \u{1F600} \uFFFD'))).toBe('Été 日本 \u{1F600} \uFFFD');
    expect(decodeUtf8(Buffer.from([0x61, 0xff, 0xc3, 0x62, 0xe6, 0x97]))).toBe('a\udcff\udcc3b\udce6\udc97');
  });

  it('gives the same text whatever the chunks are cut at (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.array(fc.nat(64), { maxLength: 6 }), (bytes, cuts) => {
        const decoder = new Utf8ChunkDecoder();
        const points = [...new Set(cuts.map((cut) => Math.min(cut, bytes.length)))].sort((a, b) => a - b);
        let text = '';
        let from = 0;
        for (const point of [...points, bytes.length]) {
          text += decoder.write(bytes.subarray(from, point));
          from = point;
        }
        text += decoder.end();
        expect(text).toBe(decodeUtf8(bytes));
        if (Buffer.from(bytes).toString('utf8') === text) return;
        // Whenever Buffer's decoder would have replaced something, the record checks see it.
        expect(parseRecord({ file: 'f', line: 1, text: `"${text}"` }, EVENT_FIELDS)).toMatchObject({
          reject: { error: expect.stringMatching(/^the record is not valid UTF-8/) },
        });
      }),
    );
  });
});

describe('records larger than 16 MiB', () => {
  it('are rejected by the line splitter, which keeps only their start', async () => {
    const records = await collect(splitJsonLines(huge('{"song":"', 17, `"}\n${GOOD}\n`), 'f.json'));
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ line: 1, structuralError: RECORD_TOO_LARGE_ERROR });
    expect(records[0]!.text.length).toBeLessThan(2000);
    expect(records[1]).toEqual({ file: 'f.json', line: 2, text: GOOD });
  });

  it('are rejected by the object splitter, which keeps only their start', async () => {
    const records = await collect(splitJsonObjects(huge('{"title":"', 17, `"}\n${GOOD}`), 'f.json'));
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ line: 1, structuralError: RECORD_TOO_LARGE_ERROR });
    expect(records[0]!.text.length).toBeLessThan(2000);
    expect(records[1]).toEqual({ file: 'f.json', line: 2, text: GOOD });
  });

  it('are counted in bytes: a line of 16 MiB of two-byte characters is too large', async () => {
    const text = `{"song":"${'é'.repeat((MAX_RECORD_BYTES >> 1) + 1)}"}`;
    const [record] = await collect(
      splitJsonLines(
        (async function* () {
          yield text;
        })(),
        'f.json',
      ),
    );
    expect(record).toMatchObject({ structuralError: RECORD_TOO_LARGE_ERROR });
  });

  it('are rejected by the staging runner without growing its buffer past the limit', () => {
    const folder = tempFolder('sparkify-huge-');
    const file = join(folder, 'huge.json');
    writeFileSync(file, `${GOOD}\n{"song":"${'x'.repeat(40 << 20)}"}\n${GOOD}\n{"song":"${'y'.repeat((16 << 20) + 10)}"}`);
    const messages: RunnerMessage[] = [];
    const runner = new StagingTaskRunner(
      {
        format: 'json-lines',
        fields: EVENT_FIELDS,
        columns: parquetColumns(STAGING_EVENTS),
        dataset: 'events',
        output: { kind: 'csv', chunkBytes: 1 << 20, maxPending: 4 },
      },
      (message) => messages.push(message),
    );
    runner.run({ id: 1, files: [file] });
    expect(messages.find((message) => message.type === 'done')).toMatchObject({ read: 4, staged: 2, rejected: 2 });
    const rejects = messages.flatMap((message) => (message.type === 'rejects' ? message.rows : []));
    expect(rejects.map((row) => [row[1], row[3], row[2].length < 2000])).toEqual([
      [2, RECORD_TOO_LARGE_ERROR, true],
      [4, RECORD_TOO_LARGE_ERROR, true],
    ]);
    // The read buffer stops growing at the limit plus one read (4 MiB): a 40 MiB line is skipped, not held.
    expect((runner as unknown as { chunk: Buffer }).chunk.length).toBeLessThanOrEqual(MAX_RECORD_BYTES + (4 << 20));
  });
});
