/**
 * Changed files that now hold fewer records than when they were loaded. A changed file's earlier records
 * are replaced everywhere, so the records it no longer holds leave every table; a deleted file, by
 * contrast, keeps its records. Log files only grow, so a shorter one is most often a mistake (a file cut
 * short by a failed copy, emptied by a script): the run says which files, before and now.
 */
import { BATCH_ERRORS, BATCH_EVENTS, BATCH_FILES, BATCH_SONGS, SPARKIFY_FILES } from '../schema/ledger-tables.js';
import type { Warehouse } from '../warehouses/warehouse.js';

const EXAMPLES = 3;

/** One line on the files of the batch that hold fewer records than the ledger says they did; undefined when none do. */
export async function shrunkFilesNote(warehouse: Warehouse): Promise<string | undefined> {
  const rows = await warehouse.query(`SELECT l.source_file, l.records_read AS before, COALESCE(s.n, 0) + COALESCE(r.n, 0) AS now
FROM ${SPARKIFY_FILES.name} l
JOIN ${BATCH_FILES.name} f ON f.source_file = l.source_file AND f.change_token <> l.change_token
LEFT JOIN (
  SELECT source_file, COUNT(*) AS n FROM ${BATCH_EVENTS.name} GROUP BY source_file
  UNION ALL
  SELECT source_file, COUNT(*) AS n FROM ${BATCH_SONGS.name} GROUP BY source_file
) s ON s.source_file = l.source_file
LEFT JOIN (SELECT source_file, COUNT(*) AS n FROM ${BATCH_ERRORS.name} GROUP BY source_file) r ON r.source_file = l.source_file
WHERE COALESCE(s.n, 0) + COALESCE(r.n, 0) < l.records_read
ORDER BY l.source_file`);
  if (rows.length === 0) return undefined;
  const examples = rows.slice(0, EXAMPLES).map((row) => `${String(row.source_file)} (${Number(row.now)} of ${Number(row.before)})`);
  const more = rows.length > EXAMPLES ? ` and ${rows.length - EXAMPLES} more` : '';
  const count = rows.length === 1 ? '1 changed file holds' : `${rows.length} changed files hold`;
  return (
    `${count} fewer records than when loaded, and the records no longer in ${rows.length === 1 ? 'it' : 'them'} are gone from every table: ` +
    `${examples.join(', ')}${more}; if a file was cut short by mistake, put it back and run again`
  );
}
