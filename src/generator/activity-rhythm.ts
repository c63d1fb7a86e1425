/**
 * When events happen: how many on each day (fewer at weekends, some noise) and at which seconds of the day
 * (quiet at night, busiest in the afternoon and evening, as in the sample: 16:00-18:00 UTC). The event
 * timestamps of a day are drawn first, already sorted, and sessions then fill them: this gives exactly the
 * requested number of events, ts in increasing order, and needs no buffering of a day's events.
 */
import type { RandomSource } from './random-source.js';

/** Relative activity per UTC hour: the NextSong events per hour of the public sample. */
const HOURLY_WEIGHTS: readonly number[] = [
  155, 154, 117, 109, 136, 162, 183, 179, 207, 270, 312, 336, 308, 324, 432, 477, 542, 494, 498, 367, 360, 280, 217, 201,
];
/** Relative activity per weekday, Sunday first. */
const WEEKDAY_WEIGHTS: readonly number[] = [0.8, 1.05, 1.1, 1.1, 1.05, 1, 0.85];
const HOUR_SECONDS = 3_600;
const DAY_SECONDS = 86_400;

/**
 * Splits `events` over `days` days in proportion to weekday weights with ±15% noise; the counts add up to
 * `events` exactly (largest remainders), and every day gets at least one event when there are enough.
 */
export function dailyTargets(events: number, days: number, startEpochSeconds: number, random: RandomSource): number[] {
  const weights: number[] = [];
  for (let d = 0; d < days; d += 1) {
    const weekday = new Date((startEpochSeconds + d * DAY_SECONDS) * 1_000).getUTCDay();
    weights.push((WEEKDAY_WEIGHTS[weekday] as number) * (0.85 + 0.3 * random.next()));
  }
  const floor = events >= days ? 1 : 0;
  const spread = events - floor * days;
  const total = weights.reduce((sum, w) => sum + w, 0);
  const exact = weights.map((w) => (spread * w) / total);
  const targets = exact.map((x) => floor + Math.floor(x));
  let missing = events - targets.reduce((sum, n) => sum + n, 0);
  const byRemainder = exact.map((x, d) => ({ d, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.d - b.d);
  for (let i = 0; missing > 0; i = (i + 1) % days, missing -= 1) {
    const d = (byRemainder[i] as { d: number }).d;
    targets[d] = (targets[d] as number) + 1;
  }
  return targets;
}

/**
 * Yields `count` epoch seconds within the day starting at `dayStart`, in increasing order, distributed by
 * `HOURLY_WEIGHTS`. Sorted uniform samples are generated one after another (each is the minimum of the
 * uniforms still to come: 1 - x shrinks by V^(1/k)) and mapped through the inverse of the hourly CDF,
 * which keeps them sorted. Memory is constant whatever `count` is.
 */
export function* sortedSecondsOfDay(dayStart: number, count: number, random: RandomSource): Generator<number> {
  const total = HOURLY_WEIGHTS.reduce((sum, w) => sum + w, 0);
  let logOneMinus = 0;
  let hour = 0;
  let hourStartShare = 0;
  for (let i = 0; i < count; i += 1) {
    // 1 - next() is in (0, 1]: its logarithm is finite and at most 0.
    logOneMinus += Math.log(1 - random.next()) / (count - i);
    const x = -Math.expm1(logOneMinus);
    let hourShare = (HOURLY_WEIGHTS[hour] as number) / total;
    while (hour < 23 && x >= hourStartShare + hourShare) {
      hourStartShare += hourShare;
      hour += 1;
      hourShare = (HOURLY_WEIGHTS[hour] as number) / total;
    }
    const within = Math.min(HOUR_SECONDS - 1, Math.floor(((x - hourStartShare) / hourShare) * HOUR_SECONDS));
    yield dayStart + hour * HOUR_SECONDS + Math.max(0, within);
  }
}
