/**
 * The incremental figures of `npm run bench` (issue 12): on a scale's dataset, a full run on the source less
 * its last log file and 100 song files; then the run that finds one more day of events (the last log file,
 * 1/30 of the events) and those 100 song files; then a run that finds nothing new. Each is a separate
 * `sparkify run` process on the same DuckDB file. The source is made of hard links to the dataset's files
 * (copies where links cannot be made), so nothing is generated again.
 */
import { copyFileSync, linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { runSparkify, type SparkifyRun } from './bench-measurements.js';

/** The three runs and what they loaded. */
export interface IncrementalResult {
  readonly scale: string;
  readonly full: SparkifyRun;
  readonly newDay: SparkifyRun;
  readonly noop: SparkifyRun;
  readonly addedSongFiles: number;
  readonly addedLogFile: string;
}

const ADDED_SONG_FILES = 100;

/** Runs the three measurements on `folder` (a generated dataset), in scratch space under `scratchRoot`. */
export function measureIncremental(scale: string, folder: string, scratchRoot: string): IncrementalResult {
  const scratch = mkdtempSync(join(scratchRoot, 'incremental-'));
  try {
    const source = join(scratch, 'source');
    const files = listFiles(folder);
    const songs = files.filter((file) => file.startsWith('song_data/'));
    const logs = files.filter((file) => file.startsWith('log_data/'));
    const heldBack = new Set([...songs.slice(-ADDED_SONG_FILES), logs.at(-1)!]);
    for (const file of files) if (!heldBack.has(file)) place(folder, source, file);
    const database = join(scratch, 'incremental.duckdb');
    const full = runSparkify(source, database);
    for (const file of heldBack) place(folder, source, file);
    const newDay = runSparkify(source, database);
    const noop = runSparkify(source, database);
    return { scale, full, newDay, noop, addedSongFiles: ADDED_SONG_FILES, addedLogFile: logs.at(-1)! };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The figures as a Markdown table. */
export function formatIncremental(results: readonly IncrementalResult[]): string {
  const seconds = (run: SparkifyRun) => run.process.wallSeconds.toFixed(2);
  // Where a run's time goes, from its summary: what to cut next.
  const stages = (run: SparkifyRun) =>
    Object.entries(run.summary.seconds)
      .map(([stage, value]) => `${stage} ${(value ?? 0).toFixed(2)}`)
      .join(', ');
  const share = (run: SparkifyRun, full: SparkifyRun) => `${((run.process.wallSeconds / full.process.wallSeconds) * 100).toFixed(1)}%`;
  const lines = [
    'Incremental runs (DuckDB): a full load, then one more day of events plus 100 song files, then nothing new:',
    '',
    '| scale | run | files read (songs / logs) | events read | seconds | of the full run | seconds by stage | peak RSS |',
    '|---|---|---:|---:|---:|---:|---|---:|',
  ];
  for (const result of results) {
    for (const [name, run] of [
      ['full load', result.full],
      ['one more day', result.newDay],
      ['nothing new', result.noop],
    ] as const) {
      const { summary } = run;
      lines.push(
        `| ${result.scale} | ${name} | ${summary.songs.filesRead} / ${summary.events.filesRead} | ${summary.events.read} | ${seconds(run)} | ` +
          `${share(run, result.full)} | ${stages(run)} | ${run.process.peakMemoryMB} MB |`,
      );
    }
  }
  return lines.join('\n');
}

function listFiles(folder: string): string[] {
  return (readdirSync(folder, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)))
    .filter((file) => file.startsWith('song_data/') || file.startsWith('log_data/'))
    .sort();
}

function place(from: string, to: string, file: string): void {
  mkdirSync(dirname(join(to, file)), { recursive: true });
  try {
    linkSync(join(from, file), join(to, file));
  } catch {
    copyFileSync(join(from, file), join(to, file));
  }
}
