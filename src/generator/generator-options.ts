/**
 * Options of `sparkify generate` and of the library function `generate()`: their defaults, their limits and
 * their validation. Messages name the command-line flag, since the options map one to one onto flags.
 */
import { isCalendarDay } from '../calendar-day.js';
import { ConfigError } from '../errors.js';

/** What to generate. Only `out` is required; the defaults make a small dataset like the bundled sample. */
export interface GenerateOptions {
  /** Folder to write `song_data/`, `log_data/` and `log_json_path.json` into. */
  out: string;
  /** Number of song records in song_data (default 300). */
  songs?: number;
  /** Number of valid log events over all days (default 2,500). */
  events?: number;
  /** Number of days of logs, one file per day (default 7). */
  days?: number;
  /** First day of the logs, `YYYY-MM-DD` in UTC (default 2018-11-01, as the public sample). */
  start?: string;
  /** Seed of every random choice: the same options and seed give byte-identical output (default 1). */
  seed?: number;
  /** Size of the user population (default: about one user per 50 events, at least 10). */
  users?: number;
  /** Share of plays that name a song of song_data by (title, artist, length) (default 0.35). */
  matchRate?: number;
  /** Probability that a damaged record is added after each record, listed in `damage.json` (default 0). */
  damage?: number;
  /** Add harmless damage too (CRLF line ends, a byte order mark, an empty file); default: on when `damage` > 0. */
  benign?: boolean;
  /** Reproduce the quirks of the real files (mojibake, `\u0019`, `\/`, quoted userAgent, ...); default true. */
  quirks?: boolean;
  /** Replace a dataset already in `out` (only song_data/, log_data/, log_json_path.json, damage.json). */
  force?: boolean;
  /** Called as the work advances (every few thousand records), e.g. to draw a progress bar. */
  onProgress?: (progress: GenerateProgress) => void;
}

/** How far `generate()` has got: songs first, then events. */
export interface GenerateProgress {
  readonly phase: 'songs' | 'events';
  readonly done: number;
  readonly total: number;
}

/** Options with every default filled in and every value checked. */
export interface ResolvedGenerateOptions {
  readonly out: string;
  readonly songs: number;
  readonly events: number;
  readonly days: number;
  readonly start: string;
  /** Midnight UTC of `start`, in epoch seconds. */
  readonly startEpochSeconds: number;
  readonly seed: number;
  readonly users: number;
  readonly matchRate: number;
  readonly damage: number;
  readonly benign: boolean;
  readonly quirks: boolean;
  readonly force: boolean;
}

/** Default values, shared by the CLI help and the library. */
export const GENERATE_DEFAULTS = {
  songs: 300,
  events: 2_500,
  days: 7,
  start: '2018-11-01',
  seed: 1,
  matchRate: 0.35,
  damage: 0,
  quirks: true,
} as const;

const MAX_SONGS = 100_000_000;
const MAX_EVENTS = 10_000_000_000;
const MAX_DAYS = 3_660;
const MAX_USERS = 10_000_000;

/** Fills in defaults and validates; throws `ConfigError` naming the flag and the expected value. */
export function resolveGenerateOptions(options: GenerateOptions): ResolvedGenerateOptions {
  if (typeof options.out !== 'string' || options.out.trim() === '') {
    throw new ConfigError('Invalid --out: expected a folder path');
  }
  const songs = integerIn('--songs', options.songs ?? GENERATE_DEFAULTS.songs, 1, MAX_SONGS);
  const events = integerIn('--events', options.events ?? GENERATE_DEFAULTS.events, 1, MAX_EVENTS);
  const days = integerIn('--days', options.days ?? GENERATE_DEFAULTS.days, 1, MAX_DAYS);
  const start = options.start ?? GENERATE_DEFAULTS.start;
  const startEpochSeconds = parseStartDate(start);
  const seed = integerIn('--seed', options.seed ?? GENERATE_DEFAULTS.seed, 0, Number.MAX_SAFE_INTEGER);
  const users = integerIn('--users', options.users ?? defaultUsers(events), 1, MAX_USERS);
  const matchRate = numberIn('--match-rate', options.matchRate ?? GENERATE_DEFAULTS.matchRate, 0, 1);
  const damage = numberIn('--damage', options.damage ?? GENERATE_DEFAULTS.damage, 0, 0.5);
  return {
    out: options.out,
    songs,
    events,
    days,
    start,
    startEpochSeconds,
    seed,
    users,
    matchRate,
    damage,
    benign: options.benign ?? damage > 0,
    quirks: options.quirks ?? GENERATE_DEFAULTS.quirks,
    force: options.force ?? false,
  };
}

/** About fifty events per user keeps small datasets lively and large ones realistic (the sample has ~80). */
function defaultUsers(events: number): number {
  return Math.min(MAX_USERS, Math.max(10, Math.round(events / 50)));
}

/**
 * Parses a command-line value as a number, for the CLI: the range is checked later by `resolveGenerateOptions`.
 * @example parseNumberFlag('--songs', '300') // 300
 */
export function parseNumberFlag(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const text = raw.trim().replace(/_/g, '');
  const value = text === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value)) throw new ConfigError(`Invalid ${flag}: expected a number, got "${raw}"`);
  return value;
}

function integerIn(flag: string, value: number, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`Invalid ${flag}: expected an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

function numberIn(flag: string, value: number, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(`Invalid ${flag}: expected a number from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

function parseStartDate(start: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(start);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  const ms = Date.UTC(year, month - 1, day);
  const valid = isCalendarDay(start) && year >= 1970;
  if (!valid) throw new ConfigError(`Invalid --start: expected a date YYYY-MM-DD from 1970 on, got "${start}"`);
  return ms / 1000;
}
