/**
 * Formats the benchmark's results as Markdown: one table comparing sparkify with the hand-written script
 * per scale, one with sparkify's stages, and the extra figures.
 */
import type { RunSummary } from '../src/pipeline/run-summary.js';
import type { Scale } from './bench-datasets.js';
import type { ExtraResults } from './bench-extras.js';
import type { HandWrittenResult } from './bench-measurements.js';

/** One scale's measurements. */
export interface ScaleResult {
  readonly scale: Scale;
  readonly folder: string;
  readonly summary: RunSummary;
  readonly handWritten: HandWrittenResult;
  /** Differences from the reference computation; empty when the answers agree. */
  readonly mismatches: readonly string[];
}

/** Everything one `npm run bench` measured. */
export interface BenchReport {
  readonly date: string;
  readonly machine: string;
  readonly scales: readonly ScaleResult[];
  readonly extras: ExtraResults;
}

const n = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The whole report as Markdown. */
export function formatReport(report: BenchReport): string {
  const lines = [`Benchmark of ${report.date} on ${report.machine}`, ''];
  lines.push(
    '| scale | song files | events | sparkify run | hand-written DuckDB | ratio | sparkify peak RSS | hand-written peak RSS | answers = reference |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
  );
  for (const result of report.scales) {
    const { summary, handWritten } = result;
    lines.push(
      `| ${result.scale.name} | ${n(summary.songs.files)} | ${n(summary.events.read)} | ${n(summary.totalSeconds, 2)} s | ` +
        `${n(handWritten.totalSeconds, 2)} s | ${n(summary.totalSeconds / handWritten.totalSeconds, 2)} | ` +
        `${n(summary.peakMemoryMB)} MB | ${n(handWritten.peakMemoryMB)} MB | ` +
        `${result.mismatches.length === 0 ? 'yes' : `NO: ${result.mismatches.join('; ')}`} |`,
    );
  }
  lines.push('', '| scale | stage | seconds | throughput |', '|---|---|---:|---|');
  for (const { scale, summary } of report.scales) {
    const seconds = summary.seconds;
    const songs = seconds['stage-songs'] ?? Number.NaN;
    const events = seconds['stage-events'] ?? Number.NaN;
    lines.push(
      `| ${scale.name} | create tables | ${n(seconds['create-tables'] ?? 0, 2)} | |`,
      `| ${scale.name} | list + read + stage songs | ${n(songs, 2)} | ${n(summary.songs.files / songs)} files/s, ${n(summary.songs.bytes / 1e6 / songs, 1)} MB/s |`,
      `| ${scale.name} | list + read + stage events | ${n(events, 2)} | ${n(summary.events.read / events)} events/s, ${n(summary.events.bytes / 1e6 / events, 1)} MB/s |`,
      `| ${scale.name} | transform + publish | ${n(seconds.publish ?? 0, 2)} | ${n(summary.tables.songplays)} songplays |`,
    );
  }
  lines.push('', '| extra | figure |', '|---|---|');
  const { postgres, s3, generator } = report.extras;
  if (postgres) {
    lines.push(`| PostgreSQL staging rate | ${'error' in postgres ? `failed: ${postgres.error}` : `${n(postgres.eventsPerSecond)} events/s (${n(postgres.events)} events in ${n(postgres.stageSeconds, 2)} s)`} |`);
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
