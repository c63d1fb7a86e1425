/**
 * `sparkify runs`: the latest runs from the `sparkify_runs` table, newest first.
 */
import { Command } from 'commander';
import { ConfigError } from '../../errors.js';
import { recentRuns } from '../../pipeline/runs.js';
import { settingsFromOptions, withWarehouseOptions } from '../common-options.js';
import { formatTable } from '../text-table.js';

/** The `runs` verb. */
export function runsCommand(): Command {
  return withWarehouseOptions(
    new Command('runs')
      .description('list the latest runs (sparkify_runs): status, mode, files new/changed/unchanged/removed, records')
      .option('--limit <n>', 'how many runs (default: 10)')
      .option('--json', 'print a JSON array of runs'),
  ).action(async (options: Record<string, unknown>) => {
    const limit = options.limit === undefined ? 10 : Number(options.limit);
    if (!Number.isInteger(limit) || limit < 1)
      throw new ConfigError(`--limit: expected a whole number >= 1, got "${String(options.limit)}"`);
    const runs = await recentRuns({ settings: settingsFromOptions(options), limit });
    if (options.json === true) {
      process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
      return;
    }
    if (runs.length === 0) {
      process.stdout.write('No runs recorded yet: `sparkify run` records each run in sparkify_runs.\n');
      return;
    }
    const rows = runs.map((run) => ({
      run: run.run_id,
      started: run.started_at,
      seconds: run.seconds,
      status: run.status,
      mode: run.mode,
      'songs new/chg/same/gone': files(run, 'song'),
      'events new/chg/same/gone': files(run, 'event'),
      read: run.records_read,
      rejected: run.records_rejected,
      songplays: run.songplays,
    }));
    process.stdout.write(`${formatTable(rows)}\n`);
    for (const run of runs.filter((row) => row.error)) process.stdout.write(`run ${run.run_id} failed: ${run.error}\n`);
  });
}

function files(run: Record<string, unknown>, dataset: 'song' | 'event'): string {
  return ['new', 'changed', 'unchanged', 'removed'].map((kind) => String(run[`${dataset}_files_${kind}`] ?? '-')).join('/');
}
