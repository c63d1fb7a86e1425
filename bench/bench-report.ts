/**
 * Formats the benchmark's results as Markdown: one table comparing sparkify with the hand-written script
 * per scale, one with sparkify's stages and their throughput, and the extra figures.
 */
import type { GenerateResult } from '../src/generator/generate.js';
import type { Scale } from './bench-datasets.js';
import type { ExtraResults } from './bench-extras.js';
import type { HandWrittenRun, SparkifyRun } from './bench-measurements.js';

/** One scale's measurements: the median run of each side, and every run's wall time. */
export interface ScaleResult {
  readonly scale: Scale;
  readonly folder: string;
  readonly runs: number;
  readonly sparkify: SparkifyRun;
  readonly handWritten: HandWrittenRun;
  readonly sparkifyWallSeconds: readonly number[];
  readonly handWrittenWallSeconds: readonly number[];
  /**
   * sparkify's time over the script's, run by run: each pair runs back to back, so a drift in the machine's
   * speed (this host's varies by a quarter within minutes) touches both sides of a pair alike.
   */
  readonly pairRatios: readonly number[];
  /** Differences of sparkify's answers from the reference computation; empty when they agree. */
  readonly mismatches: readonly string[];
  /** Star tables where the hand-written script's row counts differ from the reference. */
  readonly handWrittenMismatches: readonly string[];
  readonly generation?: GenerateResult;
}

/** Everything one `npm run bench` measured. */
export interface BenchReport {
  readonly date: string;
  readonly machine: string;
  readonly scales: readonly ScaleResult[];
  readonly extras: ExtraResults;
}

const n = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const seconds = (value: number) => `${n(value, 1)} s`;
const spread = (values: readonly number[]) => (values.length > 1 ? ` (${values.map((value) => n(value, 1)).join(', ')})` : '');

/** The whole report as Markdown. */
export function formatReport(report: BenchReport): string {
  const lines = [`Benchmark of ${report.date} on ${report.machine}`, ''];
  lines.push(
    'Wall clock of each process from start to exit (median of the runs listed), its CPU time (all threads) and peak memory.',
    "The ratio is the median of the runs' ratios (listed): sparkify and the script take turns, and each run of sparkify is compared with the script's run right after it.",
    '',
    '| scale | song files | events | sparkify run | CPU | peak RSS | hand-written DuckDB | CPU | peak RSS | sparkify / hand-written | answers = reference |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  );
  for (const result of report.scales) {
    const { summary, process: mine } = result.sparkify;
    const theirs = result.handWritten.process;
    const failed = result.handWritten.failure;
    const theirTime = failed
      ? `failed after ${seconds(theirs.wallSeconds)}: ${failed}`
      : `${seconds(theirs.wallSeconds)}${spread(result.handWrittenWallSeconds)}`;
    const ratios = result.pairRatios;
    const ratio =
      failed || ratios.length === 0
        ? 'n/a'
        : `${n(medianOf(ratios), 2)}${ratios.length > 1 ? ` (${ratios.map((value) => n(value, 2)).join(', ')})` : ''}`;
    const answers = result.mismatches.length === 0 ? 'yes' : `NO: ${result.mismatches.join('; ')}`;
    const theirAnswers =
      result.handWrittenMismatches.length === 0 ? '' : ` (hand-written differs: ${result.handWrittenMismatches.join('; ')})`;
    lines.push(
      `| ${result.scale.name} | ${n(summary.songs.filesRead)} | ${n(summary.events.read)} | ${seconds(mine.wallSeconds)}${spread(result.sparkifyWallSeconds)} | ` +
        `${seconds(mine.cpuSeconds)} | ${n(mine.peakMemoryMB)} MB | ${theirTime} | ` +
        `${seconds(theirs.cpuSeconds)} | ${n(theirs.peakMemoryMB)} MB | ${ratio} | ${answers}${theirAnswers} |`,
    );
  }

  lines.push('', 'sparkify by stage (the median run):', '', '| scale | stage | seconds | throughput |', '|---|---|---:|---|');
  for (const { scale, sparkify } of report.scales) {
    const { summary } = sparkify;
    const stage = summary.seconds;
    const songs = stage['stage-songs'] ?? Number.NaN;
    const events = stage['stage-events'] ?? Number.NaN;
    const publish = stage.publish ?? Number.NaN;
    const other = sparkify.process.wallSeconds - songs - events - publish - (stage['create-tables'] ?? 0);
    lines.push(
      `| ${scale.name} | list, read, check, stage songs | ${n(songs, 2)} | ${n(summary.songs.filesRead / songs)} files/s, ${n(summary.songs.bytes / 1e6 / songs, 1)} MB/s |`,
      `| ${scale.name} | list, read, check, stage events | ${n(events, 2)} | ${n(summary.events.read / events)} events/s, ${n(summary.events.bytes / 1e6 / events, 1)} MB/s |`,
      `| ${scale.name} | transform and publish | ${n(publish, 2)} | ${n(summary.tables.songplays / publish)} songplays/s |`,
      `| ${scale.name} | start-up, create tables, counts, close | ${n(other, 2)} | |`,
    );
  }

  lines.push(
    '',
    '| hand-written DuckDB, by statement (the median run) | ' + report.scales.map((result) => result.scale.name).join(' | ') + ' |',
  );
  lines.push(`|---|${report.scales.map(() => '---:').join('|')}|`);
  const steps = Object.keys(report.scales.find((result) => result.handWritten.report)?.handWritten.report?.seconds ?? {});
  for (const step of steps) {
    const cells = report.scales.map((result) =>
      result.handWritten.report ? n(result.handWritten.report.seconds[step] ?? Number.NaN, 2) : 'failed',
    );
    lines.push(`| ${step} | ${cells.join(' | ')} |`);
  }

  lines.push('', '| extra | figure |', '|---|---|');
  const { postgres, s3, generator } = report.extras;
  if (postgres) {
    lines.push(
      `| PostgreSQL staging rate (events) | ${'error' in postgres ? `failed: ${postgres.error}` : `${n(postgres.eventsPerSecond)} events/s (${n(postgres.events)} events in ${n(postgres.stageSeconds, 2)} s)`} |`,
    );
  }
  if (s3) {
    lines.push(
      `| S3 fetch rate, loopback server | ${'error' in s3 ? `failed: ${s3.error}` : `${n(s3.concurrent)} objects/s with ${s3.concurrency} at once, ${n(s3.oneAtATime)} objects/s one at a time (${n(s3.objects)} objects)`} |`,
    );
  }
  if (generator) {
    lines.push(
      `| generator rate | ${'error' in generator ? `failed: ${generator.error}` : `${n(generator.eventsPerSecond)} events/s, ${n(generator.filesPerSecond)} song files/s`} |`,
    );
  }
  return lines.join('\n');
}

/** The median of `values`: the lower middle one for an even count, as the bench picks its median run. */
export function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}
