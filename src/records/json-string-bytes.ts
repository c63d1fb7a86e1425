/**
 * The bytes of JSON string contents, shared by the staging row sinks: the encoder scans and validates a
 * string, and each sink copies it out in its own framing (a length prefix in Parquet, quotes in CSV).
 */

const QUOTE = 34;
const BACKSLASH = 92;

/** The byte each one-letter escape stands for (0: not a valid escape). */
export const SIMPLE_ESCAPES = new Uint8Array(256);
SIMPLE_ESCAPES[QUOTE] = QUOTE;
SIMPLE_ESCAPES[BACKSLASH] = BACKSLASH;
SIMPLE_ESCAPES[47] = 47; // \/
SIMPLE_ESCAPES[98] = 8; // \b
SIMPLE_ESCAPES[102] = 12; // \f
SIMPLE_ESCAPES[110] = 10; // \n
SIMPLE_ESCAPES[114] = 13; // \r
SIMPLE_ESCAPES[116] = 9; // \t

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** The value of the four hex digits at `p`, or -1. */
export function hex4(b: Uint8Array, p: number): number {
  const d0 = hexDigit(b[p]!);
  const d1 = hexDigit(b[p + 1]!);
  const d2 = hexDigit(b[p + 2]!);
  const d3 = hexDigit(b[p + 3]!);
  if ((d0 | d1 | d2 | d3) < 0) return -1;
  return (d0 << 12) | (d1 << 8) | (d2 << 4) | d3;
}

/**
 * Copies the text `b[start, end)` into `target` at `q` as UTF-8, decoding JSON escapes when `escaped`
 * (the inside of a scanned, valid JSON string with no surrogate escape), and doubling each `"` when
 * `doubleQuotes` (CSV). Returns where the copy ends. `target` needs room for twice the input when
 * doubling quotes, the input's length otherwise: no escape decodes to more bytes than it takes.
 */
export function copyJsonStringBytes(
  b: Uint8Array,
  start: number,
  end: number,
  escaped: boolean,
  target: Uint8Array,
  q: number,
  doubleQuotes: boolean,
): number {
  if (!escaped) {
    if (doubleQuotes) {
      for (let p = start; p < end; p++) {
        const c = b[p]!;
        if (c === QUOTE) target[q++] = QUOTE;
        target[q++] = c;
      }
      return q;
    }
    // Short values are copied byte by byte: cheaper than a native call for the typical 5-30 bytes.
    if (end - start > 64) {
      // A whole buffer (the source file's path) needs no view made of it.
      target.set(start === 0 && end === b.length ? b : b.subarray(start, end), q);
      return q + end - start;
    }
    for (let p = start; p < end; p++) target[q++] = b[p]!;
    return q;
  }
  let p = start;
  while (p < end) {
    // A raw quote cannot occur inside a valid JSON string; a decoded one can (below).
    let c = b[p]!;
    while (c !== BACKSLASH) {
      target[q++] = c;
      if (++p === end) return q;
      c = b[p]!;
    }
    const escaped = b[p + 1]!;
    if (escaped !== 117) {
      const decoded = SIMPLE_ESCAPES[escaped]!;
      if (doubleQuotes && decoded === QUOTE) target[q++] = QUOTE;
      target[q++] = decoded;
      p += 2;
      continue;
    }
    const code = hex4(b, p + 2);
    p += 6;
    if (code < 0x80) {
      if (doubleQuotes && code === QUOTE) target[q++] = QUOTE;
      target[q++] = code;
    } else if (code < 0x800) {
      target[q++] = 0xc0 | (code >> 6);
      target[q++] = 0x80 | (code & 0x3f);
    } else {
      target[q++] = 0xe0 | (code >> 12);
      target[q++] = 0x80 | ((code >> 6) & 0x3f);
      target[q++] = 0x80 | (code & 0x3f);
    }
  }
  return q;
}

/** True when `b[start, end)` is well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF). */
export function isValidUtf8(b: Uint8Array, start: number, end: number): boolean {
  let p = start;
  while (p < end) {
    const c = b[p]!;
    if (c < 0x80) {
      p++;
    } else if (c >= 0xc2 && c <= 0xdf) {
      if (p + 1 >= end || (b[p + 1]! & 0xc0) !== 0x80) return false;
      p += 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      if (p + 2 >= end) return false;
      const c1 = b[p + 1]!;
      if ((c1 & 0xc0) !== 0x80 || (b[p + 2]! & 0xc0) !== 0x80) return false;
      if ((c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 >= 0xa0)) return false;
      p += 3;
    } else if (c >= 0xf0 && c <= 0xf4) {
      if (p + 3 >= end) return false;
      const c1 = b[p + 1]!;
      if ((c1 & 0xc0) !== 0x80 || (b[p + 2]! & 0xc0) !== 0x80 || (b[p + 3]! & 0xc0) !== 0x80) return false;
      if ((c === 0xf0 && c1 < 0x90) || (c === 0xf4 && c1 >= 0x90)) return false;
      p += 4;
    } else {
      return false;
    }
  }
  return true;
}
