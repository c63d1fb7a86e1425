/**
 * `npm run bench`: sparkify against a hand-written DuckDB script on generated datasets, plus the PostgreSQL
 * staging rate, the S3 fetch rate from a loopback server, and the generator's rate. Prints a Markdown
 * table and writes the same results as JSON to `.bench-cache/results.json`.
 *
 * Flags: `--large` adds scale L (400,000 song files, 10 million events: disk and minutes);
 * `--scales S,M` picks scales; `--skip postgres,s3,generator` leaves extras out.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { datasetFor, SCALES, type Scale } from './bench-datasets.js';
import { compareWithReference, runHandWritten, runSparkify } from './bench-measurements.js';
import { formatReport, type BenchReport, type ScaleResult } from './bench-report.js';
import { measureExtras } from './bench-extras.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const CACHE = join(ROOT, '.bench-cache');

const { values } = parseArgs({
  options: {
    large: { type: 'boolean', default: false },
    scales: { type: 'string' },
    skip: { type: 'string', default: '' },
  },
});
const wanted = values.scales?.split(',') ?? (values.large ? ['S', 'M', 'L'] : ['S', 'M']);
const scales = SCALES.filter((scale) => wanted.includes(scale.name));
const skip = new Set(values.skip.split(',').filter(Boolean));

mkdirSync(CACHE, { recursive: true });
const results: ScaleResult[] = [];
for (const scale of scales) results.push(await measureScale(scale));
const largestFolder = results.at(-1)?.folder;
const report: BenchReport = {
  date: new Date().toISOString(),
  machine: machineDescription(),
  scales: results,
  extras: await measureExtras({ skip, datasetFolder: largestFolder, smallFolder: results[0]?.folder, scratch: tmpdir() }),
};
writeFileSync(join(CACHE, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
const markdown = formatReport(report);
writeFileSync(join(CACHE, 'results.md'), `${markdown}\n`);
process.stdout.write(`${markdown}\n\nJSON: ${join(CACHE, 'results.json')}\n`);
if (results.some((result) => result.mismatches.length > 0)) process.exitCode = 1;

async function measureScale(scale: Scale): Promise<ScaleResult> {
  process.stderr.write(`[${scale.name}] dataset (${scale.songs} songs, ${scale.events} events)...\n`);
  const dataset = await datasetFor(scale, CACHE);
  process.stderr.write(`[${scale.name}] sparkify run...\n`);
  const { summary, warehouse } = runSparkify(dataset.folder);
  process.stderr.write(`[${scale.name}] hand-written DuckDB script...\n`);
  const handWritten = runHandWritten(dataset.folder);
  process.stderr.write(`[${scale.name}] reference computation...\n`);
  const mismatches = await compareWithReference(dataset.folder, summary, warehouse);
  rmSync(warehouse.slice('duckdb:'.length).replace(/\/[^/]+$/, ''), { recursive: true, force: true });
  return { scale, folder: dataset.folder, summary, handWritten, mismatches };
}

function machineDescription(): string {
  return `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}
