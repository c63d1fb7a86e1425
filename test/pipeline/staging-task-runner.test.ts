/**
 * Which song files the staging runner hands to the byte-level fast path: one compact object at the start of
 * a file that fits in a read. That the rows are the same either way is test/e2e/staging-paths.test.ts's
 * job; this one checks the fast path is really taken, so that test compares the two paths at all.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StagingTaskRunner, type RunnerMessage } from '../../src/pipeline/staging-task-runner.js';
import { JsonLineEncoder } from '../../src/records/json-line-encoder.js';
import { parquetColumns } from '../../src/records/staging-parquet-writer.js';
import { SONG_FIELDS, STAGING_SONGS } from '../../src/schema/staging-tables.js';
import { tempFolder } from '../support/test-warehouses.js';

const SONG = {
  num_songs: 1,
  artist_id: 'ARD7TVE1187B99BFB1',
  artist_latitude: null,
  artist_longitude: -118.2,
  artist_location: 'LA',
  artist_name: 'Casual',
  song_id: 'SOMZWCG12A8C13C480',
  title: 'Fr\u00e4ulein',
  duration: 218.93179,
  year: 0,
};

afterEach(() => vi.restoreAllMocks());

describe('StagingTaskRunner with song files', () => {
  it('offers a file of one object at byte 0 to the fast path, and splits every other file', () => {
    const folder = tempFolder('sparkify-runner-');
    const files: Record<string, string> = {
      'compact.json': JSON.stringify(SONG),
      'pretty.json': `${JSON.stringify({ ...SONG, title: 'a "quoted" \\/ title' }, null, 2)}\n`,
      'bom.json': `\uFEFF${JSON.stringify(SONG)}`,
      'two.json': `${JSON.stringify(SONG)}\n${JSON.stringify(SONG)}`,
      'empty.json': '',
      // Too big for one read, in a key no column takes (a value that long in a text field is over its width).
      'big.json': JSON.stringify({ ...SONG, notes: 'x'.repeat(5 << 20) }),
    };
    const paths = Object.entries(files).map(([name, content]) => {
      writeFileSync(join(folder, name), content);
      return join(folder, name);
    });
    const encode = vi.spyOn(JsonLineEncoder.prototype, 'encode');
    const messages: RunnerMessage[] = [];
    const runner = new StagingTaskRunner(
      {
        format: 'json-objects',
        fields: SONG_FIELDS,
        columns: parquetColumns(STAGING_SONGS),
        dataset: 'songs',
        output: { kind: 'csv', chunkBytes: 1 << 20, maxPending: 4 },
      },
      (message) => messages.push(message),
    );
    runner.run({ id: 1, files: paths });

    // Offered, as line 1: the compact file and the pretty-printed one (both staged by it), and the file of two
    // objects (declined: the splitter takes it). Not offered: the file with a byte order mark, the one too big
    // for a read, and the empty one, although its reused buffer still starts with the previous file's "{".
    const offered = encode.mock.calls.map((call, index) => [call[2], call[5], encode.mock.results[index]!.value]);
    expect(offered).toEqual([
      [Buffer.byteLength(files['compact.json']!), 1, true],
      [Buffer.byteLength(files['pretty.json']!), 1, true],
      [Buffer.byteLength(files['two.json']!), 1, false],
    ]);
    const done = messages.find((message) => message.type === 'done');
    // Six objects: two in one file, none in the empty one.
    expect(done).toMatchObject({ files: 6, read: 6, staged: 6, rejected: 0 });
  });
});
