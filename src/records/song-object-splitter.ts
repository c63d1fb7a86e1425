/**
 * Splits a song file into its JSON objects, streaming. Song files hold one or more objects, compact or
 * pretty-printed, concatenated with any whitespace (Redshift's COPY accepts that, so real buckets have it).
 * Objects are delimited by tracking brace depth outside strings; parsing happens later, per object.
 */
import type { RawRecord } from './record-types.js';
import { MAX_RECORD_BYTES, oversizedPrefix, RECORD_TOO_LARGE_ERROR } from './utf8-text.js';

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
 * caller can quarantine them instead of losing them. A record longer than `MAX_RECORD_BYTES` is yielded
 * with only its first characters and `structuralError` set; the rest is never held in memory.
 */
export async function* splitJsonObjects(chunks: AsyncIterable<string>, file: string): AsyncGenerator<RawRecord> {
  const splitter = new JsonObjectSplitter(file);
  for await (const chunk of chunks) yield* splitter.push(chunk);
  yield* splitter.end();
}

/**
 * The same split, synchronous: feed decoded chunks to `push`, then call `end`. The stager's worker threads
 * read small song files whole and split them with this, without an async generator per file.
 */
export class JsonObjectSplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private line = 1;
  private recordLine = 1;
  private parts: string[] = [];
  // Characters in `parts`; and the start of the current record once it has grown too long to hold.
  private partsLength = 0;
  private oversized: string | undefined;
  // True while the current record is stray text (outside any object).
  private stray = false;
  private first = true;

  constructor(private readonly file: string) {}

  /** Splits the next chunk; returns the records it completes. */
  push(chunk: string): RawRecord[] {
    const records: RawRecord[] = [];
    const file = this.file;
    let { depth, inString, escaped, line, stray } = this;
    // Index in the chunk where the current record (object or stray text) began, or -1 if none.
    let start = -1;
    let i = 0;
    if (this.first) {
      this.first = false;
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
          this.parts.push(chunk.slice(start, i));
          records.push(this.limited(strayRecord(this.parts, file, this.recordLine)));
          this.resetParts();
          stray = false;
          start = -1;
        }
        line += 1;
        continue;
      }
      if (depth === 0) {
        if (c === OPEN_BRACE) {
          if (stray) {
            this.parts.push(chunk.slice(start, i));
            records.push(this.limited(strayRecord(this.parts, file, this.recordLine)));
            this.resetParts();
            stray = false;
          }
          depth = 1;
          start = i;
          this.recordLine = line;
        } else if (!isWhitespace(c) && !stray) {
          stray = true;
          start = i;
          this.recordLine = line;
        }
        continue;
      }
      if (c === QUOTE) inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth += 1;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth -= 1;
        if (depth === 0) {
          this.parts.push(chunk.slice(start, i + 1));
          records.push(this.limited({ file, line: this.recordLine, text: this.parts.join('') }));
          this.resetParts();
          start = -1;
        }
      }
    }
    if (start !== -1) this.keepPart(chunk.slice(start));
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    this.line = line;
    this.stray = stray;
    return records;
  }

  /** Ends the input: returns stray text still open, or the object the end of the file cut off. */
  end(): RawRecord[] {
    if (this.stray) return [this.limited(strayRecord(this.parts, this.file, this.recordLine))];
    if (this.depth > 0) {
      const text = this.parts.join('');
      const cut: RawRecord = {
        file: this.file,
        line: this.recordLine,
        text,
        structuralError: 'the JSON object is cut off at the end of the file',
      };
      return [this.limited(cut)];
    }
    return [];
  }

  /** Keeps the unfinished part of a record, or only its start once the record is too long to hold. */
  private keepPart(part: string): void {
    if (this.oversized !== undefined) return;
    this.parts.push(part);
    this.partsLength += part.length;
    // More UTF-16 units than the limit's bytes: more bytes too (each unit takes one byte or more).
    if (this.partsLength > MAX_RECORD_BYTES) {
      this.oversized = oversizedPrefix(this.parts.join(''));
      this.parts = [];
    }
  }

  private resetParts(): void {
    this.parts = [];
    this.partsLength = 0;
    this.oversized = undefined;
  }

  /** `record`, or its start with the size error when it is larger than a record may be. */
  private limited(record: RawRecord): RawRecord {
    if (this.oversized !== undefined)
      return { file: record.file, line: record.line, text: this.oversized, structuralError: RECORD_TOO_LARGE_ERROR };
    return tooLarge(record.text) ? { ...record, text: oversizedPrefix(record.text), structuralError: RECORD_TOO_LARGE_ERROR } : record;
  }
}

/** True when `text` takes more than `MAX_RECORD_BYTES` as UTF-8 (counted only when it might). */
export function tooLarge(text: string): boolean {
  if (text.length * 3 <= MAX_RECORD_BYTES) return false;
  return text.length > MAX_RECORD_BYTES || Buffer.byteLength(text, 'utf8') > MAX_RECORD_BYTES;
}

function strayRecord(parts: readonly string[], file: string, line: number): RawRecord {
  return { file, line, text: parts.join('').trimEnd(), structuralError: 'text outside a JSON object' };
}

function isWhitespace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === NEWLINE;
}
