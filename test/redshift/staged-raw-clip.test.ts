/**
 * The raw text of a rejected record on its staged way to Redshift: cut to the 65,535 bytes a VARCHAR
 * holds, never inside a character; shorter text passes untouched.
 */
import { describe, expect, it } from 'vitest';
import { clipUtf8, RAW_RECORD_BYTES } from '../../src/warehouses/redshift/redshift-staging-writer.js';

describe('clipUtf8', () => {
  it('keeps text that fits, and cuts longer text at a character boundary', () => {
    expect(clipUtf8('{"ts":"soon"}', RAW_RECORD_BYTES)).toBe('{"ts":"soon"}');
    const accents = 'é'.repeat(40_000); // 80,000 bytes
    const clipped = clipUtf8(accents, RAW_RECORD_BYTES);
    expect(Buffer.byteLength(clipped)).toBe(65_534);
    expect(accents.startsWith(clipped)).toBe(true);
    const mixed = `${'a'.repeat(65_533)}€tail`; // the euro sign's 3 bytes straddle the limit
    expect(clipUtf8(mixed, RAW_RECORD_BYTES)).toBe('a'.repeat(65_533));
  });
});
