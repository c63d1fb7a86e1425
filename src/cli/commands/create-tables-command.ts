/**
 * `sparkify create-tables`: drop and create every table (the classic create_tables.py).
 */
import { Command } from 'commander';
import { createTables } from '../../pipeline/run.js';
import { settingsFromOptions, waitSecondsFromOptions, withWaitOption, withWarehouseOptions } from '../common-options.js';
import { handleInterrupts } from '../interrupt-handler.js';

/** The `create-tables` verb. */
export function createTablesCommand(): Command {
  return withWaitOption(
    withWarehouseOptions(
      new Command('create-tables').description(
        'drop and create every table: staging, load_errors, the star tables, the ledger and the runs (destroys their data; one transaction)',
      ),
    ),
  ).action(async (options: Record<string, unknown>) => {
    const settings = settingsFromOptions(options);
    const interrupts = handleInterrupts();
    let result: Awaited<ReturnType<typeof createTables>>;
    try {
      result = await createTables({ settings, waitSeconds: waitSecondsFromOptions(options), signal: interrupts.signal });
    } finally {
      interrupts.dispose();
    }
    process.stdout.write(`Created ${result.tables.join(', ')} in ${result.warehouse}\n`);
  });
}
