/**
 * Helpers for the reader tests: feed text to a splitter in chosen chunks and collect the records.
 */
import type { RawRecord } from '../../src/records/record-types.js';

/** Feeds `text` to `split` cut into chunks of `chunkSize` characters (all at once by default). */
export async function splitAll(
  split: (chunks: AsyncIterable<string>, file: string) => AsyncIterable<RawRecord>,
  text: string,
  chunkSize = text.length || 1,
): Promise<RawRecord[]> {
  async function* chunks() {
    for (let i = 0; i < text.length; i += chunkSize) yield text.slice(i, i + chunkSize);
  }
  const records: RawRecord[] = [];
  for await (const record of split(chunks(), 'file.json')) records.push(record);
  return records;
}
