/**
 * `generate()`: writes a realistic Sparkify dataset (song_data/, log_data/, log_json_path.json and, with
 * damage, damage.json) at any scale with flat memory. Songs are written first while a bounded sample of
 * them is kept for the plays to name; the event logs follow, one file per day, in time order.
 *
 * @example
 * const result = await generate({ out: '/tmp/sparkify', songs: 30_000, events: 1_000_000, seed: 7 });
 * console.log(`${result.events} events in ${result.elapsedMs} ms`);
 */
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, describeError } from '../errors.js';
import { DamageInjector, type DamagedText } from './damage-injector.js';
import { DAMAGE_MANIFEST, DamageManifestWriter, type DamageSummary } from './damage-manifest.js';
import { FolderMaker, LogFileWriter, SmallFileWriter, withBom, type WriteTotals } from './dataset-writer.js';
import { EventSimulator } from './event-simulator.js';
import { resolveGenerateOptions, type GenerateOptions, type ResolvedGenerateOptions } from './generator-options.js';
import { PlayCatalog } from './play-catalog.js';
import { RandomSource } from './random-source.js';
import { formatEventLine, LOG_JSON_PATH_TEXT } from './record-formatter.js';
import { makeLoneSong, makeTrackId, partitionLetters, songFilePath, SongCatalogGenerator } from './song-catalog-generator.js';

/** What `generate()` wrote. */
export interface GenerateResult {
  /** The folder written into. */
  readonly out: string;
  /** The options used, defaults filled in (without `out`). */
  readonly options: Omit<ResolvedGenerateOptions, 'out'>;
  /** Valid song records, and the files holding them (plus damaged and empty ones). */
  readonly songs: number;
  readonly songFiles: number;
  /** Valid log events, NextSong events among them, and plays naming a song of song_data. */
  readonly events: number;
  readonly nextSongEvents: number;
  readonly matchedPlays: number;
  /** User population, users with at least one play, and their split by the level of their latest play. */
  readonly users: { readonly population: number; readonly listeners: number; readonly paid: number; readonly free: number };
  readonly logFiles: number;
  /** Every file written (songs, logs, log_json_path.json, damage.json) and their bytes. */
  readonly files: number;
  readonly bytes: number;
  readonly damage: DamageSummary;
  readonly elapsedMs: number;
  readonly songsMs: number;
  readonly eventsMs: number;
}

/** The entries `generate()` creates in the output folder (and replaces with `force`). */
const GENERATED_ENTRIES = ['song_data', 'log_data', 'log_json_path.json', DAMAGE_MANIFEST] as const;
/** Track-ID counters of damaged and empty song files start here, apart from the catalogue's. */
const EXTRA_TRACK_COUNTER = 2 ** 35;
const SONG_PROGRESS_EVERY = 2_048;
const EVENT_PROGRESS_EVERY = 32_768;

/** Generates a dataset; see the module comment. Throws `ConfigError` for bad options or an occupied folder. */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now();
  const resolved = resolveGenerateOptions(options);
  const report = options.onProgress ?? (() => undefined);
  await prepareOutFolder(resolved.out, resolved.force);
  const totals: WriteTotals = { files: 0, bytes: 0 };
  const folders = new FolderMaker();
  await writeFile(join(resolved.out, 'log_json_path.json'), LOG_JSON_PATH_TEXT);
  totals.files += 1;
  totals.bytes += LOG_JSON_PATH_TEXT.length;
  const manifest =
    resolved.damage > 0 || resolved.benign
      ? await DamageManifestWriter.create(join(resolved.out, DAMAGE_MANIFEST), { seed: resolved.seed, rate: resolved.damage }, totals)
      : null;
  let songFiles: number;
  let events: Awaited<ReturnType<typeof writeEvents>>;
  let songsDone: number;
  try {
    const catalog = new PlayCatalog(RandomSource.fromSeed(resolved.seed, 'reservoir'));
    songFiles = (await writeSongs(resolved, catalog, manifest, totals, folders, report)).files;
    songsDone = performance.now();
    events = await writeEvents(resolved, catalog, manifest, totals, folders, report);
  } catch (error) {
    await manifest?.abandon().catch(() => undefined);
    throw error;
  }
  const eventsDone = performance.now();
  const damage: DamageSummary = manifest ? await manifest.close() : { count: 0, byKind: {}, benign: [], manifest: null };
  return {
    out: resolved.out,
    options: withoutOut(resolved),
    songs: resolved.songs,
    songFiles,
    ...events,
    files: totals.files,
    bytes: totals.bytes,
    damage,
    elapsedMs: Math.round(eventsDone - started),
    songsMs: Math.round(songsDone - started),
    eventsMs: Math.round(eventsDone - songsDone),
  };
}

function withoutOut(resolved: ResolvedGenerateOptions): Omit<ResolvedGenerateOptions, 'out'> {
  const { out: _out, ...rest } = resolved;
  return rest;
}

async function prepareOutFolder(out: string, force: boolean): Promise<void> {
  try {
    await mkdir(out, { recursive: true });
    if (!(await stat(out)).isDirectory()) throw new Error('not a folder');
  } catch (error) {
    throw new ConfigError(`Invalid --out: cannot use ${out} as a folder (${describeError(error)})`, { cause: error });
  }
  const present: string[] = [];
  for (const entry of GENERATED_ENTRIES) {
    if (
      await stat(join(out, entry)).then(
        () => true,
        () => false,
      )
    )
      present.push(entry);
  }
  if (present.length === 0) return;
  if (!force) {
    throw new ConfigError(`--out ${out} already holds a dataset (${present.join(', ')}); pass --force to replace it`);
  }
  for (const entry of present) await rm(join(out, entry), { recursive: true, force: true });
}

async function writeSongs(
  options: ResolvedGenerateOptions,
  catalog: PlayCatalog,
  manifest: DamageManifestWriter | null,
  totals: WriteTotals,
  folders: FolderMaker,
  report: NonNullable<GenerateOptions['onProgress']>,
): Promise<{ files: number }> {
  const writer = new SmallFileWriter(options.out, totals, folders);
  const injector = new DamageInjector(options.damage, RandomSource.fromSeed(options.seed, 'song-damage'));
  const extras = RandomSource.fromSeed(options.seed, 'song-extras');
  const letters = partitionLetters(options.songs);
  let extraFiles = 0;
  let files = 0;
  let done = 0;
  const writeExtra = async (text: string, damaged: DamagedText | null): Promise<string> => {
    const path = songFilePath(makeTrackId(EXTRA_TRACK_COUNTER + extraFiles, letters, extras));
    extraFiles += 1;
    files += 1;
    await writer.write(path, damaged?.text ?? text);
    if (damaged !== null) await manifest?.add({ file: path, line: 1, kind: damaged.kind });
    return path;
  };
  report({ phase: 'songs', done, total: options.songs });
  for (const file of new SongCatalogGenerator(options.songs, options.seed).files()) {
    for (const song of file.songs) catalog.offer(song);
    // Benign damage: the first file starts with a byte order mark, and an empty file comes after it.
    const bom = options.benign && files === 0;
    await writer.write(file.path, bom ? withBom(file.text) : file.text);
    files += 1;
    if (bom) {
      manifest?.addBenign({ file: file.path, kind: 'bom' });
      manifest?.addBenign({ file: await writeExtra('', null), kind: 'empty-file' });
    }
    if (injector.strikes()) await writeExtra('', injector.damageSong(makeLoneSong(extraFiles, extras)));
    const before = done;
    done += file.songs.length;
    if (Math.floor(done / SONG_PROGRESS_EVERY) !== Math.floor(before / SONG_PROGRESS_EVERY)) {
      report({ phase: 'songs', done, total: options.songs });
    }
  }
  report({ phase: 'songs', done, total: options.songs });
  return { files };
}

/** The log path of day `day` after `startEpochSeconds`: `log_data/2018/11/2018-11-01-events.json`. */
function logFilePath(startEpochSeconds: number, day: number): string {
  const date = new Date((startEpochSeconds + day * 86_400) * 1_000).toISOString().slice(0, 10);
  return `log_data/${date.slice(0, 4)}/${date.slice(5, 7)}/${date}-events.json`;
}

async function writeEvents(
  options: ResolvedGenerateOptions,
  catalog: PlayCatalog,
  manifest: DamageManifestWriter | null,
  totals: WriteTotals,
  folders: FolderMaker,
  report: NonNullable<GenerateOptions['onProgress']>,
): Promise<Pick<GenerateResult, 'events' | 'nextSongEvents' | 'matchedPlays' | 'users' | 'logFiles'>> {
  catalog.prepare(options.events, options.quirks, RandomSource.fromSeed(options.seed, 'plays'));
  const simulator = new EventSimulator(options, catalog);
  const injector = new DamageInjector(options.damage, RandomSource.fromSeed(options.seed, 'event-damage'));
  const benignRandom = RandomSource.fromSeed(options.seed, 'benign');
  // Level of each user's latest play: -1 none, 0 free, 1 paid.
  const latestLevel = new Int8Array(options.users).fill(-1);
  const day: { index: number; path: string; writer: LogFileWriter | null } = { index: -1, path: '', writer: null };
  let events = 0;
  let nextSongEvents = 0;
  let matchedPlays = 0;
  const openNextDay = async (): Promise<LogFileWriter> => {
    const previous = day.writer;
    day.writer = null;
    await previous?.close();
    day.index += 1;
    day.path = logFilePath(options.startEpochSeconds, day.index);
    const bom = options.benign && (day.index === 0 || benignRandom.chance(0.05));
    const crlf = options.benign && (day.index === Math.min(1, options.days - 1) || benignRandom.chance(0.05));
    if (bom) manifest?.addBenign({ file: day.path, kind: 'bom' });
    if (crlf) manifest?.addBenign({ file: day.path, kind: 'crlf' });
    const shape = { lineEnd: crlf ? '\r\n' : '\n', bom, finalLineEnd: !options.quirks, ascii: options.quirks } as const;
    day.writer = await LogFileWriter.open(join(options.out, day.path), shape, totals, folders);
    return day.writer;
  };
  report({ phase: 'events', done: 0, total: options.events });
  try {
    let writer: LogFileWriter | null = null;
    for (const event of simulator.events()) {
      while (day.index < event.day) writer = await openNextDay();
      if (writer === null) throw new Error('internal: no log file open');
      const line = formatEventLine(event.json);
      const written = writer.writeLine(line);
      if (typeof written !== 'number') await written;
      events += 1;
      if (event.page === 'NextSong') {
        nextSongEvents += 1;
        if (event.matched) matchedPlays += 1;
        latestLevel[event.user] = event.level === 'paid' ? 1 : 0;
      }
      if (injector.strikes()) {
        const damaged = injector.damageEvent(event.json, line);
        const at = await writer.writeLine(damaged.text);
        await manifest?.add({ file: day.path, line: at, kind: damaged.kind });
      }
      if (events % EVENT_PROGRESS_EVERY === 0) report({ phase: 'events', done: events, total: options.events });
    }
    // Days without events (only when there are fewer events than days) still get their file.
    while (day.index < options.days - 1) await openNextDay();
  } finally {
    await day.writer?.close();
  }
  report({ phase: 'events', done: events, total: options.events });
  let paid = 0;
  let free = 0;
  for (const level of latestLevel) {
    if (level === 1) paid += 1;
    else if (level === 0) free += 1;
  }
  return {
    events,
    nextSongEvents,
    matchedPlays,
    users: { population: options.users, listeners: paid + free, paid, free },
    logFiles: options.days,
  };
}
