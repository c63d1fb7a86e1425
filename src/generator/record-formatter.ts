/**
 * Writes song records and log events as the text of the real files, byte for byte: song files as Python's
 * `json.dumps` wrote them (`": "` and `", "` separators, `\u00e8` escapes, floats like `40.0`), log lines
 * as eventsim wrote them (no spaces, `\/` escapes, the 18 keys in alphabetical order).
 */

/** One song record of song_data, with the field names of the files. */
export interface SongRecord {
  readonly artist_id: string;
  readonly artist_latitude: number | null;
  readonly artist_longitude: number | null;
  readonly artist_location: string;
  readonly artist_name: string;
  readonly song_id: string;
  readonly title: string;
  readonly duration: number;
  readonly year: number;
}

/**
 * One log event whose values are already JSON text (`null`, `"Logged In"`, `1540919166796.0`), so values that
 * repeat (a user's name, a song) are escaped once instead of on every line. Numbers stay numbers.
 */
export interface EventJson {
  artist: string;
  auth: string;
  firstName: string;
  gender: string;
  itemInSession: number | string;
  lastName: string;
  length: string;
  level: string;
  location: string;
  method: string;
  page: string;
  registration: string;
  sessionId: number | string;
  song: string;
  status: number | string;
  ts: number | string;
  userAgent: string;
  userId: string;
}

/** The 18 log fields in the order of the files and of log_json_path.json. */
export const EVENT_FIELDS = [
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
] as const satisfies readonly (keyof EventJson)[];

/** The Redshift JSONPaths file of the bucket, byte for byte (4-space indent, no trailing newline). */
export const LOG_JSON_PATH_TEXT =
  '{\n    "jsonpaths": [\n' + EVENT_FIELDS.map((field) => `        "$['${field}']"`).join(',\n') + '\n    ]\n}';

/**
 * A float as Python's `repr` writes it: integral values keep `.0` (`1540919166796.0`, `40.0`).
 * JavaScript and Python both print the shortest digits that round-trip; they differ only on integral values
 * and on exponent notation below 1e-4, which the generator never produces.
 */
export function pythonFloat(x: number): string {
  return Number.isInteger(x) ? `${x}.0` : String(x);
}

const SMALL_INTEGERS = Array.from({ length: 1_000 }, (_, i) => String(i));
const DIGIT_TRIPLES = Array.from({ length: 1_000 }, (_, i) => String(i).padStart(3, '0'));

/**
 * A non-negative integer as text, from tables of three digits. `String(n)` goes through V8's number-string
 * cache, which keeps every new string alive in the old generation; with a new ts on nearly every line that
 * made 40 bytes of long-lived garbage per event and doubled the peak memory of large runs.
 * @example integerText(1541105830796) // '1541105830796'
 */
export function integerText(n: number): string {
  if (n < 1_000) return SMALL_INTEGERS[n] as string;
  let rest = Math.floor(n / 1_000);
  let text = DIGIT_TRIPLES[n % 1_000] as string;
  while (rest >= 1_000) {
    text = (DIGIT_TRIPLES[rest % 1_000] as string) + text;
    rest = Math.floor(rest / 1_000);
  }
  return (SMALL_INTEGERS[rest] as string) + text;
}

const NON_ASCII = /[\u0080-\uffff]/g;
const NEEDS_ESCAPE = /["\\/\u0000-\u001f\u0080-\uffff]/;

function escapeNonAscii(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** A string as JSON text with every non-ASCII character written `\u00XX`, as in the song files. */
export function asciiJsonString(text: string): string {
  return JSON.stringify(text).replace(NON_ASCII, escapeNonAscii);
}

/**
 * A string as JSON text of a log line. With the quirks on: ASCII only and `/` written `\/`, as eventsim's
 * Java JSON library did; without them: plain `JSON.stringify`.
 */
export function logJsonString(text: string | null, quirks: boolean): string {
  if (text === null) return 'null';
  if (!NEEDS_ESCAPE.test(text)) return `"${text}"`;
  if (!quirks) return JSON.stringify(text);
  return JSON.stringify(text).replace(/\//g, '\\/').replace(NON_ASCII, escapeNonAscii);
}

/** A log line without its line end. */
export function formatEventLine(e: EventJson): string {
  return (
    `{"artist":${e.artist},"auth":${e.auth},"firstName":${e.firstName},"gender":${e.gender},` +
    `"itemInSession":${e.itemInSession},"lastName":${e.lastName},"length":${e.length},"level":${e.level},` +
    `"location":${e.location},"method":${e.method},"page":${e.page},"registration":${e.registration},` +
    `"sessionId":${e.sessionId},"song":${e.song},"status":${e.status},"ts":${e.ts},` +
    `"userAgent":${e.userAgent},"userId":${e.userId}}`
  );
}

function nullableFloat(x: number | null): string {
  return x === null ? 'null' : pythonFloat(x);
}

/** The (key, JSON text) pairs of a song record in the order of the sample files. */
export function songJsonFields(song: SongRecord): [string, string][] {
  return [
    ['num_songs', '1'],
    ['artist_id', asciiJsonString(song.artist_id)],
    ['artist_latitude', nullableFloat(song.artist_latitude)],
    ['artist_longitude', nullableFloat(song.artist_longitude)],
    ['artist_location', asciiJsonString(song.artist_location)],
    ['artist_name', asciiJsonString(song.artist_name)],
    ['song_id', asciiJsonString(song.song_id)],
    ['title', asciiJsonString(song.title)],
    ['duration', pythonFloat(song.duration)],
    ['year', String(song.year)],
  ];
}

/** A song record on one line, as in the public sample: `{"num_songs": 1, "artist_id": "AR...", ...}`. */
export function formatSongCompact(song: SongRecord): string {
  return formatFields(songJsonFields(song));
}

/** Joins (key, JSON text) pairs into a one-line object with Python's default separators. */
export function formatFields(fields: readonly (readonly [string, string])[]): string {
  return `{${fields.map(([key, value]) => `"${key}": ${value}`).join(', ')}}`;
}

/** A song record pretty-printed with sorted keys, as `json.dumps(song, indent=4, sort_keys=True)` writes it. */
export function formatSongPretty(song: SongRecord): string {
  const fields = songJsonFields(song).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{\n${fields.map(([key, value]) => `    "${key}": ${value}`).join(',\n')}\n}`;
}
