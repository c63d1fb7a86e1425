/**
 * `sparkify query "<sql>"`: a read-only query, printed as a table or as JSON.
 */
import { Command } from 'commander';
import { queryWithColumns } from '../../pipeline/query.js';
import { settingsFromOptions, withWarehouseOptions } from '../common-options.js';
import { formatTable } from '../text-table.js';

/** The `query` verb. */
export function queryCommand(): Command {
  return withWarehouseOptions(
    new Command('query')
      .description('run a read-only SQL query on the warehouse and print the rows')
      .argument('<sql>', 'the query, for example "select * from songplays limit 5"')
      .option('--json', 'print a JSON array of row objects (timestamps as ISO strings)'),
  ).action(async (sql: string, options: Record<string, unknown>) => {
    const { columns, rows } = await queryWithColumns(sql, { settings: settingsFromOptions(options) });
    if (options.json === true) {
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return;
    }
    process.stdout.write(`${formatTable(rows, columns)}\n(${rows.length} row${rows.length === 1 ? '' : 's'})\n`);
  });
}
