/**
 * `npm run bench:staging-format`: the staging format decided by measurement (issue 13, item 3). Loads the
 * events of a generated dataset into DuckDB's staging_events once per format (`staging-format-load.ts`:
 * parse only, Parquet segments, DuckDB DataChunks through `appendDataChunk`), each in its own process, the
 * formats taking turns, and prints a Markdown table of the medians: the load's own seconds, the process's
 * wall clock, CPU and peak memory, and what each format adds to parsing alone. The checksums of the loaded
 * tables must agree, or the run fails. Results also go to `.bench-cache/staging-format.json` and `.md`.
 *
 * Flags: `--scales M` (default; S, M or L, as in `npm run bench`), `--runs N` (default 3).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { datasetFor, SCALES, warmPageCache } from './bench-datasets.js';
import { measured, type ProcessMeasure } from './bench-measurements.js';
import { medianOf as median } from './bench-report.js';
import { STAGING_FORMATS, type StagingFormat, type StagingFormatReport } from './staging-format-load.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const CACHE = join(ROOT, '.bench-cache');
const LOAD = new URL('./staging-format-load.js', import.meta.url).pathname;

const { values } = parseArgs({ options: { scales: { type: 'string', default: 'M' }, runs: { type: 'string', default: '3' } } });
const runs = Number(values.runs);
const scales = SCALES.filter((scale) => values.scales.split(',').includes(scale.name));

interface FormatResult {
  readonly format: StagingFormat;
  readonly reports: StagingFormatReport[];
  readonly processes: ProcessMeasure[];
}

mkdirSync(CACHE, { recursive: true });
const lines = [
  '| scale | format | load s | serial s | wall s | CPU s | CPU over parse-only | peak RSS | rows |',
  '|---|---|---:|---:|---:|---:|---:|---:|---:|',
];
const all: Record<string, FormatResult[]> = {};
let mismatch = false;
for (const scale of scales) {
  const dataset = await datasetFor(scale, CACHE);
  warmPageCache(dataset.folder);
  const results = STAGING_FORMATS.map((format): FormatResult => ({ format, reports: [], processes: [] }));
  for (let run = 0; run < runs; run++) {
    // Take turns, starting with a different format each run, so no format always runs on a warm or cold machine.
    for (let k = 0; k < results.length; k++) {
      const result = results[(run + k) % results.length]!;
      const scratch = mkdtempSync(join(tmpdir(), 'sparkify-format-bench-'));
      try {
        process.stderr.write(`[${scale.name}] run ${run + 1}/${runs}: ${result.format}...\n`);
        const { stdout, process: usage } = measured(
          [LOAD, result.format, dataset.folder, join(scratch, 'format.duckdb')],
          `the ${result.format} load`,
        );
        result.reports.push(JSON.parse(stdout) as StagingFormatReport);
        result.processes.push(usage);
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    }
  }
  const checksums = new Set(results.flatMap((result) => result.reports.map((report) => report.checksum)).filter(Boolean));
  if (checksums.size !== 1) mismatch = true;
  const baseCpu = median(results[0]!.processes.map((usage) => usage.cpuSeconds));
  for (const result of results) {
    const cpu = median(result.processes.map((usage) => usage.cpuSeconds));
    lines.push(
      `| ${scale.name} | ${result.format} | ${fixed(median(result.reports.map((report) => report.seconds)))} | ` +
        `${fixed(median(result.reports.map((report) => report.serialSeconds)))} | ${fixed(median(result.processes.map((usage) => usage.wallSeconds)))} | ` +
        `${fixed(cpu)} | ${result.format === 'parse-only' ? '' : `+${fixed(cpu - baseCpu)}`} | ` +
        `${Math.round(median(result.processes.map((usage) => usage.peakMemoryMB)))} MB | ${result.reports[0]?.rows.toLocaleString('en-US')} |`,
    );
  }
  all[scale.name] = results;
}
const markdown = `${lines.join('\n')}\n\n${mismatch ? 'The formats loaded DIFFERENT rows: see the checksums in the JSON.' : 'Every format loaded the same rows (checksums equal).'}`;
writeFileSync(join(CACHE, 'staging-format.json'), `${JSON.stringify({ date: new Date().toISOString(), runs, results: all }, null, 2)}\n`);
writeFileSync(join(CACHE, 'staging-format.md'), `${markdown}\n`);
process.stdout.write(`${markdown}\n`);
if (mismatch) process.exitCode = 1;

function fixed(value: number): string {
  return Number.isFinite(value) ? value.toFixed(1) : 'n/a';
}
