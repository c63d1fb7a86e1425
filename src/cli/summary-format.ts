/**
 * The human-readable summary of a run.
 */
import type { DatasetSummary, RunSummary } from '../pipeline/run-summary.js';
import { checkProblems, checkTotals } from './check-format.js';
import { DEFAULT_WAREHOUSE } from '../warehouses/warehouse-target.js';
import { formatTable } from './text-table.js';
import { groupDigits } from '../number-format.js';

/** Formats `summary` for the terminal: reconciliation per source, star table sizes, matches and timings. */
export function formatRunSummary(summary: RunSummary): string {
  const sources = formatTable(
    [sourceRow('songs', summary.songs), sourceRow('events', summary.events)],
    ['source', 'new', 'changed', 'unchanged', 'removed', 'read', 'staged', 'rejected', 'location'],
  );
  const tables = formatTable(
    Object.entries(summary.tables).map(([table, rows]) => ({ table, rows })),
    ['table', 'rows'],
  );
  const percent = (summary.matchedShare * 100).toFixed(1);
  const stages = Object.entries(summary.seconds)
    .map(([stage, seconds]) => `${stage} ${seconds.toFixed(2)}s`)
    .join(', ');
  const what = summary.bundledSample ? 'the bundled sample' : 'the source';
  const headline = summary.published
    ? `Run ${summary.runId} (${runLabel(summary)}) loaded ${what} into ${summary.warehouse} and published the star schema`
    : `Run ${summary.runId}: nothing new${summary.nothingNewSince ? ` since run ${summary.nothingNewSince.runId} (${summary.nothingNewSince.finishedAt.toISOString()})` : ''}; no table changed in ${summary.warehouse}`;
  const lines = [
    headline,
    '',
    sources,
    '',
    tables,
    '',
    `songplays matched to a song: ${groupDigits(summary.matchedSongplays)} of ${groupDigits(summary.tables.songplays)} (${percent}%)${summary.match === 'exact' ? '' : ` with --match ${summary.match}`}`,
  ];
  if (summary.exactMatch) {
    const exact = (summary.exactMatch.share * 100).toFixed(1);
    lines.push(`  with --match exact: ${groupDigits(summary.exactMatch.songplays)} (${exact}%)`);
  }
  if (summary.checks) lines.push(checkTotals(summary.checks), ...checkProblems(summary.checks));
  if (summary.rejected > 0) {
    lines.push(`rejected records: ${summary.rejected} (allowed by --max-errors ${summary.maxErrors}); see the load_errors table`);
  }
  const removed = summary.songs.files.removed + summary.events.files.removed;
  if (removed > 0) {
    // A full refresh (or Redshift's direct COPY, recorded as one) rebuilt from the source as it is: gone.
    const dropped = summary.mode === 'full-refresh' && summary.published;
    lines.push(
      dropped
        ? `files removed from the source since they were loaded: ${removed}; this full refresh dropped their records`
        : `files removed from the source since they were loaded: ${removed}; their records stay until \`sparkify run --full-refresh\``,
    );
  }
  if (summary.staging) {
    const objects = (dataset: DatasetSummary) => dataset.stagedObjects?.objects ?? 0;
    lines.push(
      summary.staging.copies === 0
        ? 'staged through S3: nothing to upload, no COPY sent'
        : `staged through S3: ${summary.staging.copies} COPY ... MANIFEST read ${summary.staging.objects} objects ` +
            `(songs ${objects(summary.songs)}, events ${objects(summary.events)}), ${formatBytes(summary.staging.bytes)} uploaded`,
    );
  }
  const skipped = summary.songs.skippedFiles + summary.events.skippedFiles;
  if (skipped > 0) lines.push(`files passed over (not .json, or a link to nothing or in a loop): ${skipped}`);
  lines.push(`time: ${summary.totalSeconds.toFixed(2)}s (${stages}); peak memory ${summary.peakMemoryMB} MB`);
  for (const note of summary.notes) lines.push(`note: ${note}`);
  if (summary.bundledSample) {
    lines.push(
      '',
      `Next: sparkify query "select * from songplays limit 5"${warehouseOption(summary.warehouse)}, or sparkify run --source <folder | s3://bucket>`,
    );
  }
  return lines.join('\n');
}

/**
 * The run's mode as the headline names it. An incremental run into an empty ledger read every file, so it
 * says "first load" rather than "incremental", which a new user reads as "only part of the data". The run
 * record keeps the mode that was asked for.
 */
function runLabel(summary: RunSummary): string {
  const known = (dataset: DatasetSummary) => dataset.files.changed + dataset.files.unchanged + dataset.files.removed;
  return summary.mode === 'incremental' && known(summary.songs) + known(summary.events) === 0 ? 'first load' : summary.mode;
}

function sourceRow(source: string, dataset: DatasetSummary): Record<string, unknown> {
  return {
    source,
    new: dataset.files.new,
    changed: dataset.files.changed,
    unchanged: dataset.files.unchanged,
    removed: dataset.files.removed,
    read: dataset.read,
    staged: dataset.staged,
    rejected: dataset.rejected,
    location: dataset.location,
  };
}

// 1234567 -> "1.2 MB" (decimal units, as S3 bills them).
function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

// The hint's --warehouse: none for the default, a DuckDB file as given, and for a server a reminder only
// (its description leaves the password out, so it is not a working URL).
function warehouseOption(warehouse: string): string {
  if (warehouse === DEFAULT_WAREHOUSE) return '';
  if (!warehouse.startsWith('duckdb:')) return ' --warehouse <the same warehouse>';
  // Quoted for the shell unless every character is one no shell treats specially.
  return /^[\w./:@%+=,-]+$/.test(warehouse) ? ` --warehouse ${warehouse}` : ` --warehouse '${warehouse.replaceAll("'", "'\\''")}'`;
}
