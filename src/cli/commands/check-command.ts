/**
 * `sparkify check`: the quality checks on the published star tables.
 */
import { Command } from 'commander';
import { QualityCheckError } from '../../errors.js';
import { check } from '../../pipeline/check.js';
import { formatCheckReport } from '../check-format.js';
import { settingsFromOptions, withCheckOptions, withWarehouseOptions } from '../common-options.js';

/** The `check` verb: exits 1 when an error check fails, a check's SQL fails, or no check ran. */
export function checkCommand(): Command {
  return withCheckOptions(
    withWarehouseOptions(
      new Command('check')
        .description('run the built-in and user data-quality checks on the published star tables (exit 1 when one fails)')
        .option('--json', 'print the check report as JSON'),
    ),
  ).action(async (options: Record<string, unknown>) => {
    const report = await check({ settings: settingsFromOptions(options) });
    process.stdout.write(options.json === true ? `${JSON.stringify(report, null, 2)}\n` : `${formatCheckReport(report)}\n`);
    if (report.blocking) throw new QualityCheckError(report);
  });
}
