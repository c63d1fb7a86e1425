/**
 * Plays of this run's log files that repeat plays loaded before from other files: the same ts, userId,
 * sessionId and itemInSession. A day delivered again under another name gives each of its plays a second
 * songplay_id (the id hashes the file's name), and every check passes, as a play more than its events is
 * allowed. The run says which files repeat which, and how many plays, in a note.
 *
 * Only an incremental run looks: it joins the batch (a day's events) with staging, which costs a scan of
 * four columns of staging (measured on M: 30-50 ms for one day against 1.45 million events). A full load
 * would have to group all its events.
 */
import { BATCH_EVENTS, BATCH_FILES } from '../schema/ledger-tables.js';
import { STAGING_EVENTS } from '../schema/staging-tables.js';
import type { Warehouse } from '../warehouses/warehouse.js';

const EXAMPLES = 2;

/** One line on the batch's plays that repeat staged plays of other files; undefined when none do. */
export async function repeatedPlaysNote(warehouse: Warehouse): Promise<string | undefined> {
  // Files the batch replaces are left out: their earlier records are the ones being replaced.
  const rows = await warehouse.query(`SELECT b.source_file AS file, s.source_file AS earlier, COUNT(*) AS plays
FROM ${BATCH_EVENTS.name} b
JOIN ${STAGING_EVENTS.name} s
  ON s.ts = b.ts AND s.user_id = b.user_id AND s.session_id = b.session_id AND s.item_in_session = b.item_in_session
WHERE b.page = 'NextSong' AND s.page = 'NextSong'
  AND NOT EXISTS (SELECT 1 FROM ${BATCH_FILES.name} f WHERE f.source_file = s.source_file)
GROUP BY b.source_file, s.source_file
ORDER BY COUNT(*) DESC, b.source_file, s.source_file`);
  if (rows.length === 0) return undefined;
  const total = rows.reduce((sum, row) => sum + Number(row.plays), 0);
  const examples = rows.slice(0, EXAMPLES).map((row) => `${String(row.file)} repeats ${Number(row.plays)} of ${String(row.earlier)}`);
  const more = rows.length > EXAMPLES ? ` and ${rows.length - EXAMPLES} more pairs of files` : '';
  return (
    `${total} play(s) of this run's log files repeat plays loaded before from other files (same ts, userId, sessionId ` +
    `and itemInSession), so they are counted twice: ${examples.join('; ')}${more}; if a day was delivered again under ` +
    'another name, remove one of the files and run with --full-refresh'
  );
}
