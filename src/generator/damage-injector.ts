/**
 * Damaged records for `--damage <rate>`: after each valid record, with probability `rate`, an extra record
 * that a loader must reject (malformed JSON, a truncated line, a value of the wrong type, JSON that is not an
 * object). They are added, never substituted, so the valid data is the same with or without damage, and
 * every one is listed in damage.json with its file and line so that reject handling can be checked exactly.
 */
import type { RandomSource } from './random-source.js';
import { formatEventLine, formatFields, songJsonFields, type EventJson, type SongRecord } from './record-formatter.js';

/** A record that a loader must reject, where it is and how it is broken. */
export interface DamagedRecord {
  /** Path relative to the dataset folder, with `/`. */
  readonly file: string;
  /** 1-based line where the record starts. */
  readonly line: number;
  readonly kind: string;
}

/** Harmless damage a loader must accept without rejecting anything. */
export interface BenignDamage {
  readonly file: string;
  readonly kind: 'bom' | 'crlf' | 'empty-file';
}

/** A damaged record's text and kind. */
export interface DamagedText {
  readonly text: string;
  readonly kind: string;
}

/**
 * Wrong-type replacements of log fields (JSON text), each a reason to reject the whole record. Not numbers or
 * booleans in text fields, nor numbers written as strings: the record checks take those, as Redshift does.
 */
const EVENT_WRONG_TYPES: readonly (readonly [keyof EventJson, string])[] = [
  ['ts', '"abc"'],
  ['ts', 'null'],
  ['itemInSession', '"x"'],
  ['sessionId', '12.5'],
  ['status', '"two hundred"'],
  ['auth', '["Logged In"]'],
  ['userId', '"abc"'],
  ['length', '"246,30812"'],
  ['registration', '"yesterday"'],
  ['firstName', '{"first":5}'],
  ['page', '[]'],
];

/** Wrong-type replacements of song fields. */
const SONG_WRONG_TYPES: readonly (readonly [string, string])[] = [
  ['duration', '"abc"'],
  ['year', '"1999-01-01"'],
  ['num_songs', '"one"'],
  ['artist_latitude', '"north"'],
  ['title', '[404]'],
];

/** Decides where damage goes and makes the damaged text. */
export class DamageInjector {
  constructor(
    private readonly rate: number,
    private readonly random: RandomSource,
  ) {}

  /** Whether to add a damaged record after the current one. */
  strikes(): boolean {
    return this.rate > 0 && this.random.chance(this.rate);
  }

  /** A damaged copy of a log event (`line` is its formatted text). */
  damageEvent(e: EventJson, line: string): DamagedText {
    switch (this.random.weighted([20, 20, 10, 50])) {
      case 0:
        return { text: this.malformed(line), kind: 'malformed-json' };
      case 1:
        return { text: this.truncated(line), kind: 'truncated' };
      case 2:
        return { text: this.random.chance(0.5) ? `[${line}]` : 'null', kind: 'not-an-object' };
      default: {
        const [field, value] = this.random.pick(EVENT_WRONG_TYPES);
        return { text: formatEventLine({ ...e, [field]: value }), kind: `wrong-type:${field}` };
      }
    }
  }

  /** The text of a damaged song file made from a fresh song record. */
  damageSong(song: SongRecord): DamagedText {
    const fields = songJsonFields(song);
    switch (this.random.weighted([30, 30, 40])) {
      case 0:
        return { text: this.truncated(formatFields(fields)), kind: 'truncated' };
      case 1:
        // A missing comma between two fields.
        return { text: formatFields(fields).replace(', "artist_id"', ' "artist_id"'), kind: 'malformed-json' };
      default: {
        const [field, value] = this.random.pick(SONG_WRONG_TYPES);
        const broken = fields.map(([key, text]): [string, string] => [key, key === field ? value : text]);
        return { text: formatFields(broken), kind: `wrong-type:${field}` };
      }
    }
  }

  /** A strict prefix of a JSON object is never valid JSON: its braces are not balanced. */
  private truncated(text: string): string {
    return text.slice(0, this.random.between(Math.min(10, text.length - 2), text.length - 2));
  }

  private malformed(line: string): string {
    switch (this.random.int(5)) {
      case 0:
        return line.replace(',"auth":', ' "auth":');
      case 1:
        return `{'artist'${line.slice('{"artist"'.length)}`;
      case 2:
        return `${line.slice(0, -1)},}`;
      case 3:
        return `${line}}`;
      default:
        return line.replace(/"method":"(GET|PUT)"/, '"method":"$1"GET"');
    }
  }
}
