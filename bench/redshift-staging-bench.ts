/**
 * `npm run bench:redshift-staging`: Redshift's staged loading measured without a cluster (issue 17, item 5).
 * For each scale, the objects COPY reads under each mode (direct: every source file; staged: the gzip
 * objects sparkify writes), and sparkify's read-check-upload rate: the real stager (worker threads, the
 * record checks) feeding the real staged object writer, uploading into the loopback s3rver, once per gzip
 * level compared. The COPY itself is not run (no cluster): its statement is only recorded. L is computed
 * from M's measured bytes per record and the generator's counts unless `--scales` names it (generating L
 * takes disk and minutes).
 *
 * Flags: `--scales S,M` (default), `--levels 1,6` (default), `--cache <folder>` (where the generated
 * datasets are; default .bench-cache). Prints a Markdown table; also writes .bench-cache/redshift-staging.md.
 */
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { EVENT_DATASET, SONG_DATASET, stageDataset, type DatasetSpec } from '../src/pipeline/dataset-stager.js';
import { openLocation } from '../src/sources/open-location.js';
import type { StagingRow } from '../src/records/record-types.js';
import { OBJECT_BYTES, stagingPaths } from '../src/warehouses/redshift/redshift-manifest.js';
import { StagingBucket } from '../src/sources/s3/s3-staging-bucket.js';
import { StagedObjectWriter } from '../src/warehouses/redshift/redshift-staging-writer.js';
import type { TableWriter } from '../src/warehouses/warehouse.js';
import { S3RVER_CREDENTIALS, startS3Server } from '../test/support/s3-server.js';
import { datasetFor, SCALES, warmPageCache, type Scale } from './bench-datasets.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const { values } = parseArgs({
  options: {
    scales: { type: 'string', default: 'S,M' },
    levels: { type: 'string', default: '1,6' },
    cache: { type: 'string', default: join(ROOT, '.bench-cache') },
  },
});
const levels = values.levels.split(',').map(Number);
const measuredScales = SCALES.filter((scale) => values.scales.split(',').includes(scale.name));

interface StagedMeasure {
  readonly dataset: 'songs' | 'events';
  readonly level: number;
  readonly files: number;
  readonly sourceBytes: number;
  readonly records: number;
  readonly staged: number;
  readonly objects: number;
  readonly uploaded: number;
  readonly seconds: number;
}

// Rejects are counted only: the benchmark measures the staged rows' way.
const rejectCounter = (): TableWriter => ({
  kind: 'rows',
  write: async (_rows: readonly StagingRow[]) => undefined,
  finish: async () => 0,
  abort: async () => undefined,
});

async function stageOnce(folder: string, spec: DatasetSpec, level: number, bucket: StagingBucket): Promise<StagedMeasure> {
  const location = await openLocation(join(folder, spec.name === 'songs' ? 'song_data' : 'log_data'), {
    noSignRequest: false,
    concurrency: 32,
  });
  const copies: string[] = [];
  const writer = new StagedObjectWriter({
    table: spec.table,
    bucket,
    paths: stagingPaths(bucket.location, `bench-${spec.name}-${level}-${Date.now()}`, spec.table.name),
    copy: async (sql) => {
      copies.push(sql);
    },
    copySql: (manifest) => `COPY ${spec.table.name} FROM '${manifest}' MANIFEST`,
    keep: false,
    gzipLevel: level,
  });
  const started = performance.now();
  const counts = await stageDataset(location, spec, writer, rejectCounter());
  await writer.finish();
  const seconds = (performance.now() - started) / 1000;
  const uploads = writer.uploads();
  return {
    dataset: spec.name,
    level,
    files: counts.files,
    sourceBytes: counts.bytes,
    records: counts.read,
    staged: counts.staged,
    objects: uploads.objects,
    uploaded: uploads.bytes,
    seconds,
  };
}

function countFiles(folder: string): number {
  let n = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.isDirectory()) n += countFiles(join(folder, entry.name));
    else if (entry.name.endsWith('.json') && statSync(join(folder, entry.name)).isFile()) n += 1;
  }
  return n;
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
const lines = [
  `Staged objects are cut at ${OBJECT_BYTES >> 20} MiB compressed. Rates are sparkify's read + check + gzip + upload into loopback s3rver, per dataset.`,
  '',
  '| scale | dataset | gzip level | source files (= objects COPY reads, direct) | source MB | records | staged objects (COPY reads, staged) | uploaded MB | ratio | seconds | records/s | source MB/s |',
  '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
];
const server = await startS3Server(['bench-staging']);
Object.assign(process.env, {
  AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
});
const bucket = await StagingBucket.open('s3://bench-staging/sparkify/', { endpoint: server.endpoint });
const perRecord: Partial<Record<'songs' | 'events', number>> = {};
try {
  for (const scale of measuredScales) {
    const dataset = await datasetFor(scale, values.cache);
    warmPageCache(dataset.folder);
    for (const spec of [SONG_DATASET, EVENT_DATASET]) {
      for (const level of levels) {
        const m = await stageOnce(dataset.folder, spec, level, bucket);
        if (level === levels[0]) perRecord[m.dataset] = m.uploaded / Math.max(1, m.staged);
        lines.push(
          `| ${scale.name} | ${m.dataset} | ${level} | ${m.files.toLocaleString('en-US')} | ${mb(m.sourceBytes)} | ${m.records.toLocaleString('en-US')} | ${m.objects} | ${mb(m.uploaded)} | ${(m.sourceBytes / Math.max(1, m.uploaded)).toFixed(1)}x | ${m.seconds.toFixed(2)} | ${Math.round(m.records / m.seconds).toLocaleString('en-US')} | ${(m.sourceBytes / 1e6 / m.seconds).toFixed(1)} |`,
        );
        console.log(lines.at(-1));
      }
    }
    // Direct mode reads every source file; staged reads the objects above.
    lines.push(
      `| ${scale.name} | (check) | | ${countFiles(join(dataset.folder, 'song_data')) + countFiles(join(dataset.folder, 'log_data'))} files listed | | | | | | | | |`,
    );
  }
} finally {
  bucket.close();
  await server.stop();
}

// L (and the real bucket) from the generator's counts and the bytes per staged record just measured.
const computed = (scale: Scale | { name: string; songs: number; events: number; songFiles: number; logFiles: number }) => {
  const songFiles = 'songFiles' in scale ? scale.songFiles : scale.songs;
  const logFiles = 'logFiles' in scale ? scale.logFiles : scale.days;
  const objects = (records: number, dataset: 'songs' | 'events') =>
    perRecord[dataset] ? Math.max(1, Math.ceil((records * perRecord[dataset]!) / OBJECT_BYTES)) : NaN;
  return `| ${scale.name} (computed) | ${songFiles.toLocaleString('en-US')} + ${logFiles} = ${(songFiles + logFiles).toLocaleString('en-US')} | ${objects(scale.songs, 'songs')} + ${objects(scale.events, 'events')} |`;
};
lines.push(
  '',
  '| scale | objects COPY reads, direct (song files + log files) | staged (song objects + event objects) |',
  '|---|---:|---:|',
  computed(SCALES.find((scale) => scale.name === 'L')!),
  // The real bucket: about 385,252 song files of one song each, and 30 log files of about 270 events a day.
  computed({ name: 'udacity-dend', songs: 385_252, events: 8_056, songFiles: 385_252, logFiles: 30 }),
);
const text = lines.join('\n');
console.log(`\n${text}`);
mkdirSync(join(ROOT, '.bench-cache'), { recursive: true });
writeFileSync(join(ROOT, '.bench-cache', 'redshift-staging.md'), `${text}\n`);
