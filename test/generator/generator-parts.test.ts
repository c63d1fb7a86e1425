/**
 * The generator's building blocks: the seeded random source, the text formats of the real files, the quirks,
 * the daily rhythm and the IDs.
 */
import { describe, expect, it } from 'vitest';
import { dailyTargets, sortedSecondsOfDay } from '../../src/generator/activity-rhythm.js';
import { RandomSource } from '../../src/generator/random-source.js';
import { asciiJsonString, formatSongCompact, formatSongPretty, logJsonString, pythonFloat } from '../../src/generator/record-formatter.js';
import { makeTrackId, scrambledHex, songFilePath } from '../../src/generator/song-catalog-generator.js';
import { controlApostrophes, mojibake, quoteUserAgent } from '../../src/generator/text-quirks.js';

describe('RandomSource', () => {
  it('repeats a stream for the same seed and name, and differs across seeds and names', () => {
    const draw = (seed: number, name: string): number[] => {
      const random = RandomSource.fromSeed(seed, name);
      return Array.from({ length: 5 }, () => random.uint32());
    };
    expect(draw(1, 'songs')).toEqual(draw(1, 'songs'));
    expect(draw(1, 'songs')).not.toEqual(draw(2, 'songs'));
    expect(draw(1, 'songs')).not.toEqual(draw(1, 'events'));
    expect(draw(2 ** 40, 'songs')).not.toEqual(draw(0, 'songs'));
  });

  it('draws numbers in range with the expected mean', () => {
    const random = RandomSource.fromSeed(3, 'test');
    const xs = Array.from({ length: 20_000 }, () => random.next());
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(Math.abs(xs.reduce((a, b) => a + b, 0) / xs.length - 0.5)).toBeLessThan(0.01);
    const ints = new Set(Array.from({ length: 1_000 }, () => random.between(3, 5)));
    expect([...ints].sort()).toEqual([3, 4, 5]);
  });
});

describe('text of the real files', () => {
  it('writes floats as Python does', () => {
    expect(pythonFloat(1540919166796)).toBe('1540919166796.0');
    expect(pythonFloat(40)).toBe('40.0');
    expect(pythonFloat(337.68444)).toBe('337.68444');
    expect(pythonFloat(-86.77836)).toBe('-86.77836');
  });

  it('escapes non-ASCII as \\u00XX in song files and / as \\/ in log lines', () => {
    expect(asciiJsonString('Clementina Santafè')).toBe('"Clementina Santaf\\u00e8"');
    expect(asciiJsonString('a/b')).toBe('"a/b"');
    expect(logJsonString('Mozilla/5.0', true)).toBe('"Mozilla\\/5.0"');
    expect(logJsonString('Mozilla/5.0', false)).toBe('"Mozilla/5.0"');
    expect(logJsonString(null, true)).toBe('null');
    expect(logJsonString('Howlin\u0019 For You', true)).toBe('"Howlin\\u0019 For You"');
  });

  it('writes a song file like the public sample', () => {
    const song = {
      artist_id: 'ARGCY1Y1187B9A4FA5',
      artist_latitude: 36.16778,
      artist_longitude: -86.77836,
      artist_location: 'Nashville, TN.',
      artist_name: 'Gloriana',
      song_id: 'SOQOTLQ12AB01868D0',
      title: 'Clementina Santafè',
      duration: 153.33832,
      year: 0,
    };
    // The sample's song_data/A/B/B/TRABBJE12903CDB442.json, byte for byte.
    expect(formatSongCompact(song)).toBe(
      '{"num_songs": 1, "artist_id": "ARGCY1Y1187B9A4FA5", "artist_latitude": 36.16778, "artist_longitude": -86.77836, ' +
        '"artist_location": "Nashville, TN.", "artist_name": "Gloriana", "song_id": "SOQOTLQ12AB01868D0", ' +
        '"title": "Clementina Santaf\\u00e8", "duration": 153.33832, "year": 0}',
    );
    expect(JSON.parse(formatSongPretty(song))).toEqual({ num_songs: 1, ...song });
    expect(formatSongPretty(song).split('\n')[1]).toBe('    "artist_id": "ARGCY1Y1187B9A4FA5",');
  });
});

describe('quirks', () => {
  it('double-encodes non-ASCII text as the real logs do', () => {
    expect(mojibake('Björk')).toBe('Bj\u00c3\u0083\u00c2\u00b6rk');
    expect(logJsonString(mojibake('Beyoncé'), true)).toBe('"Beyonc\\u00c3\\u0083\\u00c2\\u00a9"');
    expect(mojibake('plain')).toBe('plain');
    // Decoding Latin-1 to UTF-8 twice restores the name.
    const restore = (s: string): string => Buffer.from(s, 'latin1').toString('utf8');
    expect(restore(restore(mojibake('Sigur Rós')))).toBe('Sigur Rós');
  });

  it('replaces apostrophes with U+0019 and quotes user agents that hold a comma', () => {
    expect(controlApostrophes("Howlin' For You")).toBe('Howlin\u0019 For You');
    expect(quoteUserAgent('Mozilla/5.0 (KHTML, like Gecko)')).toBe('"Mozilla/5.0 (KHTML, like Gecko)"');
    expect(quoteUserAgent('Mozilla/5.0 (Windows NT 5.1; rv:31.0) Gecko/20100101 Firefox/31.0')).toBe(
      'Mozilla/5.0 (Windows NT 5.1; rv:31.0) Gecko/20100101 Firefox/31.0',
    );
  });
});

describe('activity rhythm', () => {
  it('splits the events over the days exactly, fewer on weekends', () => {
    const start = Date.UTC(2018, 10, 1) / 1_000;
    const targets = dailyTargets(70_000, 28, start, RandomSource.fromSeed(1, 'days'));
    expect(targets.reduce((a, b) => a + b, 0)).toBe(70_000);
    expect(dailyTargets(5, 7, start, RandomSource.fromSeed(1, 'days')).reduce((a, b) => a + b, 0)).toBe(5);
    expect(dailyTargets(7, 7, start, RandomSource.fromSeed(1, 'days'))).toEqual([1, 1, 1, 1, 1, 1, 1]);
    // 2018-11-01 is a Thursday: days 3, 10, 17, 24 are Sundays; days 5, 12, 19, 26 Tuesdays.
    const sundays = [3, 10, 17, 24].reduce((sum, d) => sum + (targets[d] as number), 0);
    const tuesdays = [5, 12, 19, 26].reduce((sum, d) => sum + (targets[d] as number), 0);
    expect(sundays).toBeLessThan(tuesdays);
  });

  it('draws sorted seconds within the day', () => {
    const day = Date.UTC(2018, 10, 1) / 1_000;
    const seconds = [...sortedSecondsOfDay(day, 50_000, RandomSource.fromSeed(1, 'seconds'))];
    expect(seconds.length).toBe(50_000);
    expect(seconds.every((s, i) => s >= day && s < day + 86_400 && (i === 0 || s >= (seconds[i - 1] as number)))).toBe(true);
    const hour = (h: number): number => seconds.filter((s) => Math.floor((s - day) / 3_600) === h).length;
    expect(hour(16)).toBeGreaterThan(2.5 * hour(3));
  });
});

describe('IDs', () => {
  it('makes unique track IDs shaped like the bucket, and their partition paths', () => {
    const random = RandomSource.fromSeed(1, 'ids');
    const ids = Array.from({ length: 10_000 }, (_, i) => makeTrackId(i, 'ABC', random));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 100)) expect(id).toMatch(/^TR[ABC]{3}[A-Z]{2}12[0-9A-F]{9}$/);
    expect(songFilePath('TRABBNP128F932546F')).toBe('song_data/A/B/B/TRABBNP128F932546F.json');
    expect(new Set(Array.from({ length: 10_000 }, (_, i) => scrambledHex(i, 28, 7))).size).toBe(10_000);
  });
});
