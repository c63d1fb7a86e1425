/**
 * Generates the song files of song_data as a stream, one file at a time, so that 400,000 files need no
 * more memory than ten. Artists come in runs of songs (an artist shares several songs); files are mostly
 * one compact object like the public sample, some pretty-printed with sorted keys, some holding two or three
 * concatenated objects; now and then a song_id appears twice and an artist_id carries two spellings.
 */
import { RandomSource } from './random-source.js';
import { formatSongCompact, formatSongPretty, type SongRecord } from './record-formatter.js';
import {
  makeArtistName,
  makeArtistPlace,
  makeDuration,
  makeSongTitle,
  makeVariantSpelling,
  makeYear,
  type ArtistPlace,
} from './song-name-maker.js';

/** How the objects of a song file are laid out. */
export type SongFileLayout = 'compact' | 'pretty' | 'concatenated';

/** One file of song_data and the records it holds. */
export interface SongFile {
  readonly trackId: string;
  /** Path relative to the dataset folder, with `/`: `song_data/A/B/C/TRABC....json`. */
  readonly path: string;
  readonly layout: SongFileLayout;
  readonly songs: readonly SongRecord[];
  readonly text: string;
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** Share of files pretty-printed, and of files holding several objects. */
const PRETTY_SHARE = 0.06;
const CONCATENATED_SHARE = 0.06;
/** Chance that a song repeats the previous song_id in another file, and that an artist has two spellings. */
const DUPLICATE_SONG_SHARE = 0.01;
const VARIANT_SPELLING_SHARE = 0.05;
const SEPARATORS = ['\n', ' ', '\n\n', '\n    '] as const;

interface ArtistRun {
  readonly id: string;
  readonly name: string;
  readonly place: ArtistPlace;
  readonly variantName: string | null;
  songsLeft: number;
  songsDone: number;
}

/**
 * A number in [0, 2^bits) written in `digits` hexadecimal digits, distinct for distinct counters: an affine
 * map with an odd multiplier is a bijection modulo a power of two, so IDs are unique without a lookup set.
 */
export function scrambledHex(counter: number, bits: number, digits: number): string {
  const value = (counter * 0x1f3a5 + 0x5a3c1b7) % 2 ** bits;
  return value.toString(16).toUpperCase().padStart(digits, '0');
}

/**
 * The letters used for the partition folders: the bucket's song_data is split by the 3rd-5th characters of
 * the track ID; a small dataset uses the first few letters only (like the public sample: A/A/A ... A/B/C) so
 * that folders hold several files, a large one all 26.
 */
export function partitionLetters(songs: number): string {
  return UPPER.slice(0, Math.min(26, Math.max(3, Math.ceil(Math.cbrt(songs / 8)))));
}

/**
 * A track ID like `TRABBNP128F932546F`: TR, three partition letters, two letters, then `12` and nine hex
 * digits unique to `counter`.
 */
export function makeTrackId(counter: number, letters: string, random: RandomSource): string {
  return `TR${random.chars(letters, 3)}${random.chars(UPPER, 2)}12${scrambledHex(counter, 36, 9)}`;
}

/** The song_data path of a track: `song_data/X/Y/Z/<track>.json` with X, Y, Z its 3rd-5th characters. */
export function songFilePath(trackId: string): string {
  return `song_data/${trackId[2]}/${trackId[3]}/${trackId[4]}/${trackId}.json`;
}

/** A fresh song ID `SO` + 16 characters, unique to `counter`. */
function makeSongId(counter: number, random: RandomSource): string {
  return `SO${random.chars(UPPER, 5)}12A${scrambledHex(counter, 32, 8)}`;
}

/** Streams the song files of one dataset. */
export class SongCatalogGenerator {
  private readonly random: RandomSource;
  private readonly letters: string;
  private artist: ArtistRun | null = null;
  private artistCounter = 0;
  private songCounter = 0;
  private trackCounter = 0;
  private previous: SongRecord | null = null;

  constructor(
    private readonly songs: number,
    seed: number,
  ) {
    this.random = RandomSource.fromSeed(seed, 'songs');
    this.letters = partitionLetters(songs);
  }

  /** Yields files until exactly `songs` records are written. */
  *files(): Generator<SongFile> {
    let left = this.songs;
    while (left > 0) {
      const r = this.random.next();
      const layout: SongFileLayout =
        left >= 2 && r < CONCATENATED_SHARE ? 'concatenated' : r < CONCATENATED_SHARE + PRETTY_SHARE ? 'pretty' : 'compact';
      const count = layout === 'concatenated' ? Math.min(left, this.random.between(2, 3)) : 1;
      const songs: SongRecord[] = [];
      for (let i = 0; i < count; i += 1) songs.push(this.nextSong());
      left -= count;
      const trackId = makeTrackId(this.trackCounter, this.letters, this.random);
      this.trackCounter += 1;
      yield { trackId, path: songFilePath(trackId), layout, songs, text: this.format(layout, songs) };
    }
  }

  private format(layout: SongFileLayout, songs: readonly SongRecord[]): string {
    if (layout === 'pretty') return formatSongPretty(songs[0] as SongRecord);
    if (layout === 'compact') return formatSongCompact(songs[0] as SongRecord);
    // Concatenated objects with varying whitespace between them, as Redshift's COPY accepts.
    let text = formatSongCompact(songs[0] as SongRecord);
    for (let i = 1; i < songs.length; i += 1) {
      text += this.random.pick(SEPARATORS) + formatSongCompact(songs[i] as SongRecord);
    }
    return text;
  }

  private nextSong(): SongRecord {
    if (this.previous !== null && this.random.chance(DUPLICATE_SONG_SHARE)) {
      // The same song_id in a second file, a known trait of the bucket; the record is an exact copy.
      const copy = this.previous;
      this.previous = null;
      return copy;
    }
    const artist = this.currentArtist();
    // The second song of an artist with a variant spelling carries the other name.
    const name = artist.variantName !== null && artist.songsDone === 1 ? artist.variantName : artist.name;
    artist.songsLeft -= 1;
    artist.songsDone += 1;
    const song: SongRecord = {
      artist_id: artist.id,
      artist_latitude: artist.place.latitude,
      artist_longitude: artist.place.longitude,
      artist_location: artist.place.location,
      artist_name: name,
      song_id: makeSongId(this.songCounter, this.random),
      title: makeSongTitle(this.random),
      duration: makeDuration(this.random, 0),
      year: makeYear(this.random),
    };
    this.songCounter += 1;
    this.previous = song;
    return song;
  }

  private currentArtist(): ArtistRun {
    if (this.artist !== null && this.artist.songsLeft > 0) return this.artist;
    // About half the artists have one song; the others a handful, a few many.
    const songs = this.random.chance(0.45) ? 1 : Math.min(40, 2 + Math.floor(this.random.exponential(2.5)));
    const name = makeArtistName(this.random);
    const variantName = songs >= 2 && this.random.chance(VARIANT_SPELLING_SHARE) ? makeVariantSpelling(name, this.random) : null;
    this.artist = {
      id: `AR${this.random.chars(UPPER_DIGITS, 5)}1187${scrambledHex(this.artistCounter, 28, 7)}`,
      name,
      place: makeArtistPlace(this.random),
      variantName,
      songsLeft: songs,
      songsDone: 0,
    };
    this.artistCounter += 1;
    return this.artist;
  }
}

/**
 * A stand-alone song outside the catalogue's sequence (for damaged files), with IDs from a separate range so
 * they can never collide with the catalogue's.
 */
export function makeLoneSong(counter: number, random: RandomSource): SongRecord {
  const place = makeArtistPlace(random);
  return {
    artist_id: `AR${random.chars(UPPER_DIGITS, 5)}1187${scrambledHex(2 ** 27 + counter, 28, 7)}`,
    artist_latitude: place.latitude,
    artist_longitude: place.longitude,
    artist_location: place.location,
    artist_name: makeArtistName(random),
    song_id: makeSongId(2 ** 31 + counter, random),
    title: makeSongTitle(random),
    duration: makeDuration(random, 0),
    year: makeYear(random),
  };
}
