/**
 * Numbers grouped by thousands, as `toLocaleString('en-US')` writes them. Whole numbers by hand, because the
 * first `toLocaleString` of a process loads ICU's locale data: about 27 ms, measured, on every command that
 * prints a count (nearly all of them). Other numbers, which no count is, still go to `toLocaleString`.
 */

/**
 * `16777216` as `16,777,216`; negative numbers keep their sign. Any other number (a fraction, 1e21, -0)
 * goes to `toLocaleString`, whose text the pattern would not give.
 */
export function groupDigits(value: number | bigint): string {
  if (typeof value === 'number' && (!Number.isSafeInteger(value) || Object.is(value, -0))) return value.toLocaleString('en-US');
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
