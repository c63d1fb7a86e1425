/**
 * One measurement each: sparkify's run (as a user runs it: the CLI in its own process), the hand-written
 * DuckDB script (also its own process), and the check of sparkify's answers against the independent
 * reference computation. Both processes are timed the same way: wall clock from spawn to exit, CPU time and
 * peak memory reported by the process itself (`process-usage.ts`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { query } from '../src/pipeline/query.js';
import type { RunSummary } from '../src/pipeline/run-summary.js';
import { computeReferenceStar, type ReferenceStar } from '../test/support/reference-star.js';
import type { ProcessUsage } from './process-usage.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/sparkify.js');
const HAND_WRITTEN = new URL('./hand-written-duckdb.js', import.meta.url).pathname;
const USAGE_REPORTER = new URL('./process-usage.js', import.meta.url).href;

/** How long a process took and what it used. */
export interface ProcessMeasure extends ProcessUsage {
  /** From spawn to exit, Node's start-up included. */
  readonly wallSeconds: number;
}

/** The hand-written script's own report. */
export interface HandWrittenReport {
  readonly seconds: Record<string, number>;
  readonly totalSeconds: number;
  readonly tables: Record<string, number>;
}

/** One run of sparkify: its summary and how the process fared. */
export interface SparkifyRun {
  readonly summary: RunSummary;
  readonly process: ProcessMeasure;
}

/** One run of the hand-written script: its report, or why it failed (DuckDB runs out of memory on L). */
export interface HandWrittenRun {
  readonly report?: HandWrittenReport;
  readonly failure?: string;
  readonly process: ProcessMeasure;
}

/**
 * Runs `node <args>` with the usage reporter preloaded; returns its stdout and measures. A failed process
 * throws, unless `allowFailure`: then its error comes back as `failure`, with what it used until then.
 */
export function measured(
  args: readonly string[],
  what: string,
  allowFailure = false,
): { stdout: string; process: ProcessMeasure; failure?: string } {
  const scratch = mkdtempSync(join(tmpdir(), 'sparkify-bench-usage-'));
  const usageFile = join(scratch, 'usage.json');
  try {
    const started = performance.now();
    const result = spawnSync(process.execPath, ['--import', USAGE_REPORTER, ...args], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, SPARKIFY_BENCH_USAGE: usageFile },
    });
    const wallSeconds = (performance.now() - started) / 1000;
    if (result.status !== 0 && !allowFailure) throw new Error(`${what} failed (exit ${result.status}): ${result.stderr}`);
    const usage: ProcessUsage = existsSync(usageFile)
      ? (JSON.parse(readFileSync(usageFile, 'utf8')) as ProcessUsage)
      : { cpuSeconds: Number.NaN, peakMemoryMB: Number.NaN };
    const failure = result.status === 0 ? undefined : errorLine(result.stderr, result.status);
    return { stdout: result.stdout, process: { wallSeconds, ...usage }, ...(failure ? { failure } : {}) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Runs `sparkify run --json` on `folder` into `database` (a fresh DuckDB file), as a user would.
 */
export function runSparkify(folder: string, database: string): SparkifyRun {
  const { stdout, process } = measured([BIN, 'run', '--source', folder, '--warehouse', `duckdb:${database}`, '--json'], 'sparkify run');
  return { summary: JSON.parse(stdout) as RunSummary, process };
}

/** Runs the hand-written DuckDB script on `folder` into a scratch database, removed afterwards. */
export function runHandWritten(folder: string): HandWrittenRun {
  const scratch = mkdtempSync(join(tmpdir(), 'sparkify-hand-'));
  try {
    const { stdout, process, failure } = measured([HAND_WRITTEN, folder, join(scratch, 'hand.duckdb')], 'the hand-written script', true);
    return failure ? { failure, process } : { report: JSON.parse(stdout) as HandWrittenReport, process };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The first line of `stderr` that names an error (DuckDB's "Out of Memory Error: ..."), or the exit code. */
function errorLine(stderr: string, status: number | null): string {
  const line = stderr.split('\n').find((text) => /Error:/.test(text) && !/^\s+at /.test(text));
  return line?.replace(/^\[?(Error: )?/, '').trim() ?? `exit code ${status}`;
}

/** The reference figures of a dataset; computed once per scale (it reads every file). */
export function referenceFor(folder: string): Promise<ReferenceStar> {
  return computeReferenceStar(folder);
}

/** Differences between sparkify's answers and the reference computation; empty when they agree. */
export async function compareWithReference(reference: ReferenceStar, summary: RunSummary, warehouse: string): Promise<string[]> {
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

/** Star tables whose row count in the hand-written script differs from the reference (it follows the same rules). */
export function handWrittenMismatches(reference: ReferenceStar, report: HandWrittenReport): string[] {
  const want: Record<string, number> = {
    songplays: reference.songplays,
    users: reference.users,
    songs: reference.songs,
    artists: reference.artists,
    time: reference.time,
  };
  return Object.entries(want)
    .filter(([table, count]) => report.tables[table] !== count)
    .map(([table, count]) => `${table}: hand-written ${report.tables[table]}, reference ${count}`);
}
