/**
 * Makes up the human-facing values of songs: artist names, titles, places, durations and years, with the
 * proportions of the Million Song Dataset subset (year 0 common, coordinates often null, some non-ASCII).
 */
import type { RandomSource } from './random-source.js';
import {
  APOSTROPHE_TITLES,
  ARTIST_PLACES,
  FIRST_NAMES,
  LAST_NAMES,
  LINK_WORDS,
  NON_ASCII_WORDS,
  TITLE_SUFFIXES,
  TITLE_WORDS,
} from './vocabulary-lists.js';

/** Where an artist comes from, as the song files write it. */
export interface ArtistPlace {
  readonly location: string;
  readonly latitude: number | null;
  readonly longitude: number | null;
}

/** Share of artists with an empty location (28 of 71 in the public sample). */
const EMPTY_LOCATION_SHARE = 0.4;
/** Share of located artists whose coordinates are still null. */
const LOCATION_WITHOUT_COORDINATES_SHARE = 0.25;
/** Share of songs with an unknown year, written 0 (43 of 71 in the public sample). */
const UNKNOWN_YEAR_SHARE = 0.55;

/** An artist name: a person, a band, a duo, now and then with non-ASCII letters. */
export function makeArtistName(random: RandomSource): string {
  const word = (): string => random.pick(TITLE_WORDS);
  switch (random.weighted([30, 18, 20, 9, 8, 3, 7, 5])) {
    case 0:
      return `${random.pick(random.chance(0.5) ? FIRST_NAMES.F : FIRST_NAMES.M)} ${random.pick(LAST_NAMES)}`;
    case 1:
      return `The ${word()} ${word()}s`;
    case 2:
      return `${word()} ${word()}`;
    case 3:
      return word();
    case 4:
      return `${random.pick(LAST_NAMES)} & ${word()}`;
    case 5:
      return `DJ ${word()}`;
    case 6:
      return random.chance(0.5) ? random.pick(NON_ASCII_WORDS) : `${random.pick(NON_ASCII_WORDS)} ${random.pick(LAST_NAMES)}`;
    default:
      return `${random.pick(FIRST_NAMES.M)} ${random.pick(LAST_NAMES)} & The ${word()}s`;
  }
}

/** Another spelling of the same artist, as one artist_id carries in different songs of the real data. */
export function makeVariantSpelling(name: string, random: RandomSource): string {
  if (name.startsWith('The ')) return name.slice(4);
  if (name.includes(' & ')) return name.replace(' & ', ' and ');
  return `${name} feat. ${random.pick(LAST_NAMES)}`;
}

/** A song title: a few words, sometimes with an apostrophe, non-ASCII letters or a version suffix. */
export function makeSongTitle(random: RandomSource): string {
  const word = (): string => random.pick(TITLE_WORDS);
  let title: string;
  switch (random.weighted([22, 30, 22, 10, 5, 6])) {
    case 0:
      title = word();
      break;
    case 1:
      title = `${word()} ${word()}`;
      break;
    case 2:
      title = `${word()} ${random.pick(LINK_WORDS)} ${word()}`;
      break;
    case 3:
      title = `${word()} ${word()} ${random.pick(LINK_WORDS)} The ${word()}`;
      break;
    case 4:
      title = random.pick(APOSTROPHE_TITLES);
      break;
    default:
      title = random.chance(0.5) ? random.pick(NON_ASCII_WORDS) : `${word()} ${random.pick(NON_ASCII_WORDS)}`;
  }
  return random.chance(0.08) ? `${title} ${random.pick(TITLE_SUFFIXES)}` : title;
}

/** An artist's place: often empty, often without coordinates. */
export function makeArtistPlace(random: RandomSource): ArtistPlace {
  if (random.chance(EMPTY_LOCATION_SHARE)) return { location: '', latitude: null, longitude: null };
  const place = random.pick(ARTIST_PLACES);
  if (random.chance(LOCATION_WITHOUT_COORDINATES_SHARE)) {
    return { location: place.name, latitude: null, longitude: null };
  }
  return { location: place.name, latitude: place.lat, longitude: place.lon };
}

/**
 * A duration in seconds with five decimals (the files' precision), mostly 2 to 6 minutes.
 * `parity` fixes the last decimal digit's parity: catalogue songs are even and songs that only the logs
 * name are odd, so an unmatched play can never equal a catalogue song by accident.
 */
export function makeDuration(random: RandomSource, parity: 0 | 1): number {
  const seconds = Math.min(1_500, 30 + random.exponential(60) + random.next() * 260);
  let units = Math.round(seconds * 100_000);
  if (units % 2 !== parity) units += 1;
  // An exact integer divided by 1e5 is the double nearest to the five-decimal value, so it prints as one.
  return units / 100_000;
}

/** A release year, 0 (unknown) for more than half the songs as in the sample. */
export function makeYear(random: RandomSource): number {
  if (random.chance(UNKNOWN_YEAR_SHARE)) return 0;
  return 2010 - (Math.floor(random.exponential(9)) % 55);
}
