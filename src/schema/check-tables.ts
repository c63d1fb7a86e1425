/**
 * The table of failing rows: what the checks of the latest run (or `sparkify check`) found, a row per
 * failing row of each failed check, so a user can see which keys broke a check without re-running its SQL.
 */
import type { TableSpec } from './table-spec.js';

/** Failing rows of the latest checks: the check, its severity, the row's key (its first column) and the row as JSON. */
export const CHECK_FAILURES: TableSpec = {
  name: 'check_failures',
  role: 'errors',
  escapesNul: true,
  columns: [
    { name: 'check_name', type: 'text', maxLength: 256, notNull: true },
    { name: 'severity', type: 'text', maxLength: 8, notNull: true },
    { name: 'failing_key', type: 'text', maxLength: 1024 },
    { name: 'row_json', type: 'text', maxLength: 65535 },
  ],
};
