/**
 * `generate()`: the bucket's layout, the song files record by record, log_json_path.json, determinism, and
 * the clean output of `quirks: false`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, type GenerateResult } from '../../src/generator/generate.js';
import { datasetDigest, logLines, readDataset, removeDataset, songObjects, tempDataset, type DatasetFiles } from './dataset-reader.js';

const SAMPLE = fileURLToPath(new URL('../../../shared/data/sparkify-sample', import.meta.url));
const OPTIONS = { songs: 300, events: 1_500, days: 5, start: '2018-11-28', seed: 7 } as const;
const SONG_KEYS = [
  'num_songs',
  'artist_id',
  'artist_latitude',
  'artist_longitude',
  'artist_location',
  'artist_name',
  'song_id',
  'title',
  'duration',
  'year',
];
const LOG_FIELDS = [
  'artist',
  'auth',
  'firstName',
  'gender',
  'itemInSession',
  'lastName',
  'length',
  'level',
  'location',
  'method',
  'page',
  'registration',
  'sessionId',
  'song',
  'status',
  'ts',
  'userAgent',
  'userId',
];

describe('generate: layout and song files', () => {
  const dirs: string[] = [];
  let dir: string;
  let result: GenerateResult;
  let files: DatasetFiles;
  const songs: { path: string; record: Record<string, unknown>; text: string }[] = [];

  beforeAll(async () => {
    dir = tempDataset('layout');
    dirs.push(dir);
    result = await generate({ out: dir, ...OPTIONS });
    files = await readDataset(dir);
    for (const file of files.songFiles) {
      for (const text of songObjects(file.text)) songs.push({ path: file.path, record: JSON.parse(text), text });
    }
  });

  afterAll(async () => {
    for (const d of dirs) await removeDataset(d);
  });

  it('writes song_data/X/Y/Z/TRXYZ....json with X, Y, Z the 3rd-5th characters of the track ID', () => {
    expect(files.songFiles.length).toBe(result.songFiles);
    for (const { path } of files.songFiles) {
      const match = /^song_data\/([A-Z])\/([A-Z])\/([A-Z])\/(TR[A-Z0-9]{16})\.json$/.exec(path);
      expect(match, path).not.toBeNull();
      const [, x, y, z, track] = match as unknown as string[];
      expect(`${x}${y}${z}`).toBe((track as string).slice(2, 5));
    }
  });

  it('writes one log file per day, log_data/YYYY/MM/YYYY-MM-DD-events.json, across a month end', () => {
    expect(files.logFiles.map((f) => f.path)).toEqual([
      'log_data/2018/11/2018-11-28-events.json',
      'log_data/2018/11/2018-11-29-events.json',
      'log_data/2018/11/2018-11-30-events.json',
      'log_data/2018/12/2018-12-01-events.json',
      'log_data/2018/12/2018-12-02-events.json',
    ]);
    expect(files.topLevel).toEqual(['log_data', 'log_json_path.json', 'song_data']);
  });

  it('writes log_json_path.json with the 18 fields in column order, as the bucket has it', () => {
    const text = readFileSync(`${dir}/log_json_path.json`, 'utf8');
    expect(JSON.parse(text)).toEqual({ jsonpaths: LOG_FIELDS.map((f) => `$['${f}']`) });
    if (existsSync(SAMPLE)) expect(text).toBe(readFileSync(`${SAMPLE}/log_json_path.json`, 'utf8'));
  });

  it('writes exactly the requested number of song records, every field with its type', () => {
    expect(songs.length).toBe(OPTIONS.songs);
    const problems: string[] = [];
    for (const { record, path } of songs) {
      const check = (ok: boolean, what: string): void => {
        if (!ok) problems.push(`${path}: ${what}`);
      };
      check(Object.keys(record).sort().join() === [...SONG_KEYS].sort().join(), 'keys');
      check(record.num_songs === 1, 'num_songs');
      check(/^AR[A-Z0-9]{16}$/.test(String(record.artist_id)), 'artist_id');
      check(/^SO[A-Z0-9]{16}$/.test(String(record.song_id)), 'song_id');
      for (const key of ['artist_latitude', 'artist_longitude']) check(record[key] === null || typeof record[key] === 'number', key);
      for (const key of ['artist_location', 'artist_name', 'title']) check(typeof record[key] === 'string', key);
      check(typeof record.duration === 'number' && /^\d+(\.\d{1,5})?$/.test(String(record.duration)), 'duration');
      check(Number.isInteger(record.year), 'year');
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it('has the traits of the real song files', () => {
    const share = (test: (r: Record<string, unknown>) => boolean): number => songs.filter((s) => test(s.record)).length / songs.length;
    expect(share((r) => r.year === 0)).toBeGreaterThan(0.4);
    expect(share((r) => r.artist_latitude === null)).toBeGreaterThan(0.3);
    expect(share((r) => r.artist_location === '')).toBeGreaterThan(0.25);
    expect(share((r) => /[^\x00-\x7f]/.test(`${r.artist_name as string}${r.title as string}`))).toBeGreaterThan(0.01);
    const perArtist = new Map<unknown, number>();
    for (const { record } of songs) perArtist.set(record.artist_id, (perArtist.get(record.artist_id) ?? 0) + 1);
    expect([...perArtist.values()].filter((n) => n >= 3).length).toBeGreaterThan(10);
    // Non-ASCII is written as \u00XX escapes: the files are pure ASCII.
    for (const file of files.songFiles) expect(/[^\x00-\x7f]/.test(file.text), file.path).toBe(false);
    expect(files.songFiles.some((f) => /\\u00[0-9a-f]{2}/.test(f.text))).toBe(true);
  });

  it('mostly writes one compact object per file like the sample, some pretty-printed, some concatenated', () => {
    const compact = /^\{"num_songs": 1, "artist_id": "AR[A-Z0-9]{16}", "artist_latitude": [^\n]*, "year": \d+\}$/;
    const single = files.songFiles.filter((f) => songObjects(f.text).length === 1);
    const several = files.songFiles.filter((f) => songObjects(f.text).length > 1);
    expect(single.filter((f) => compact.test(f.text)).length / files.songFiles.length).toBeGreaterThan(0.8);
    expect(single.some((f) => f.text.startsWith('{\n    "artist_id": '))).toBe(true);
    expect(several.length).toBeGreaterThan(0);
    // No trailing newline, as in the sample.
    expect(files.songFiles.every((f) => f.text.endsWith('}'))).toBe(true);
  });

  it('gives byte-identical output for the same options and seed, and different output for another seed', async () => {
    const again = tempDataset('again');
    const other = tempDataset('other');
    dirs.push(again, other);
    await generate({ out: again, ...OPTIONS });
    await generate({ out: other, ...OPTIONS, seed: 8 });
    const first = await datasetDigest(dir);
    expect(await datasetDigest(again)).toEqual(first);
    expect(await datasetDigest(other)).not.toEqual(first);
  });

  it('leaves the song files unchanged when only the events change', async () => {
    const more = tempDataset('more');
    dirs.push(more);
    await generate({ out: more, ...OPTIONS, events: 1_000 });
    const songDigests = (d: Map<string, string>): string[] =>
      [...d].filter(([path]) => path.startsWith('song_data/')).map(([path, hash]) => `${path} ${hash}`);
    expect(songDigests(await datasetDigest(more))).toEqual(songDigests(await datasetDigest(dir)));
  });

  it('refuses a folder holding a dataset unless forced', async () => {
    await expect(generate({ out: dir, ...OPTIONS })).rejects.toThrow(/already holds a dataset.*--force/);
    await expect(generate({ out: dir, ...OPTIONS, force: true })).resolves.toMatchObject({ events: OPTIONS.events });
  });

  it('writes clean JSON lines without the quirks when asked', async () => {
    const clean = tempDataset('clean');
    dirs.push(clean);
    await generate({ out: clean, ...OPTIONS, quirks: false });
    const { logFiles } = await readDataset(clean);
    for (const file of logFiles) {
      expect(file.text.endsWith('\n')).toBe(true);
      expect(file.text).not.toContain('\\/');
      expect(file.text).not.toContain('\\u0019');
      expect(file.text).not.toMatch(/"registration":\d+\.0/);
      expect(file.text).not.toMatch(/"userAgent":"\\"/);
      for (const line of logLines(file.text).filter((l) => l !== '')) {
        expect(Object.keys(JSON.parse(line))).toEqual(LOG_FIELDS);
      }
    }
  });
});
