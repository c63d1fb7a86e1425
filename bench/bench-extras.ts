/**
 * The benchmark's other figures: PostgreSQL staging rate (events per second into staging, on a server the
 * benchmark starts itself), S3 fetch rate from a loopback S3-compatible server (concurrent against
 * one-at-a-time), and the generator's rate.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { generate } from '../src/generator/generate.js';
import { run } from '../src/pipeline/run.js';
import { measureS3FetchRate } from '../src/sources/s3/s3-fetch-rate.js';
import { startPostgresServer } from '../test/support/postgres-server.js';
import { startS3Server } from '../test/support/s3-server.js';

/** The extra figures; a figure that was skipped or failed says so. */
export interface ExtraResults {
  readonly postgres?:
    | { readonly events: number; readonly stageSeconds: number; readonly eventsPerSecond: number }
    | { readonly error: string };
  readonly s3?:
    | { readonly objects: number; readonly oneAtATime: number; readonly concurrent: number; readonly concurrency: number }
    | { readonly error: string };
  readonly generator?:
    | {
        readonly events: number;
        readonly songFiles: number;
        readonly seconds: number;
        readonly eventsPerSecond: number;
        readonly filesPerSecond: number;
      }
    | { readonly error: string };
}

/** What the extras run on. */
export interface ExtrasInput {
  readonly skip: ReadonlySet<string>;
  /** The largest dataset measured: its events load PostgreSQL. */
  readonly datasetFolder?: string;
  /** The smallest dataset: its song files fill the S3 server. */
  readonly smallFolder?: string;
  readonly scratch: string;
}

const S3_OBJECTS = 2_000;
const S3_CONCURRENCY = 32;

/** Measures every extra not in `skip`. */
export async function measureExtras(input: ExtrasInput): Promise<ExtraResults> {
  return {
    postgres: input.skip.has('postgres') || !input.datasetFolder ? undefined : await attempt(() => postgresRate(input.datasetFolder!)),
    s3: input.skip.has('s3') || !input.smallFolder ? undefined : await attempt(() => s3Rate(input.smallFolder!)),
    generator: input.skip.has('generator') ? undefined : await attempt(() => generatorRate(input.scratch)),
  };
}

async function attempt<T>(work: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await work();
  } catch (error) {
    return { error: (error as Error).message };
  }
}

async function postgresRate(folder: string) {
  process.stderr.write('[extras] PostgreSQL staging rate...\n');
  const server = await startPostgresServer();
  try {
    const summary = await run({ options: { source: folder, warehouse: server.url }, env: {} });
    const stageSeconds = summary.seconds['stage-events'] ?? Number.NaN;
    return { events: summary.events.staged, stageSeconds, eventsPerSecond: summary.events.staged / stageSeconds };
  } finally {
    await server.stop();
  }
}

async function s3Rate(folder: string) {
  process.stderr.write('[extras] S3 fetch rate...\n');
  const server = await startS3Server(['bench']);
  try {
    const songFolder = join(folder, 'song_data');
    const objects = listFiles(songFolder)
      .slice(0, S3_OBJECTS)
      .map((path) => ({ key: `song_data/${relative(songFolder, path)}`, body: readFileSync(path) }));
    await server.putMany('bench', objects);
    const common = { endpoint: server.endpoint, bucket: 'bench', prefix: 'song_data/', noSignRequest: true };
    const one = await measureS3FetchRate({ ...common, concurrency: 1 });
    const many = await measureS3FetchRate({ ...common, concurrency: S3_CONCURRENCY });
    return { objects: many.objects, oneAtATime: one.objectsPerSecond, concurrent: many.objectsPerSecond, concurrency: S3_CONCURRENCY };
  } finally {
    await server.stop();
  }
}

async function generatorRate(scratch: string) {
  process.stderr.write('[extras] generator rate...\n');
  const out = mkdtempSync(join(scratch, 'sparkify-bench-generate-'));
  try {
    const result = await generate({ out, songs: 20_000, events: 500_000, days: 30, seed: 7, force: true });
    const seconds = result.elapsedMs / 1000;
    return {
      events: result.events,
      songFiles: result.songFiles,
      seconds,
      eventsPerSecond: result.events / (result.eventsMs / 1000),
      filesPerSecond: result.songFiles / (result.songsMs / 1000),
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function listFiles(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...listFiles(path));
    else if (entry.isFile()) files.push(path);
    if (files.length >= S3_OBJECTS) break;
  }
  return files;
}
