/**
 * `sparkify explain-matches`: why plays did not match a song, sorted into causes with counts and examples.
 */
import { Command } from 'commander';
import { explainMatches } from '../../pipeline/match-explanation.js';
import { formatMatchExplanation } from '../check-format.js';
import { settingsFromOptions, withMatchOption, withWarehouseOptions } from '../common-options.js';

/** The `explain-matches` verb. */
export function explainMatchesCommand(): Command {
  return withMatchOption(
    withWarehouseOptions(
      new Command('explain-matches')
        .description(
          'sort the plays that match no song into causes (duration, spelling, artist spelling, not in the catalogue), with examples',
        )
        .option('--json', 'print the explanation as JSON'),
    ),
  ).action(async (options: Record<string, unknown>) => {
    const explanation = await explainMatches({ settings: settingsFromOptions(options) });
    process.stdout.write(options.json === true ? `${JSON.stringify(explanation, null, 2)}\n` : `${formatMatchExplanation(explanation)}\n`);
  });
}
