/** Thousands grouped by hand write what `toLocaleString('en-US')` writes, for every number. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupDigits } from '../../src/number-format.js';

describe('groupDigits', () => {
  it('matches toLocaleString("en-US") on whole numbers, negative ones and bigints included', () => {
    expect(groupDigits(16_777_216)).toBe('16,777,216');
    expect(groupDigits(-1234)).toBe('-1,234');
    expect(groupDigits(999)).toBe('999');
    fc.assert(
      fc.property(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (value) => {
        expect(groupDigits(value)).toBe(value.toLocaleString('en-US'));
      }),
    );
    fc.assert(
      fc.property(fc.bigInt(), (value) => {
        expect(groupDigits(value)).toBe(value.toLocaleString('en-US'));
      }),
    );
  });

  it('writes what toLocaleString("en-US") writes for any other number too (fractions, 1e21, -0)', () => {
    for (const value of [1234.5678, 1e21, -0, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(groupDigits(value)).toBe(value.toLocaleString('en-US'));
    }
    fc.assert(
      fc.property(fc.double(), (value) => {
        expect(groupDigits(value)).toBe(value.toLocaleString('en-US'));
      }),
    );
  });
});
