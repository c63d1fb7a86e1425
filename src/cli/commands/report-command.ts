/**
 * `sparkify report [--out sparkify-report.html]`: the listening report as one offline HTML file.
 */
import { Command } from 'commander';
import { settingsFromOptions, withWarehouseOptions } from '../common-options.js';

/** The `report` verb. */
export function reportCommand(): Command {
  return withWarehouseOptions(
    new Command('report')
      .description('write the listening report: one self-contained HTML file that opens offline (charts as SVG, no network)')
      .option('--out <file>', 'where to write it (default: sparkify-report.html)'),
  ).action(async (options: Record<string, unknown>) => {
    const out = typeof options.out === 'string' ? options.out : undefined;
    // Loaded when used: ECharts is large, and other verbs should not pay for it at start-up.
    const { report } = await import('../../report/report.js');
    const result = await report({ settings: settingsFromOptions(options), out });
    process.stdout.write(`Wrote ${result.path} (${Math.round(result.bytes / 1024)} KB). Open it in a browser; it needs no network.\n`);
  });
}
