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
  ).action(async (options: Record<string, unknown>) => {
    const settings = settingsFromOptions(options);
    const steps = await planRun(settings);
    process.stdout.write(options.json === true ? `${JSON.stringify(steps, null, 2)}\n` : formatPlan(steps, settings));
  });
}
