/**
 * Splits JSON-lines text into records, streaming. Handles what real log files contain: CRLF line ends,
 * a UTF-8 byte order mark, blank lines and a missing newline at the end of the file.
 */
import type { RawRecord } from './record-types.js';
import { tooLarge } from './song-object-splitter.js';
import { MAX_RECORD_BYTES, oversizedPrefix, RECORD_TOO_LARGE_ERROR } from './utf8-text.js';

const BYTE_ORDER_MARK = '\uFEFF';

/**
 * A line of JSON whitespace only (space, tab, CR, LF, or nothing): it carries no record, so it is skipped.
 * Not JavaScript's `trim()`, which also takes U+00A0, U+2028, a form feed or a byte order mark for
 * whitespace: a line of those is text that is not JSON, and is rejected like any other.
 */
export function isBlankLine(text: string): boolean {
  return /^[ \t\r\n]*$/.test(text);
}

/**
 * Yields one raw record per non-blank line of `chunks` (decoded text, in order).
 * Blank lines carry no data and are skipped; every other line becomes a record, valid or not. A line longer
 * than `MAX_RECORD_BYTES` becomes a record of its first characters with `structuralError` set; the rest of
 * it is dropped as it arrives, never held whole.
 */
export async function* splitJsonLines(chunks: AsyncIterable<string>, file: string): AsyncGenerator<RawRecord> {
  // The unfinished last line, in pieces: joined only once its newline arrives, so a long line costs its
  // length once rather than once per chunk.
  let pending: string[] = [];
  let pendingLength = 0;
  let lineNumber = 1;
  let first = true;
  // The start of the current line once it has grown too long to hold; the rest is dropped up to its end.
  let oversized: string | undefined;
  for await (let chunk of chunks) {
    if (first) {
      if (chunk.startsWith(BYTE_ORDER_MARK)) chunk = chunk.slice(1);
      first = false;
    }
    let newline = chunk.indexOf('\n');
    if (newline === -1) {
      if (oversized !== undefined) continue;
      pending.push(chunk);
      pendingLength += chunk.length;
      // More UTF-16 units than the limit's bytes: more bytes too (each unit takes one byte or more).
      if (pendingLength > MAX_RECORD_BYTES) {
        oversized = oversizedPrefix(pending.join(''));
        pending = [];
        pendingLength = 0;
      }
      continue;
    }
    // The pending line ends in this chunk: only its first part is joined to the rest of the line.
    const head = pending.length > 0 ? pending.join('') : '';
    const text = head + chunk;
    newline += head.length;
    pending = [];
    pendingLength = 0;
    let start = 0;
    while (newline !== -1) {
      if (oversized !== undefined) {
        yield { file, line: lineNumber, text: oversized, structuralError: RECORD_TOO_LARGE_ERROR };
        oversized = undefined;
      } else {
        const record = lineRecord(text, start, newline, file, lineNumber);
        if (record) yield record;
      }
      lineNumber += 1;
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    const rest = text.slice(start);
    if (rest.length > MAX_RECORD_BYTES) oversized = oversizedPrefix(rest);
    else if (rest.length > 0) {
      pending.push(rest);
      pendingLength = rest.length;
    }
  }
  if (oversized !== undefined) {
    yield { file, line: lineNumber, text: oversized, structuralError: RECORD_TOO_LARGE_ERROR };
    return;
  }
  const last = pending.join('');
  const record = lineRecord(last, 0, last.length, file, lineNumber);
  if (record) yield record;
}

function lineRecord(text: string, start: number, end: number, file: string, line: number): RawRecord | undefined {
  // A CRLF file leaves a carriage return before each newline.
  const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
  const lineText = text.slice(start, stop);
  if (isBlankLine(lineText)) return undefined;
  if (tooLarge(lineText)) return { file, line, text: oversizedPrefix(lineText), structuralError: RECORD_TOO_LARGE_ERROR };
  return { file, line, text: lineText };
}
