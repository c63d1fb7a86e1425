/**
 * Splits JSON-lines text into records, streaming. Handles what real log files contain: CRLF line ends,
 * a UTF-8 byte order mark, blank lines and a missing newline at the end of the file.
 */
import type { RawRecord } from './record-types.js';
import { tooLarge } from './song-object-splitter.js';
import { MAX_RECORD_BYTES, oversizedPrefix, RECORD_TOO_LARGE_ERROR } from './utf8-text.js';

const BYTE_ORDER_MARK = '\uFEFF';

/**
 * Yields one raw record per non-blank line of `chunks` (decoded text, in order).
 * Blank lines carry no data and are skipped; every other line becomes a record, valid or not. A line longer
 * than `MAX_RECORD_BYTES` becomes a record of its first characters with `structuralError` set; the rest of
 * it is dropped as it arrives, never held whole.
 */
export async function* splitJsonLines(chunks: AsyncIterable<string>, file: string): AsyncGenerator<RawRecord> {
  let pending = '';
  let lineNumber = 1;
  let first = true;
  // The start of the current line once it has grown too long to hold; the rest is dropped up to its end.
  let oversized: string | undefined;
  for await (let chunk of chunks) {
    if (first) {
      if (chunk.startsWith(BYTE_ORDER_MARK)) chunk = chunk.slice(1);
      first = false;
    }
    let text = pending + chunk;
    let start = 0;
    let newline = text.indexOf('\n', start);
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
    pending = oversized === undefined ? text.slice(start) : '';
    // More UTF-16 units than the limit's bytes: more bytes too (each unit takes one byte or more).
    if (pending.length > MAX_RECORD_BYTES) {
      oversized = oversizedPrefix(pending);
      pending = '';
    }
    text = '';
  }
  if (oversized !== undefined) {
    yield { file, line: lineNumber, text: oversized, structuralError: RECORD_TOO_LARGE_ERROR };
    return;
  }
  const last = lineRecord(pending, 0, pending.length, file, lineNumber);
  if (last) yield last;
}

function lineRecord(text: string, start: number, end: number, file: string, line: number): RawRecord | undefined {
  // A CRLF file leaves a carriage return before each newline.
  const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
  const lineText = text.slice(start, stop);
  if (lineText.trim() === '') return undefined;
  if (tooLarge(lineText)) return { file, line, text: oversizedPrefix(lineText), structuralError: RECORD_TOO_LARGE_ERROR };
  return { file, line, text: lineText };
}
