/**
 * `generate()`: the event logs behave like eventsim's (fields and types, sessions, logged-out visitors, page
 * mix, level changes, timestamps and daily rhythm), plays match song_data at the requested rate, the quirks
 * of the real files are there, and the generator's own counts agree with an independent computation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, type GenerateResult } from '../../src/generator/generate.js';
import { computeReferenceStar, type ReferenceStar } from '../support/reference-star.js';
import { logLines, readDataset, removeDataset, tempDataset } from './dataset-reader.js';

const OPTIONS = { songs: 300, events: 8_000, days: 6, start: '2018-11-01', seed: 11 } as const;
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
const REQUESTS: Record<string, string> = {
  NextSong: 'PUT 200',
  Home: 'GET 200',
  Login: 'PUT 307',
  Logout: 'PUT 307',
  Downgrade: 'GET 200',
  Settings: 'GET 200',
  Help: 'GET 200',
  About: 'GET 200',
  Upgrade: 'GET 200',
  'Save Settings': 'PUT 307',
  Error: 'GET 404',
  'Submit Upgrade': 'PUT 307',
  'Submit Downgrade': 'PUT 307',
};

interface Event {
  readonly file: string;
  readonly raw: string;
  readonly e: Record<string, unknown>;
}

describe('generate: event logs', () => {
  const dirs: string[] = [];
  let result: GenerateResult;
  let reference: ReferenceStar;
  let rawLogs: { path: string; text: string }[];
  const events: Event[] = [];

  beforeAll(async () => {
    const dir = tempDataset('events');
    dirs.push(dir);
    result = await generate({ out: dir, ...OPTIONS });
    reference = await computeReferenceStar(dir);
    rawLogs = [...(await readDataset(dir)).logFiles];
    for (const { path, text } of rawLogs) {
      for (const raw of logLines(text)) events.push({ file: path, raw, e: JSON.parse(raw) as Record<string, unknown> });
    }
  });

  afterAll(async () => {
    for (const d of dirs) await removeDataset(d);
  });

  const where = (ev: Event): string => `${ev.file}: ${ev.raw.slice(0, 120)}`;

  /** What is wrong with one event, per DATA.md and the sample; empty when nothing. */
  function eventProblems(ev: Event): string[] {
    const { e, raw } = ev;
    const problems: string[] = [];
    const check = (ok: boolean, what: string): void => {
      if (!ok) problems.push(`${what}: ${where(ev)}`);
    };
    check(Object.keys(e).join() === LOG_FIELDS.join(), 'keys');
    for (const key of ['itemInSession', 'sessionId', 'status', 'ts']) check(Number.isInteger(e[key]), key);
    check(/"ts":\d{13},/.test(raw), 'ts written as an integer');
    check(typeof e.userId === 'string' && /^\d*$/.test(e.userId), 'userId');
    check(e.level === 'free' || e.level === 'paid', 'level');
    check(`${e.method as string} ${e.status as number}` === REQUESTS[e.page as string], 'method and status');
    const song = e.page === 'NextSong';
    check((typeof e.artist === 'string' && typeof e.song === 'string' && typeof e.length === 'number') === song, 'song');
    if (!song) check(e.artist === null && e.song === null && e.length === null, 'null song');
    if (e.auth === 'Logged In') {
      check(e.userId !== '', 'userId of a logged-in event');
      check(/"registration":\d{13}\.0,/.test(raw), 'registration written as a float');
      for (const key of ['firstName', 'lastName', 'gender', 'location', 'userAgent']) check(typeof e[key] === 'string', key);
    } else {
      check(e.auth === 'Logged Out', 'auth');
      const nulls = [e.firstName, e.lastName, e.gender, e.location, e.userAgent, e.registration];
      check(e.userId === '' && nulls.every((v) => v === null), 'logged-out nulls');
    }
    return problems;
  }

  it('writes exactly the requested number of events, each with the 18 fields in order and the right types', () => {
    expect(events.length).toBe(OPTIONS.events);
    expect(events.flatMap(eventProblems).slice(0, 5)).toEqual([]);
  });

  it('keeps ts in increasing order and on the date of its file, with more plays in the afternoon and evening', () => {
    for (const { path, text } of rawLogs) {
      const date = /(\d{4}-\d{2}-\d{2})-events\.json$/.exec(path)?.[1];
      const ts = logLines(text).map((line) => (JSON.parse(line) as { ts: number }).ts);
      expect(ts.length).toBeGreaterThan(0);
      expect(ts.filter((t, i) => i > 0 && t < (ts[i - 1] as number))).toEqual([]);
      expect(ts.filter((t) => new Date(t).toISOString().slice(0, 10) !== date)).toEqual([]);
    }
    const perHour = new Array<number>(24).fill(0);
    for (const { e } of events) {
      const hour = new Date(e.ts as number).getUTCHours();
      if (e.page === 'NextSong') perHour[hour] = (perHour[hour] as number) + 1;
    }
    const mean = (hours: number[]): number => hours.reduce((sum, h) => sum + (perHour[h] as number), 0) / hours.length;
    expect(mean([15, 16, 17, 18])).toBeGreaterThan(2 * mean([1, 2, 3, 4]));
  });

  it('groups events in sessions of one user whose itemInSession counts up from 0', () => {
    const sessions = new Map<unknown, Event[]>();
    for (const ev of events) {
      const list = sessions.get(ev.e.sessionId) ?? [];
      list.push(ev);
      sessions.set(ev.e.sessionId, list);
    }
    expect(sessions.size).toBeGreaterThan(OPTIONS.events / 30);
    for (const list of sessions.values()) {
      const ids = new Set(list.map((ev) => ev.e.userId).filter((id) => id !== ''));
      expect(ids.size).toBeLessThanOrEqual(1);
      const items = list.map((ev) => ev.e.itemInSession);
      expect(items).toEqual(items.map((_, i) => i));
    }
  });

  it('has logged-out visitors who log in within the same session', () => {
    const loggedOut = events.filter((ev) => ev.e.auth === 'Logged Out');
    expect(loggedOut.length / events.length).toBeGreaterThan(0.01);
    const login = events.findIndex((ev) => ev.e.page === 'Login');
    expect(login).toBeGreaterThanOrEqual(0);
    const after = events.slice(login + 1).find((ev) => ev.e.sessionId === events[login]?.e.sessionId);
    if (after) expect(after.e.auth).toBe('Logged In');
  });

  it('has the page mix of the sample, NextSong the large majority', () => {
    const pages = new Map<unknown, number>();
    for (const { e } of events) pages.set(e.page, (pages.get(e.page) ?? 0) + 1);
    const share = (pages.get('NextSong') ?? 0) / events.length;
    expect(share).toBeGreaterThan(0.78);
    expect(share).toBeLessThan(0.92);
    for (const page of [
      'Home',
      'Login',
      'Logout',
      'Settings',
      'Help',
      'About',
      'Upgrade',
      'Downgrade',
      'Error',
      'Save Settings',
      'Submit Upgrade',
    ]) {
      expect(pages.get(page), page).toBeGreaterThan(0);
    }
    expect([...pages.keys()].every((page) => typeof page === 'string' && page in REQUESTS)).toBe(true);
  });

  it('changes the level of users who upgrade, from the event after Submit Upgrade', () => {
    const levels = new Map<unknown, Set<unknown>>();
    for (const { e } of events) if (e.userId !== '') levels.set(e.userId, (levels.get(e.userId) ?? new Set()).add(e.level));
    expect([...levels.values()].filter((set) => set.size === 2).length).toBeGreaterThan(0);
    const submits = events.filter((ev) => ev.e.page === 'Submit Upgrade');
    expect(submits.length).toBeGreaterThan(0);
    for (const submit of submits) {
      expect(submit.e.level).toBe('free');
      const next = events.slice(events.indexOf(submit) + 1).find((ev) => ev.e.sessionId === submit.e.sessionId);
      if (next) expect(next.e.level).toBe('paid');
    }
  });

  it('registers every user before their first event', () => {
    const first = new Map<unknown, number>();
    for (const { e } of events) if (e.userId !== '' && !first.has(e.userId)) first.set(e.userId, e.ts as number);
    const late = events.filter(({ e }) => e.registration !== null && (e.registration as number) >= (first.get(e.userId) as number));
    expect(late).toEqual([]);
  });

  it('names songs of song_data at the requested rate, and other songs otherwise', () => {
    const rate = reference.matchedSongplays / reference.nextSongEvents;
    expect(Math.abs(rate - 0.35)).toBeLessThan(0.04);
    expect(result.matchedPlays).toBe(reference.matchedSongplays);
  });

  it('follows --match-rate: none at 0, most at 0.8', async () => {
    for (const matchRate of [0, 0.8]) {
      const dir = tempDataset(`rate-${matchRate}`);
      dirs.push(dir);
      await generate({ out: dir, ...OPTIONS, songs: 100, events: 2_500, matchRate });
      const star = await computeReferenceStar(dir);
      expect(Math.abs(star.matchedSongplays / star.nextSongEvents - matchRate)).toBeLessThan(0.05);
    }
  });

  it('has the quirks of the real logs', () => {
    const all = rawLogs.map((f) => f.text).join('\n');
    expect(all).toContain('\\/');
    expect(all).toMatch(/"(song|artist)":"[^"]*\\u00c3\\u0083\\u00c2\\u00[0-9a-f]{2}/);
    expect(all).toMatch(/"song":"[^"]*\\u0019[^"]*"/);
    expect(all).toMatch(/"song":"[^"]* ","status"/);
    expect(all).toMatch(/"userAgent":"\\"Mozilla\\\/5\.0 [^"]*, like Gecko[^"]*\\""/);
    expect(all).toMatch(/"userAgent":"Mozilla\\\/5\.0 [^",]*Firefox[^",]*"/);
    expect(/[^\x00-\x7f]/.test(all)).toBe(false);
    for (const { text } of rawLogs) expect(text.endsWith('}')).toBe(true);
  });

  it('reports counts that agree with an independent computation over the files', () => {
    expect(reference.rejectedEvents + reference.rejectedSongs).toBe(0);
    expect(reference.stagingEvents).toBe(result.events);
    expect(reference.stagingSongs).toBe(result.songs);
    expect(reference.nextSongEvents).toBe(result.nextSongEvents);
    expect(reference.users).toBe(result.users.listeners);
    expect([reference.paidUsers, reference.freeUsers]).toEqual([result.users.paid, result.users.free]);
    expect(reference.songs).toBeLessThanOrEqual(result.songs);
    expect(reference.artists).toBeLessThan(reference.songs);
    expect(reference.time).toBeLessThanOrEqual(reference.nextSongEvents);
  });
});
