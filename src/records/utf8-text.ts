/**
 * Decoding source bytes without losing what was wrong with them. Node's UTF-8 decoder replaces each invalid
 * byte with U+FFFD, so a damaged record would be staged with altered text and nobody would know. Here valid
 * UTF-8 (nearly every chunk: checked natively with `isUtf8`) decodes as usual, and each byte of an invalid
 * sequence becomes the lone surrogate U+DC80 + (byte - 0x80) instead, as Python's `surrogateescape` does.
 * Valid UTF-8 never decodes to a lone surrogate, so the record checks can tell such a record apart and
 * reject it by name (`invalidUtf8Error`), and the raw text shows where the bad byte was.
 */
import { isUtf8 } from 'node:buffer';
import { groupDigits } from '../number-format.js';

/** The most bytes one record may hold; a longer one is rejected without being held in memory whole. */
export const MAX_RECORD_BYTES = 16 << 20;

/** The reject reason of a record longer than `MAX_RECORD_BYTES`, the same on every path. */
export const RECORD_TOO_LARGE_ERROR = `the record is larger than 16 MiB (${groupDigits(MAX_RECORD_BYTES)} bytes), the most a record may hold`;

/** How much of an oversized record is kept as its raw text in load_errors. */
export const OVERSIZED_PREFIX_CHARS = 1024;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** `b[start, end)` as text; each byte of an invalid UTF-8 sequence becomes U+DC80 + (byte - 0x80). */
export function decodeUtf8(b: Uint8Array, start = 0, end = b.length): string {
  const bytes = Buffer.from(b.buffer, b.byteOffset + start, end - start);
  if (isUtf8(bytes)) return bytes.toString('utf8');
  let text = '';
  let runStart = 0;
  let p = 0;
  while (p < bytes.length) {
    const length = sequenceLength(bytes, p);
    if (length > 0) {
      p += length;
      continue;
    }
    text += bytes.toString('utf8', runStart, p) + String.fromCharCode(0xdc00 + bytes[p]!);
    p += 1;
    runStart = p;
  }
  return text + bytes.toString('utf8', runStart, p);
}

/**
 * Decodes a stream of chunks as `decodeUtf8` does, keeping a character cut by a chunk boundary whole (like
 * StringDecoder, which would replace invalid bytes instead).
 */
export class Utf8ChunkDecoder {
  private tail: Buffer = Buffer.alloc(0);

  /** The text of `chunk`, but for a character it cuts off at its end (kept for the next chunk). */
  write(chunk: Uint8Array): string {
    const bytes = this.tail.length > 0 ? Buffer.concat([this.tail, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    const cut = incompleteTail(bytes);
    this.tail = Buffer.from(bytes.subarray(bytes.length - cut));
    return decodeUtf8(bytes, 0, bytes.length - cut);
  }

  /** What is left: bytes of a character the input ended in the middle of. */
  end(): string {
    const rest = decodeUtf8(this.tail);
    this.tail = Buffer.alloc(0);
    return rest;
  }
}

/** The reject reason for a record's raw text holding a byte that was not valid UTF-8, if it does. */
export function invalidUtf8Error(text: string): string | undefined {
  const match = loneSurrogate(text);
  if (!match) return undefined;
  const code = match.code;
  const byte = code >= 0xdc80 && code <= 0xdcff ? ` 0x${(code - 0xdc00).toString(16).toUpperCase()}` : '';
  return `the record is not valid UTF-8: byte${byte} at character ${match.index + 1} is not part of a UTF-8 character`;
}

/** The reject reason for a text value holding an unpaired surrogate (from a `\\ud800` escape), if it does. */
export function unpairedSurrogateError(text: string): string | undefined {
  const match = loneSurrogate(text);
  return match ? `text holds an unpaired surrogate (\\u${match.code.toString(16)}), which is not a character` : undefined;
}

function loneSurrogate(text: string): { code: number; index: number } | undefined {
  // The native check first: well-formed text (nearly all of it) costs one pass in C++.
  if ((text as unknown as { isWellFormed(): boolean }).isWellFormed()) return undefined;
  const match = LONE_SURROGATE.exec(text);
  return match ? { code: match[0].charCodeAt(0), index: match.index } : undefined;
}

/** The first `OVERSIZED_PREFIX_CHARS` characters of an oversized record, marked as cut. */
export function oversizedPrefix(text: string): string {
  return `${text.slice(0, OVERSIZED_PREFIX_CHARS)}...`;
}

/** How many bytes the valid UTF-8 character at `p` takes, or 0 when none starts there. */
function sequenceLength(b: Uint8Array, p: number): number {
  const c = b[p]!;
  if (c < 0x80) return 1;
  const rest = (n: number) => {
    for (let k = 1; k <= n; k++) if (p + k >= b.length || (b[p + k]! & 0xc0) !== 0x80) return false;
    return true;
  };
  if (c >= 0xc2 && c <= 0xdf) return rest(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const c1 = b[p + 1] ?? 0;
    if ((c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 >= 0xa0)) return 0;
    return rest(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const c1 = b[p + 1] ?? 0;
    if ((c === 0xf0 && c1 < 0x90) || (c === 0xf4 && c1 >= 0x90)) return 0;
    return rest(3) ? 4 : 0;
  }
  return 0;
}

/** How many bytes at the end of `b` begin a character that is not complete yet (0 to 3). */
function incompleteTail(b: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, b.length); back++) {
    const c = b[b.length - back]!;
    if ((c & 0xc0) === 0x80) continue;
    const needed = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xc2 && c <= 0xdf ? 2 : 1;
    return needed > back ? back : 0;
  }
  return 0;
}
