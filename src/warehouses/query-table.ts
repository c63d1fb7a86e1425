/**
 * What every warehouse's `queryTable` shares: one statement per query, and one way of naming columns.
 */
import { QueryError } from '../errors.js';
import type { QueryTable, ResultRow } from './warehouse.js';

/** The one line for SQL holding several statements; `count` when the warehouse knows it. */
export function severalStatementsError(count?: number): QueryError {
  const holds = count === undefined ? 'several statements' : `${count} statements`;
  return new QueryError(`The query holds ${holds}; sparkify query runs exactly one: run them one at a time`);
}

/** The one line for SQL holding no statement at all (empty, or only comments). */
export function noStatementError(): QueryError {
  return new QueryError('The query holds no SQL statement');
}

/**
 * Names that are unique, keeping every column: the first `count` stays `count`, the next ones become
 * `count_2`, `count_3`, ... (skipping a name a column already has). The same on every warehouse.
 *
 * @example
 * uniqueColumnNames(['level', 'count', 'count', 'count']); // ['level', 'count', 'count_2', 'count_3']
 */
export function uniqueColumnNames(columns: readonly string[]): string[] {
  const taken = new Set(columns);
  const seen = new Set<string>();
  return columns.map((name) => {
    if (!seen.has(name)) {
      seen.add(name);
      return name;
    }
    let n = 2;
    while (taken.has(`${name}_${n}`) || seen.has(`${name}_${n}`)) n++;
    const unique = `${name}_${n}`;
    seen.add(unique);
    return unique;
  });
}

/** `table`'s rows as objects keyed by `uniqueColumnNames`, so no column is lost. */
export function rowObjects(table: QueryTable): ResultRow[] {
  const names = uniqueColumnNames(table.columns);
  return table.rows.map((row) => Object.fromEntries(names.map((name, index) => [name, row[index]])));
}
