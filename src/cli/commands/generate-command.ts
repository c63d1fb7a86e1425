/**
 * `sparkify generate --out <dir>`: writes a realistic Sparkify dataset (song_data/, log_data/,
 * log_json_path.json) at any scale, deterministic for a given seed. Parsing and display only; the work is
 * the library's `generate()`.
 */
import cliProgress from 'cli-progress';
import { Command } from 'commander';
import type { GenerateResult } from '../../generator/generate.js';
import { GENERATE_DEFAULTS, parseNumberFlag, type GenerateProgress } from '../../generator/generator-options.js';
import { groupDigits } from '../../number-format.js';

interface GenerateFlags {
  out: string;
  songs?: string;
  events?: string;
  days?: string;
  start?: string;
  seed?: string;
  users?: string;
  matchRate?: string;
  damage?: string;
  benign?: boolean;
  quirks: boolean;
  force?: boolean;
  json?: boolean;
}

/** The `generate` verb. */
export function generateCommand(): Command {
  return new Command('generate')
    .description('generate realistic Sparkify data at any scale (the same options and seed give the same bytes)')
    .requiredOption('-o, --out <dir>', 'folder to write the dataset into')
    .option('--songs <n>', `song records in song_data (default: ${GENERATE_DEFAULTS.songs})`)
    .option('--events <n>', `log events over all days (default: ${GENERATE_DEFAULTS.events})`)
    .option('--days <n>', `days of logs, one file per day (default: ${GENERATE_DEFAULTS.days})`)
    .option('--start <YYYY-MM-DD>', `first day of the logs, UTC (default: ${GENERATE_DEFAULTS.start})`)
    .option('--seed <n>', `seed of every random choice (default: ${GENERATE_DEFAULTS.seed})`)
    .option('--users <n>', 'size of the user population (default: about one per 50 events)')
    .option('--match-rate <rate>', `share of plays naming a song of song_data, 0-1 (default: ${GENERATE_DEFAULTS.matchRate})`)
    .option('--damage <rate>', 'chance of a damaged record after each record, 0-0.5, listed in damage.json (default: 0)')
    .option('--benign', 'add harmless damage too: CRLF, byte order marks, an empty file (default: with --damage)')
    .option('--no-benign', 'no harmless damage, even with --damage')
    .option('--no-quirks', 'clean files: no mojibake, \\u0019, \\/ escapes, quoted user agents or .0 registrations')
    .option('--force', 'replace a dataset already in the folder')
    .option('--json', 'print the result as JSON, with no progress display')
    .action(async (flags: GenerateFlags) => {
      const display = createDisplay(flags.json !== true && process.stdout.isTTY === true && process.stderr.isTTY === true);
      let result: GenerateResult;
      try {
        // Loaded here, not at start-up: the generator's sixteen modules cost every other command 0.035 s.
        const { generate } = await import('../../generator/generate.js');
        result = await generate({
          out: flags.out,
          songs: parseNumberFlag('--songs', flags.songs),
          events: parseNumberFlag('--events', flags.events),
          days: parseNumberFlag('--days', flags.days),
          start: flags.start,
          seed: parseNumberFlag('--seed', flags.seed),
          users: parseNumberFlag('--users', flags.users),
          matchRate: parseNumberFlag('--match-rate', flags.matchRate),
          damage: parseNumberFlag('--damage', flags.damage),
          benign: flags.benign,
          quirks: flags.quirks,
          force: flags.force === true,
          onProgress: display.update,
        });
      } finally {
        display.stop();
      }
      process.stdout.write(flags.json === true ? `${JSON.stringify(result, null, 2)}\n` : formatSummary(result));
    });
}

/** A progress bar per phase on stderr, or nothing. */
function createDisplay(enabled: boolean): { update?: (p: GenerateProgress) => void; stop: () => void } {
  if (!enabled) return { stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: '{phase} [{bar}] {percentage}% {value}/{total} ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: true,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  let phase: GenerateProgress['phase'] | null = null;
  return {
    update: (p) => {
      if (p.phase !== phase) {
        if (phase !== null) bar.stop();
        phase = p.phase;
        bar.start(p.total, p.done, { phase: p.phase === 'songs' ? 'song files' : 'log events' });
      } else {
        bar.update(p.done);
      }
    },
    stop: () => {
      if (phase !== null) bar.stop();
    },
  };
}

const count = (n: number): string => groupDigits(n);

/** The human summary of a run: what was written, how fast, and where the damage is. */
function formatSummary(result: GenerateResult): string {
  const seconds = Math.max(result.elapsedMs, 1) / 1_000;
  const share = result.nextSongEvents === 0 ? 0 : (100 * result.matchedPlays) / result.nextSongEvents;
  const lines = [
    `Generated ${result.out} (seed ${result.options.seed}):`,
    `  ${count(result.songs)} songs in ${count(result.songFiles)} files under song_data/`,
    `  ${count(result.events)} events in ${count(result.logFiles)} daily files under log_data/ ` +
      `(${result.options.start}, ${result.options.days} day${result.options.days === 1 ? '' : 's'})`,
    `  ${count(result.nextSongEvents)} plays, ${count(result.matchedPlays)} of them songs of song_data (${share.toFixed(1)}%); ` +
      `${count(result.users.listeners)} listeners (${count(result.users.paid)} paid, ${count(result.users.free)} free by latest play)`,
    `  ${count(result.files)} files, ${(result.bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s ` +
      `(${count(Math.round(result.events / seconds))} events/s)`,
  ];
  const { damage } = result;
  if (damage.manifest !== null) {
    const kinds = Object.entries(damage.byKind)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([kind, n]) => `${kind} ${count(n)}`)
      .join(', ');
    lines.push(`  ${count(damage.count)} damaged records to reject${kinds ? ` (${kinds})` : ''}`);
    if (damage.benign.length > 0) {
      lines.push(`  ${count(damage.benign.length)} benign damages to accept (CRLF, byte order mark, empty file)`);
    }
    lines.push(`  every one listed with its file and line in ${damage.manifest}`);
  }
  return `${lines.join('\n')}\n`;
}
