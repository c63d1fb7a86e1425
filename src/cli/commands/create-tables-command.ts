/**
 * `sparkify create-tables`: drop and create every table (the classic create_tables.py).
 */
import { Command } from 'commander';
import { createTables } from '../../pipeline/run.js';
import { settingsFromOptions, withWarehouseOptions } from '../common-options.js';

/** The `create-tables` verb. */
export function createTablesCommand(): Command {
  return withWarehouseOptions(
    new Command('create-tables').description('drop and create the staging tables, load_errors and the star tables (destroys their data)'),
  ).action(async (options: Record<string, unknown>) => {
    const result = await createTables({ settings: settingsFromOptions(options) });
    process.stdout.write(`Created ${result.tables.join(', ')} in ${result.warehouse}\n`);
  });
}
