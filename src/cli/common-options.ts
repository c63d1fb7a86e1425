/**
 * Options shared by several verbs, and their translation into settings. Every option here appears in the
 * README's configuration reference with its environment variable and dwh.cfg key.
 */
import { Option, type Command } from 'commander';
import { loadSettings, type Settings, type SettingOptions } from '../config/settings.js';
import type { SettingKey } from '../config/setting-layer.js';
import { ConfigError } from '../errors.js';

/** Adds the options that choose and reach the warehouse. */
export function withWarehouseOptions(command: Command): Command {
  return command
    .option(
      '--warehouse <url>',
      'duckdb:<file>, postgres://user:pass@host:port/db, redshift://... or redshift-data://... (default: duckdb:sparkify.duckdb)',
    )
    .option('--schema <name>', 'PostgreSQL/Redshift schema for the tables (default: the server default)')
    .option('--config <file>', 'a dwh.cfg file (default: ./dwh.cfg when present)')
    .option('--verbose', 'print stack traces and causes of errors');
}

/** Adds the options that choose the source and govern a load. */
export function withLoadOptions(command: Command, json = 'print the summary as JSON, with no progress display'): Command {
  return withCheckOptions(withWarehouseOptions(command))
    .option('--source <location>', 'folder or s3://bucket/prefix holding song_data/ and log_data/ (default: the bundled sample)')
    .option('--song-data <location>', 'folder or s3:// prefix of the song files (overrides --source)')
    .option('--log-data <location>', 'folder or s3:// prefix of the log files (overrides --source)')
    .option('--log-jsonpath <location>', 'the JSONPaths file for the logs, used by Redshift COPY')
    .option('--max-errors <n>', 'rejected records allowed before the run fails (default: 0)')
    .option(
      '--region <region>',
      "AWS region of the S3 source (default: the bucket's own; sparkify's own reads use AWS_REGION or the profile first, COPY never)",
    )
    .option('--s3-endpoint <url>', 'an S3-compatible endpoint (path-style addressing)')
    .addOption(new Option('--no-sign-request', 'read a public bucket without credentials'))
    .option('--s3-concurrency <n>', 'S3 objects fetched at once (default: 32)')
    .option('--s3-staging <s3-prefix>', 'S3 prefix where Redshift runs stage their objects and manifests (s3://bucket/prefix/)')
    .option(
      '--redshift-load <mode>',
      'Redshift: staged (sparkify reads, checks, uploads) or direct (COPY from the source) (default: staged with --s3-staging)',
    )
    .option('--keep-staging', 'keep the staged objects and manifests after a successful COPY')
    .option('--json', json);
}

/** Adds the options of the quality checks and of matching plays to songs (`run`, `etl`, `check`). */
export function withCheckOptions(command: Command): Command {
  return withMatchOption(command)
    .option('--checks <folder>', 'folder of .sql checks, each a SELECT of failing rows (default: ./checks when present)')
    .option('--min-match-rate <share>', 'warn when a smaller share (0..1) of songplays matches a song');
}

/** Adds `--match`, the rule by which plays find their song. */
export function withMatchOption(command: Command): Command {
  return command.option(
    '--match <mode>',
    'how plays find their song: exact (title, artist, duration equal) or normalized (default: exact)',
  );
}

// Commander's option names, mapped to the settings they feed.
const OPTION_SETTINGS: Readonly<Record<string, SettingKey>> = {
  warehouse: 'warehouse',
  schema: 'schema',
  source: 'source',
  songData: 'songData',
  logData: 'logData',
  logJsonpath: 'logJsonPath',
  maxErrors: 'maxErrors',
  region: 'region',
  s3Endpoint: 's3Endpoint',
  s3Concurrency: 's3Concurrency',
  checks: 'checks',
  minMatchRate: 'minMatchRate',
  match: 'match',
  s3Staging: 's3Staging',
  redshiftLoad: 'redshiftLoad',
};

const FLAG_NAMES: Readonly<Partial<Record<SettingKey, string>>> = {
  logJsonPath: '--log-jsonpath',
  noSignRequest: '--no-sign-request',
};

/** Resolves settings from parsed options plus environment, config file and defaults. */
export function settingsFromOptions(options: Record<string, unknown>): Settings {
  const given: SettingOptions = {};
  const flagOf = (key: SettingKey) => FLAG_NAMES[key] ?? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  for (const [name, key] of Object.entries(OPTION_SETTINGS)) {
    const value = options[name];
    // An empty variable or dwh.cfg key means unset; an empty flag (`--max-errors ""`) is a mistake.
    if (typeof value === 'string' && value.trim() === '') throw new ConfigError(`${flagOf(key)}: expected a value, got ""`);
    if (typeof value === 'string') given[key] = value;
  }
  // commander sets signRequest=false only when --no-sign-request is given.
  if (options.signRequest === false) given.noSignRequest = true;
  if (options.keepStaging === true) given.keepStaging = true;
  return loadSettings({
    options: given,
    configFile: typeof options.config === 'string' ? options.config : undefined,
    optionOrigin: flagOf,
  });
}

/** Adds `--wait <seconds>`, for the verbs that take the warehouse's run lock (run, etl, create-tables). */
export function withWaitOption(command: Command): Command {
  return command.option('--wait <seconds>', 'wait up to this long for another run holding the warehouse (default: 0, fail at once)');
}

/** The value of `--wait` in seconds (0 when absent); a bad value is a ConfigError naming the flag. */
export function waitSecondsFromOptions(options: Record<string, unknown>): number {
  const value = options.wait;
  if (value === undefined) return 0;
  const seconds = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isFinite(seconds)) throw new ConfigError(`--wait: expected a number of seconds (0 or more), got "${String(value)}"`);
  return seconds;
}
