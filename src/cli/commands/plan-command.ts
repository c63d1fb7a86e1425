/**
 * `sparkify plan`: print every SQL statement a run would send to the configured warehouse, in order,
 * without connecting to it. Passwords never appear; an IAM role ARN, which is not a secret, does.
 */
import { Command } from 'commander';
import { formatPlan, planRun } from '../../pipeline/run-plan.js';
import { settingsFromOptions, withLoadOptions } from '../common-options.js';

/** The `plan` verb. */
export function planCommand(): Command {
  return withLoadOptions(
    new Command('plan').description('print the SQL a run would execute on the warehouse, in order, without connecting (--json: as a list)'),
    'print the steps as a JSON list of { stage, sql } (notes go to stderr)',
  ).action(async (options: Record<string, unknown>) => {
    const settings = settingsFromOptions(options);
    const steps = await planRun(settings);
    // The JSON on stdout stays a list of steps; its notes go to stderr (the text plan has them as comments).
    if (options.json === true) for (const note of settings.notes) process.stderr.write(`sparkify: note: ${note}\n`);
    process.stdout.write(options.json === true ? `${JSON.stringify(steps, null, 2)}\n` : formatPlan(steps, settings));
  });
}
