/**
 * The text quirks of the real log files, reproduced so that a pipeline tested on generated data meets what it
 * will meet in the bucket. They apply to plays of songs that are not in song_data only: a quirk on a song
 * that is in the catalogue would silently turn a match into a miss.
 */
import type { RandomSource } from './random-source.js';

/**
 * Non-ASCII text encoded to UTF-8 and read back as Latin-1, twice: "Björk" becomes "BjÃ\u0083Â¶rk", as in the
 * real logs. Decoding Latin-1 to UTF-8 twice restores the original.
 * @example mojibake('Björk') // 'Bj\u00c3\u0083\u00c2\u00b6rk'
 */
export function mojibake(text: string): string {
  // ASCII encodes to itself: skip the two Buffer round trips for the common case.
  if (!/[^\x00-\x7f]/.test(text)) return text;
  let out = text;
  for (let round = 0; round < 2; round += 1) out = Buffer.from(out, 'utf8').toString('latin1');
  return out;
}

/** Apostrophes replaced by the control character U+0019, as in "Howlin\u0019 For You". */
export function controlApostrophes(text: string): string {
  return text.replace(/'/g, '\u0019');
}

/**
 * A user agent as the logs write it: eventsim wrapped in literal double quotes the values holding a comma
 * (a CSV artefact), so `"\"Mozilla/5.0 (... (KHTML, like Gecko) ...\""` but `"Mozilla/5.0 (... Firefox/31.0"`.
 */
export function quoteUserAgent(agent: string): string {
  return agent.includes(',') ? `"${agent}"` : agent;
}

/** Share of unmatched plays with an apostrophe whose apostrophes become U+0019. */
const CONTROL_APOSTROPHE_SHARE = 0.5;
/** Share of unmatched plays whose title gets a trailing space. */
const TRAILING_SPACE_SHARE = 0.02;

/**
 * The quirks of one unmatched song name pair: mojibake on every non-ASCII name (the real logs have no
 * correctly encoded non-ASCII at all), U+0019 for some apostrophes, a trailing space on some titles.
 */
export function quirkyPlay(title: string, artist: string, random: RandomSource): { readonly title: string; readonly artist: string } {
  let quirkyTitle = mojibake(title);
  const quirkyArtist = mojibake(artist);
  if (quirkyTitle.includes("'") && random.chance(CONTROL_APOSTROPHE_SHARE)) {
    quirkyTitle = controlApostrophes(quirkyTitle);
  }
  if (random.chance(TRAILING_SPACE_SHARE)) quirkyTitle += ' ';
  return { title: quirkyTitle, artist: quirkyArtist };
}
