/**
 * The options that choose which files a run loads: `--full-refresh` (every file, everything rebuilt) and
 * `--from` / `--to` (a backfill of the log files of those days, by the date in their path).
 */
import type { Command } from 'commander';
import { isCalendarDay } from '../calendar-day.js';
import { ConfigError } from '../errors.js';
import { BACKFILL_END, BACKFILL_START, type Backfill } from '../pipeline/file-selection.js';

/** Adds --full-refresh, --from and --to to `command`. */
export function withIncrementalOptions(command: Command): Command {
  return command
    .option('--full-refresh', 'rebuild everything from the source as it is now, whatever the ledger says')
    .option('--from <YYYY-MM-DD>', 'backfill: load, or reload, only the log files of this day and after (with --to, up to that day)')
    .option('--to <YYYY-MM-DD>', 'backfill: load, or reload, only the log files of this day and before');
}

/** The run options those flags give; a ConfigError (exit 2) names a bad day. */
export function incrementalFromOptions(options: Record<string, unknown>): { fullRefresh?: boolean; backfill?: Backfill } {
  const day = (flag: string, value: unknown): string | undefined => {
    if (typeof value !== 'string') return undefined;
    if (!isCalendarDay(value)) throw new ConfigError(`${flag}: expected a real day as YYYY-MM-DD, got "${value}"`);
    return value;
  };
  const from = day('--from', options.from);
  const to = day('--to', options.to);
  if (from && to && from > to) throw new ConfigError(`--from ${from} is after --to ${to}`);
  const backfill = from || to ? { from: from ?? BACKFILL_START, to: to ?? BACKFILL_END } : undefined;
  return { ...(options.fullRefresh === true ? { fullRefresh: true } : {}), ...(backfill ? { backfill } : {}) };
}
