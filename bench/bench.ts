/**
 * `npm run bench`: sparkify against a hand-written DuckDB script on generated datasets, plus the PostgreSQL
 * staging rate, the S3 fetch rate from a loopback server, and the generator's rate. Prints a Markdown
 * table and writes the same results as JSON to `.bench-cache/results.json` (and the table to results.md).
 *
 * Flags: `--large` adds scale L (400,000 song files, 10 million events: about 5 GB of disk and minutes);
 * `--scales S,M` picks scales; `--runs N` repeats each measurement (default 5, 1 for L) and keeps the
 * median, sparkify and the script taking turns (the ratio is the median of each turn's ratio); `--skip postgres,s3,generator,incremental` leaves extras out.
 * The incremental figures: a full load of M (and L) less its last day and 100 song files, then the run that finds them, then a no-op.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { datasetFor, SCALES, warmPageCache, type Scale } from './bench-datasets.js';
import { measureExtras } from './bench-extras.js';
import { formatIncremental, measureIncremental, type IncrementalResult } from './bench-incremental.js';
import {
  compareWithReference,
  handWrittenMismatches,
  referenceFor,
  runHandWritten,
  runSparkify,
  type HandWrittenRun,
  type SparkifyRun,
} from './bench-measurements.js';
import { formatReport, type BenchReport, type ScaleResult } from './bench-report.js';

// As bin/sparkify.js does: the AWS SDK's notice about Node 20 would only bury the results (S3 extra).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const ROOT = new URL('../../', import.meta.url).pathname;
const CACHE = join(ROOT, '.bench-cache');

const { values } = parseArgs({
  options: {
    large: { type: 'boolean', default: false },
    scales: { type: 'string' },
    runs: { type: 'string' },
    skip: { type: 'string', default: '' },
  },
});
const wanted = values.scales?.split(',') ?? (values.large ? ['S', 'M', 'L'] : ['S', 'M']);
const scales = SCALES.filter((scale) => wanted.includes(scale.name));
const skip = new Set(values.skip.split(',').filter(Boolean));

mkdirSync(CACHE, { recursive: true });
const results: ScaleResult[] = [];
for (const scale of scales) results.push(await measureScale(scale));
const report: BenchReport = {
  date: new Date().toISOString(),
  machine: machineDescription(),
  scales: results,
  extras: await measureExtras({
    skip,
    // PostgreSQL loads M (1.5 million events) at most: L would take it many minutes and prove nothing more.
    datasetFolder: results.filter((result) => result.scale.name !== 'L').at(-1)?.folder,
    smallFolder: results[0]?.folder,
    scratch: tmpdir(),
  }),
};
writeFileSync(join(CACHE, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
// One more day and a no-op after a full load, on the largest scale measured (issue 12's targets).
const incremental: IncrementalResult[] = [];
if (!skip.has('incremental')) {
  for (const result of results.filter((scaleResult) => scaleResult.scale.name !== 'S')) {
    process.stderr.write(`[${result.scale.name}] incremental: full load, one more day, nothing new...\n`);
    incremental.push(measureIncremental(result.scale.name, result.folder, CACHE));
  }
}
const markdown = [formatReport(report), ...(incremental.length > 0 ? ['', formatIncremental(incremental)] : [])].join('\n');
writeFileSync(join(CACHE, 'results.md'), `${markdown}\n`);
process.stdout.write(`${markdown}\n\nJSON: ${join(CACHE, 'results.json')}\n`);
if (results.some((result) => result.mismatches.length > 0)) process.exitCode = 1;

async function measureScale(scale: Scale): Promise<ScaleResult> {
  const log = (text: string) => process.stderr.write(`[${scale.name}] ${text}\n`);
  log(`dataset (${scale.songs} songs, ${scale.events} events)...`);
  const dataset = await datasetFor(scale, CACHE);
  log('reading the dataset once, so that every run finds it in the page cache...');
  warmPageCache(dataset.folder);
  const runs = Number(values.runs ?? (scale.name === 'L' ? 1 : 5));
  const sparkifyRuns: SparkifyRun[] = [];
  const handWrittenRuns: HandWrittenRun[] = [];
  // The warehouse of the last sparkify run stays until its answers are checked.
  const scratch = mkdtempSync(join(tmpdir(), 'sparkify-bench-'));
  const database = join(scratch, 'bench.duckdb');
  try {
    for (let run = 1; run <= runs; run++) {
      rmSync(database, { force: true });
      rmSync(`${database}.wal`, { force: true });
      log(`sparkify run (${run}/${runs})...`);
      sparkifyRuns.push(runSparkify(dataset.folder, database));
      log(`hand-written DuckDB script (${run}/${runs})...`);
      const handWritten = runHandWritten(dataset.folder);
      if (handWritten.failure) log(`the hand-written script failed: ${handWritten.failure}`);
      handWrittenRuns.push(handWritten);
    }
    log('reference computation...');
    const reference = await referenceFor(dataset.folder);
    const last = sparkifyRuns.at(-1)!;
    const mismatches = await compareWithReference(reference, last.summary, `duckdb:${database}`);
    const sparkify = median(sparkifyRuns, (run) => run.process.wallSeconds);
    const handWritten = median(handWrittenRuns, (run) => run.process.wallSeconds);
    return {
      scale,
      folder: dataset.folder,
      runs,
      sparkify,
      handWritten,
      sparkifyWallSeconds: sparkifyRuns.map((run) => run.process.wallSeconds),
      handWrittenWallSeconds: handWrittenRuns.map((run) => run.process.wallSeconds),
      pairRatios: sparkifyRuns.flatMap((run, i) => {
        const theirs = handWrittenRuns[i]!;
        return theirs.failure ? [] : [run.process.wallSeconds / theirs.process.wallSeconds];
      }),
      mismatches,
      handWrittenMismatches: handWritten.report ? handWrittenMismatches(reference, handWritten.report) : [],
      generation: dataset.generation,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The run with the median `key` (the lower middle one for an even count). */
function median<T>(items: readonly T[], key: (item: T) => number): T {
  const sorted = [...items].sort((a, b) => key(a) - key(b));
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function machineDescription(): string {
  return `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}
