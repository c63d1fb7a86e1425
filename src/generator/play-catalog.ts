/**
 * The songs that plays (NextSong events) name. A play names a song of song_data for the share `matchRate`,
 * copying its (title, artist_name, duration) exactly, and otherwise a song that song_data does not hold, as
 * the real logs mostly do. Memory stays bounded at any scale: the catalogue side is a reservoir sample of the
 * song records, the other side a fixed pool sized from the number of events.
 */
import type { RandomSource } from './random-source.js';
import { logJsonString, pythonFloat, type SongRecord } from './record-formatter.js';
import { makeArtistName, makeDuration, makeSongTitle } from './song-name-maker.js';
import { quirkyPlay } from './text-quirks.js';

/** What a NextSong event says about its song, already as JSON text. */
export interface Play {
  readonly artist: string;
  readonly song: string;
  readonly length: string;
  readonly seconds: number;
  /** True when (song, artist, length) equals (title, artist_name, duration) of a record of song_data. */
  readonly matched: boolean;
}

/** Most catalogue songs plays may name: a uniform sample of song_data when it is larger. */
const RESERVOIR_CAPACITY = 50_000;
const MAX_OUTSIDE_POOL = 100_000;
/** Share of unknown songs credited to an artist of song_data (a known artist, a song not in the bucket). */
const KNOWN_ARTIST_SHARE = 0.3;
/** Popularity skew: a few songs get many plays, most get few, as in "most played songs" queries. */
const POPULARITY_POWER = 2.2;

interface SongKey {
  readonly title: string;
  readonly artist: string;
  readonly duration: number;
}

/** Collects the catalogue while song files stream by, then chooses the song of each play. */
export class PlayCatalog {
  private readonly reservoir: SongKey[] = [];
  private seen = 0;
  private matchedPlays: Play[] = [];
  private outsidePlays: Play[] = [];

  /** `random` draws the reservoir's replacements; give it its own stream to keep song files independent. */
  constructor(private readonly random: RandomSource) {}

  /** Offers one song record to the reservoir (Vitter's algorithm R: every record equally likely to stay). */
  offer(song: SongRecord): void {
    const key = { title: song.title, artist: song.artist_name, duration: song.duration };
    this.seen += 1;
    if (this.reservoir.length < RESERVOIR_CAPACITY) {
      this.reservoir.push(key);
      return;
    }
    const slot = this.random.int(this.seen);
    if (slot < RESERVOIR_CAPACITY) this.reservoir[slot] = key;
  }

  /**
   * Freezes the catalogue and builds the plays' JSON once: matched plays verbatim (a quirk there would break
   * the match), unknown songs with the quirks of the real logs when `quirks` is on.
   */
  prepare(events: number, quirks: boolean, random: RandomSource): void {
    this.matchedPlays = this.reservoir.map((key) => ({
      artist: logJsonString(key.artist, quirks),
      song: logJsonString(key.title, quirks),
      length: pythonFloat(key.duration),
      seconds: key.duration,
      matched: true,
    }));
    const size = Math.min(MAX_OUTSIDE_POOL, Math.max(50, Math.round(events / 4)));
    this.outsidePlays = [];
    for (let i = 0; i < size; i += 1) {
      const known = this.reservoir.length > 0 && random.chance(KNOWN_ARTIST_SHARE);
      const rawArtist = known ? random.pick(this.reservoir).artist : makeArtistName(random);
      const rawTitle = makeSongTitle(random);
      // Odd last digit: no song of song_data (all even) can have this duration, so this play never matches.
      const duration = makeDuration(random, 1);
      const { title, artist } = quirks ? quirkyPlay(rawTitle, rawArtist, random) : { title: rawTitle, artist: rawArtist };
      this.outsidePlays.push({
        artist: logJsonString(artist, quirks),
        song: logJsonString(title, quirks),
        length: pythonFloat(duration),
        seconds: duration,
        matched: false,
      });
    }
    // The raw keys are no longer needed once the plays are built.
    this.reservoir.length = 0;
  }

  /** The song of one play: from song_data with probability `matchRate`, otherwise from outside it. */
  choose(random: RandomSource, matchRate: number): Play {
    const fromCatalogue = this.matchedPlays.length > 0 && random.chance(matchRate);
    const pool = fromCatalogue ? this.matchedPlays : this.outsidePlays;
    return pool[random.skewedIndex(pool.length, POPULARITY_POWER)] as Play;
  }
}
