/**
 * An independent computation of the star schema's figures over a dataset folder (song_data/ and log_data/),
 * in plain TypeScript over the raw files, following DATA.md's rules. It shares no code with the pipeline or
 * the generator on purpose: tests compare the pipeline (and the generator's own counts) against it.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** The figures a run must produce for a dataset, and the records it must reject. */
export interface ReferenceStar {
  /** Valid log records (rows of staging_events). */
  readonly stagingEvents: number;
  /** Valid song records (rows of staging_songs). */
  readonly stagingSongs: number;
  readonly nextSongEvents: number;
  /** One songplay per NextSong event. */
  readonly songplays: number;
  /** Songplays whose (song, artist, length) equals (title, artist_name, duration) of some song record. */
  readonly matchedSongplays: number;
  /** Distinct user ids of NextSong events, and their split by the level of each user's latest NextSong. */
  readonly users: number;
  readonly paidUsers: number;
  readonly freeUsers: number;
  /** Distinct ts among NextSong events. */
  readonly time: number;
  readonly songs: number;
  readonly artists: number;
  readonly rejectedEvents: number;
  readonly rejectedSongs: number;
  /** Every rejected record: file relative to the dataset folder (with `/`) and 1-based starting line. */
  readonly rejects: readonly { readonly file: string; readonly line: number }[];
}

const TEXT_EVENT_FIELDS = [
  'artist',
  'auth',
  'firstName',
  'gender',
  'lastName',
  'level',
  'location',
  'method',
  'page',
  'song',
  'userAgent',
] as const;
const INTEGER_EVENT_FIELDS = ['itemInSession', 'sessionId', 'status', 'ts'] as const;

/** Lists the files under `folder` (recursively) ending in `.json`, in sorted path order. */
async function jsonFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

function isTextOrNull(value: unknown): boolean {
  return value === null || value === undefined || typeof value === 'string';
}

/** Null when the log record is valid, else why not. */
function eventProblem(record: unknown): string | null {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return 'not an object';
  const r = record as Record<string, unknown>;
  for (const key of INTEGER_EVENT_FIELDS) {
    const value = r[key];
    if (key === 'ts' ? !isInteger(value) : !(value === null || value === undefined || isInteger(value))) return key;
  }
  for (const key of ['length', 'registration']) {
    const value = r[key];
    if (!(value === null || value === undefined || typeof value === 'number')) return key;
  }
  for (const key of TEXT_EVENT_FIELDS) if (!isTextOrNull(r[key])) return key;
  const userId = r.userId;
  if (!(userId === null || userId === undefined || (typeof userId === 'string' && /^\d*$/.test(userId)))) return 'userId';
  return null;
}

/** Null when the song record is valid, else why not. */
function songProblem(record: unknown): string | null {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return 'not an object';
  const r = record as Record<string, unknown>;
  for (const key of ['num_songs', 'year']) if (!(r[key] === null || r[key] === undefined || isInteger(r[key]))) return key;
  for (const key of ['artist_latitude', 'artist_longitude', 'duration']) {
    if (!(r[key] === null || r[key] === undefined || typeof r[key] === 'number')) return key;
  }
  for (const key of ['artist_location', 'artist_name', 'title']) if (!isTextOrNull(r[key])) return key;
  for (const key of ['artist_id', 'song_id']) if (typeof r[key] !== 'string' || r[key] === '') return key;
  return null;
}

/**
 * Splits a song file into the texts of its top-level values with their starting lines, by counting braces
 * outside strings. Text that is not inside braces, or an object the file cuts off, is returned as a value of
 * its own (which then fails to parse).
 */
function splitObjects(text: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let depth = 0;
  let inString = false;
  let escaped = false;
  let line = 1;
  let start = -1;
  let startLine = 1;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === '\n') line += 1;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (depth === 0 && start === -1 && c !== undefined && /\S/.test(c)) {
      start = i;
      startLine = line;
    }
    if (c === '"') inString = true;
    else if (c === '{') depth += 1;
    else if (c === '}' && depth > 0) {
      depth -= 1;
      if (depth === 0) {
        out.push({ text: text.slice(start, i + 1), line: startLine });
        start = -1;
      }
    } else if (depth === 0 && c === '\n' && start !== -1) {
      // Stray text outside any object ends at its line end.
      out.push({ text: text.slice(start, i), line: startLine });
      start = -1;
    }
  }
  if (start !== -1) out.push({ text: text.slice(start), line: startLine });
  return out;
}

function parse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

async function readText(path: string): Promise<string> {
  const text = await readFile(path, 'utf8');
  return text.startsWith('\ufeff') ? text.slice(1) : text;
}

/** Computes the reference figures of the dataset in `dir` (holding song_data/ and log_data/). */
export async function computeReferenceStar(dir: string): Promise<ReferenceStar> {
  const rejects: { file: string; line: number }[] = [];
  const relativeName = (path: string): string => relative(dir, path).split(sep).join('/');

  const triples = new Set<string>();
  const songIds = new Set<string>();
  const artistIds = new Set<string>();
  let stagingSongs = 0;
  let rejectedSongs = 0;
  for (const path of await jsonFiles(join(dir, 'song_data'))) {
    for (const piece of splitObjects(await readText(path))) {
      const parsed = parse(piece.text);
      if (!parsed.ok || songProblem(parsed.value) !== null) {
        rejectedSongs += 1;
        rejects.push({ file: relativeName(path), line: piece.line });
        continue;
      }
      const song = parsed.value as { title: string; artist_name: string; duration: number; song_id: string; artist_id: string };
      stagingSongs += 1;
      triples.add(JSON.stringify([song.title, song.artist_name, song.duration]));
      songIds.add(song.song_id);
      artistIds.add(song.artist_id);
    }
  }

  let stagingEvents = 0;
  let rejectedEvents = 0;
  let nextSongEvents = 0;
  let matchedSongplays = 0;
  const times = new Set<number>();
  // Latest NextSong per user: ts, then position in file order (sorted files, then lines) breaks ties.
  const latest = new Map<number, { ts: number; order: number; level: unknown }>();
  let order = 0;
  for (const path of await jsonFiles(join(dir, 'log_data'))) {
    const lines = (await readText(path)).split('\n');
    for (let i = 0; i < lines.length; i += 1) {
      const text = (lines[i] as string).replace(/\r$/, '');
      if (text.trim() === '') continue;
      order += 1;
      const parsed = parse(text);
      if (!parsed.ok || eventProblem(parsed.value) !== null) {
        rejectedEvents += 1;
        rejects.push({ file: relativeName(path), line: i + 1 });
        continue;
      }
      stagingEvents += 1;
      const event = parsed.value as {
        page: unknown;
        song: unknown;
        artist: unknown;
        length: unknown;
        ts: number;
        userId: unknown;
        level: unknown;
      };
      if (event.page !== 'NextSong') continue;
      nextSongEvents += 1;
      times.add(event.ts);
      if (triples.has(JSON.stringify([event.song, event.artist, event.length]))) matchedSongplays += 1;
      if (typeof event.userId === 'string' && event.userId !== '') {
        const user = Number.parseInt(event.userId, 10);
        const seen = latest.get(user);
        if (seen === undefined || event.ts > seen.ts || (event.ts === seen.ts && order > seen.order)) {
          latest.set(user, { ts: event.ts, order, level: event.level });
        }
      }
    }
  }
  let paidUsers = 0;
  for (const { level } of latest.values()) if (level === 'paid') paidUsers += 1;

  return {
    stagingEvents,
    stagingSongs,
    nextSongEvents,
    songplays: nextSongEvents,
    matchedSongplays,
    users: latest.size,
    paidUsers,
    freeUsers: latest.size - paidUsers,
    time: times.size,
    songs: songIds.size,
    artists: artistIds.size,
    rejectedEvents,
    rejectedSongs,
    rejects,
  };
}
