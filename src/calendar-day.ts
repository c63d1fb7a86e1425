/**
 * Days written as `YYYY-MM-DD`, as the options (`--from`, `--to`, `generate --start`) and the dashboard's
 * filters take them: one check, so 2018-02-30 is refused alike everywhere instead of rolling over to March.
 */

/** Whether `text` is `YYYY-MM-DD` naming a real day of the calendar (UTC), years 0000 to 9999. */
export function isCalendarDay(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(2000, month - 1, day));
  // Date.UTC maps years 0-99 to 1900-1999, so the year is set on its own; month and day must not roll over.
  date.setUTCFullYear(year);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
