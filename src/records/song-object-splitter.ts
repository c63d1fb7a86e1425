/**
 * Splits a song file into its JSON objects, streaming. Song files hold one or more objects, compact or
 * pretty-printed, concatenated with any whitespace (Redshift's COPY accepts that, so real buckets have it).
 * Objects are delimited by tracking brace depth outside strings; parsing happens later, per object.
 */
import type { RawRecord } from './record-types.js';

const BYTE_ORDER_MARK = 0xfeff;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const QUOTE = 34;
const BACKSLASH = 92;
const NEWLINE = 10;

/**
 * Yields the raw text of each top-level value in `chunks`, with the line it starts on. Text outside any
 * object and an object cut off by the end of the file are yielded too, with `structuralError` set, so the
 * caller can quarantine them instead of losing them.
 */
export async function* splitJsonObjects(chunks: AsyncIterable<string>, file: string): AsyncGenerator<RawRecord> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let line = 1;
  let recordLine = 1;
  let parts: string[] = [];
  // Index in the current chunk where the current record (object or stray text) began, or -1 if none.
  let stray = false;
  let first = true;

  for await (const chunk of chunks) {
    let start = -1;
    let i = 0;
    if (first) {
      first = false;
      if (chunk.charCodeAt(0) === BYTE_ORDER_MARK) i = 1;
    }
    if (depth > 0 || stray) start = i;
    for (; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) inString = false;
        else if (c === NEWLINE) line += 1;
        continue;
      }
      if (c === NEWLINE) {
        if (stray) {
          // Stray text ends at the end of its line.
          parts.push(chunk.slice(start, i));
          yield strayRecord(parts, file, recordLine);
          parts = [];
          stray = false;
          start = -1;
        }
        line += 1;
        continue;
      }
      if (depth === 0) {
        if (c === OPEN_BRACE) {
          if (stray) {
            parts.push(chunk.slice(start, i));
            yield strayRecord(parts, file, recordLine);
            parts = [];
            stray = false;
          }
          depth = 1;
          start = i;
          recordLine = line;
        } else if (!isWhitespace(c) && !stray) {
          stray = true;
          start = i;
          recordLine = line;
        }
        continue;
      }
      if (c === QUOTE) inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth += 1;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth -= 1;
        if (depth === 0) {
          parts.push(chunk.slice(start, i + 1));
          yield { file, line: recordLine, text: parts.join('') };
          parts = [];
          start = -1;
        }
      }
    }
    if (start !== -1) parts.push(chunk.slice(start));
  }
  if (stray) yield strayRecord(parts, file, recordLine);
  else if (depth > 0) {
    yield { file, line: recordLine, text: parts.join(''), structuralError: 'the JSON object is cut off at the end of the file' };
  }
}

function strayRecord(parts: string[], file: string, line: number): RawRecord {
  return { file, line, text: parts.join('').trimEnd(), structuralError: 'text outside a JSON object' };
}

function isWhitespace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === NEWLINE;
}
