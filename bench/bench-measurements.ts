/**
 * One measurement each: sparkify's run (as a user runs it: the CLI in its own process), the hand-written
 * DuckDB script, and the check of sparkify's answers against the independent reference computation.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { query } from '../src/pipeline/query.js';
import type { RunSummary } from '../src/pipeline/run-summary.js';
import { computeReferenceStar } from '../test/support/reference-star.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/sparkify.js');
const HAND_WRITTEN = new URL('./hand-written-duckdb.js', import.meta.url).pathname;

/** The hand-written script's result. */
export interface HandWrittenResult {
  readonly seconds: Record<string, number>;
  readonly totalSeconds: number;
  readonly tables: Record<string, number>;
  readonly peakMemoryMB: number;
}

/** Runs `sparkify run --json` on `folder` into a fresh DuckDB file; returns the summary and the file. */
export function runSparkify(folder: string, extraArgs: readonly string[] = []): { summary: RunSummary; warehouse: string } {
  const warehouse = `duckdb:${join(mkdtempSync(join(tmpdir(), 'sparkify-bench-')), 'bench.duckdb')}`;
  const result = spawnSync(process.execPath, [BIN, 'run', '--source', folder, '--warehouse', warehouse, '--json', ...extraArgs], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`sparkify run failed on ${folder}: ${result.stderr}`);
  return { summary: JSON.parse(result.stdout) as RunSummary, warehouse };
}

/** Runs the hand-written DuckDB script on `folder` in its own process. */
export function runHandWritten(folder: string): HandWrittenResult {
  const scratch = mkdtempSync(join(tmpdir(), 'sparkify-hand-'));
  try {
    const result = spawnSync(process.execPath, [HAND_WRITTEN, folder, join(scratch, 'hand.duckdb')], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`the hand-written script failed on ${folder}: ${result.stderr}`);
    return JSON.parse(result.stdout) as HandWrittenResult;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Differences between sparkify's answers and the reference computation; empty when they agree. */
export async function compareWithReference(folder: string, summary: RunSummary, warehouse: string): Promise<string[]> {
  const reference = await computeReferenceStar(folder);
  const [levels] = await query(
    "SELECT COUNT(*) FILTER (WHERE level = 'paid') AS paid, COUNT(*) FILTER (WHERE level = 'free') AS free FROM users",
    { options: { warehouse }, env: {} },
  );
  const pairs: [string, number, number][] = [
    ['staging_events', summary.events.staged, reference.stagingEvents],
    ['staging_songs', summary.songs.staged, reference.stagingSongs],
    ['rejected', summary.rejected, reference.rejectedEvents + reference.rejectedSongs],
    ['songplays', summary.tables.songplays, reference.songplays],
    ['matched songplays', summary.matchedSongplays, reference.matchedSongplays],
    ['users', summary.tables.users, reference.users],
    ['paid users', Number(levels?.paid), reference.paidUsers],
    ['free users', Number(levels?.free), reference.freeUsers],
    ['time', summary.tables.time, reference.time],
    ['songs', summary.tables.songs, reference.songs],
    ['artists', summary.tables.artists, reference.artists],
  ];
  return pairs.filter(([, got, want]) => got !== want).map(([name, got, want]) => `${name}: sparkify ${got}, reference ${want}`);
}
