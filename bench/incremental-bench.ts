/**
 * `npm run bench:incremental`: only the incremental figures of `npm run bench` (issue 12, item 8), on a
 * cached benchmark dataset: a full run less the last day and 100 song files, the run that finds them, and a
 * no-op run (`bench-incremental.ts`). Prints the Markdown table and writes it to
 * `.bench-cache/incremental.md`.
 *
 * Flags: `--scales M` (default; S, M or L, as in `npm run bench`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { datasetFor, SCALES, warmPageCache } from './bench-datasets.js';
import { formatIncremental, measureIncremental, type IncrementalResult } from './bench-incremental.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const CACHE = join(ROOT, '.bench-cache');

const { values } = parseArgs({ options: { scales: { type: 'string', default: 'M' } } });
const scales = SCALES.filter((scale) => values.scales.split(',').includes(scale.name));

mkdirSync(CACHE, { recursive: true });
const results: IncrementalResult[] = [];
for (const scale of scales) {
  const dataset = await datasetFor(scale, CACHE);
  warmPageCache(dataset.folder);
  process.stderr.write(`[${scale.name}] incremental runs...\n`);
  results.push(measureIncremental(scale.name, dataset.folder, CACHE));
}
const markdown = formatIncremental(results);
writeFileSync(join(CACHE, 'incremental.md'), `${markdown}\n`);
process.stdout.write(`${markdown}\n`);
