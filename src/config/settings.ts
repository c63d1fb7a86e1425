/**
 * Resolves the settings of a run from its layers, highest first: flags, then `SPARKIFY_*` environment
 * variables, then the config file (`--config`, `SPARKIFY_CONFIG`, or `./dwh.cfg`), then defaults. Each value
 * is validated with a schema; an error names the flag, variable or key it came from and what was expected.
 */
import { checkText, oneOf, textRule, wholeNumber, type TextRule } from './text-rules.js';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors.js';
import { descriptorOf, warehouseDescriptors } from '../warehouses/warehouse-registry.js';
import { MATCH_MODES, type MatchMode } from '../warehouses/sql/match-sql.js';
import { DEFAULT_WAREHOUSE, parseWarehouseTarget, type WarehouseTarget } from '../warehouses/warehouse-target.js';
import type { StorageLoadSettings } from '../warehouses/warehouse.js';
import { readDwhConfig } from './dwh-config-file.js';
import { environmentLayer } from './environment-settings.js';
import { setIfPresent, type SettingKey, type SettingLayer, type SettingValue } from './setting-layer.js';

/** Everything a run needs to know, validated. */
export interface Settings {
  readonly warehouse: WarehouseTarget;
  /** Folder or `s3://bucket/prefix` holding the song files. */
  readonly songData: string;
  /** Folder or `s3://bucket/prefix` holding the log files. */
  readonly logData: string;
  /** The Redshift JSONPaths file for the logs (used by Redshift's COPY). */
  readonly logJsonPath: string;
  /** True when no source was configured and the bundled sample is used. */
  readonly bundledSample: boolean;
  /** What named the song and log locations (`option --source`, `[SPARKIFY] SOURCE in dwh.cfg`), for errors. */
  readonly dataOrigins?: { readonly songData: string; readonly logData: string };
  readonly maxErrors: number;
  readonly iamRole?: string;
  readonly s3: S3Settings;
  /** The config file that was read, if any. */
  readonly configFile?: string;
  /** What the run says before it starts: keys of the file it does not use, and why it loads into DuckDB. */
  readonly notes: readonly string[];
  /** How plays find their song (`--match`): exact (the default) or normalized. */
  readonly match: MatchMode;
  /** The folder of user checks (`.sql` files), when one is named or `./checks` exists. */
  readonly checks?: CheckFolderSetting;
  /** With `--min-match-rate`: a warning when a smaller share of songplays matches a song. */
  readonly minMatchRate?: number;
  /** How a warehouse that reads S3 itself (Redshift) loads: staged through `--s3-staging`, or direct. */
  readonly storageLoad: StorageLoadSettings;
}

/** Where user checks are read from, and whether the folder was named (then it must hold checks) or found. */
export interface CheckFolderSetting {
  readonly folder: string;
  /** The flag, variable or key that named it; absent for the default `./checks`. */
  readonly origin?: string;
}

/** How S3 sources are reached. Credentials always come from the AWS SDK's default chain, never from here. */
export interface S3Settings {
  readonly region?: string;
  /** Where `region` came from (a flag, variable or key; S3 itself; a known public bucket), for the plan. */
  readonly regionOrigin?: string;
  readonly endpoint?: string;
  readonly noSignRequest: boolean;
  readonly concurrency: number;
}

/** The inputs of `loadSettings`. */
export interface LoadSettingsInput {
  /** Values given as command-line flags or by a program calling the library; they win over everything else. */
  readonly options?: SettingOptions;
  /** How to name an option in error messages: the CLI says `--max-errors`; the default says `option maxErrors`. */
  readonly optionOrigin?: (key: SettingKey) => string;
  /** An explicit config file (`--config`). */
  readonly configFile?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Where to look for `dwh.cfg` when no config file is named. */
  readonly cwd?: string;
}

/** The sample bundled with the package, made by `sparkify generate`. */
export const BUNDLED_SAMPLE = fileURLToPath(new URL('../../sample/', import.meta.url));

const DEFAULT_S3_CONCURRENCY = 32;

/** Builds the settings of a run from flags, environment, config file and defaults. */
export function loadSettings(input: LoadSettingsInput = {}): Settings {
  const env = input.env ?? process.env;
  const cwd = input.cwd ?? process.cwd();
  const configFile = findConfigFile(input.configFile, env, cwd);
  const layers: SettingLayer[] = [optionsLayer(input), environmentLayer(env)];
  const file = configFile ? readDwhConfig(configFile) : undefined;
  if (file) layers.push(file.layer);

  const pick = (key: SettingKey): SettingValue | undefined => layers.find((layer) => layer[key])?.[key];
  const warehouseValue = usable(pick('warehouse'));
  const warehouse = parseWarehouseTarget(warehouseValue?.value ?? DEFAULT_WAREHOUSE, warehouseValue?.origin ?? 'default');
  const paths = resolveDataPaths(layers, descriptorOf(warehouse).settings.includes('logJsonPath'));
  const onS3 = [paths.songData, paths.logData].some((location) => /^s3:\/\//i.test(location));
  const region = pick('region');
  const schema = validated(pick('schema'), IDENTIFIER, 'a plain identifier (letters, digits, _)');
  if (schema !== undefined && !descriptorOf(warehouse).settings.includes('schema')) {
    const takers = warehouseDescriptors().filter((known) => known.settings.includes('schema'));
    const names = takers.map((known) => known.title);
    const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? 'no warehouse');
    throw new ConfigError(`${pick('schema')!.origin}: a schema applies to ${list}, not ${descriptorOf(warehouse).title}`);
  }

  return {
    warehouse: schema ? { ...warehouse, schema } : warehouse,
    ...paths,
    maxErrors: validated(pick('maxErrors'), WHOLE_NUMBER, 'a whole number >= 0') ?? 0,
    // Only Redshift's COPY assumes a role (over a connection or the Data API): for another warehouse the
    // key is not needed, whatever it holds.
    iamRole: descriptorOf(warehouse).settings.includes('iamRole')
      ? validated(pick('iamRole'), IAM_ROLE, 'an IAM role ARN such as arn:aws:iam::123456789012:role/dwhRole')
      : undefined,
    s3: {
      region: region?.unusable && !onS3 ? undefined : validated(region, REGION, 'an AWS region such as us-west-2'),
      ...(region && !(region.unusable && !onS3) ? { regionOrigin: `set by ${region.origin}` } : {}),
      endpoint: validated(pick('s3Endpoint'), URL_TEXT, 'an http(s) URL such as http://127.0.0.1:4568'),
      noSignRequest: validated(pick('noSignRequest'), BOOLEAN, 'true or false') ?? false,
      concurrency: validated(pick('s3Concurrency'), POSITIVE_NUMBER, 'a whole number from 1 to 1024') ?? DEFAULT_S3_CONCURRENCY,
    },
    configFile,
    notes: [...(file?.notes ?? []), ...(file && !warehouseValue ? [file.noHostNote] : []), ...unusedSettingNotes(pick, warehouse)],
    match: validated(pick('match'), MATCH_MODE, MATCH_MODES.join(' or ')) ?? 'exact',
    checks: checkFolder(pick('checks'), cwd),
    minMatchRate: validated(pick('minMatchRate'), SHARE, 'a number from 0 to 1'),
    storageLoad: storageLoadSettings(pick),
  };
}

// Settings only some warehouses use, given for one that does not: noted rather than refused, since the same
// environment or dwh.cfg often serves a Redshift job and a local one (a schema is refused: it names where the
// tables go, so a warehouse without schemas cannot honour it).
const WAREHOUSE_ONLY_SETTINGS: readonly SettingKey[] = ['s3Staging', 'redshiftLoad', 'keepStaging'];

function unusedSettingNotes(pick: (key: SettingKey) => SettingValue | undefined, warehouse: WarehouseTarget): string[] {
  const descriptor = descriptorOf(warehouse);
  return WAREHOUSE_ONLY_SETTINGS.filter((key) => pick(key) && !descriptor.settings.includes(key)).map(
    (key) => `${pick(key)!.origin} is not used: it applies to Redshift only, and this run's warehouse is ${descriptor.title}`,
  );
}

/**
 * The staging location (`--s3-staging`, normalised to end in `/`), the load mode (`--redshift-load`: staged
 * by default when a staging location is given, direct otherwise) and `--keep-staging`.
 */
function storageLoadSettings(pick: (key: SettingKey) => SettingValue | undefined): StorageLoadSettings {
  const location = validated(pick('s3Staging'), S3_PREFIX, 'an S3 prefix such as s3://my-bucket/sparkify-staging/');
  const staging = location === undefined ? undefined : location.endsWith('/') ? location : `${location}/`;
  const mode = validated(pick('redshiftLoad'), LOAD_MODE, 'staged or direct') ?? (staging ? 'staged' : 'direct');
  if (mode === 'staged' && !staging) {
    throw new ConfigError(
      `${pick('redshiftLoad')!.origin}: staged loading needs an S3 staging location: give --s3-staging s3://bucket/prefix/ (SPARKIFY_S3_STAGING, [SPARKIFY] S3_STAGING)`,
    );
  }
  return { mode, ...(staging ? { staging } : {}), keep: validated(pick('keepStaging'), BOOLEAN, 'true or false') ?? false };
}

/** The named checks folder (resolved against `cwd`), or else `./checks` when it exists. */
function checkFolder(setting: SettingValue | undefined, cwd: string): CheckFolderSetting | undefined {
  if (setting) return { folder: resolve(cwd, setting.value), origin: setting.origin };
  const local = resolve(cwd, 'checks');
  return existsSync(local) ? { folder: local } : undefined;
}

/** Settings given directly, as flags or library options. */
export type SettingOptions = Partial<Record<SettingKey, string | number | boolean>>;

function optionsLayer(input: LoadSettingsInput): SettingLayer {
  const layer: SettingLayer = {};
  const origin = input.optionOrigin ?? ((key: SettingKey) => `option ${key}`);
  for (const [key, value] of Object.entries(input.options ?? {}) as [SettingKey, unknown][]) {
    if (value !== undefined && value !== null) setIfPresent(layer, key, String(value), origin(key));
  }
  return layer;
}

function findConfigFile(explicit: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  if (explicit) return resolve(cwd, explicit);
  if (env.SPARKIFY_CONFIG) return resolve(cwd, env.SPARKIFY_CONFIG);
  const local = resolve(cwd, 'dwh.cfg');
  return existsSync(local) ? local : undefined;
}

/**
 * Where the songs and logs are. Within one layer a specific key (song data, log data) beats `source`; across
 * layers the higher layer wins for each, so `--source ./here` overrides both S3 paths of a dwh.cfg.
 */
function resolveDataPaths(
  layers: readonly SettingLayer[],
  redshift: boolean,
): Pick<Settings, 'songData' | 'logData' | 'logJsonPath' | 'bundledSample' | 'dataOrigins'> {
  const fromLayer = (layer: SettingLayer, key: 'songData' | 'logData' | 'logJsonPath', folder: string) =>
    layer[key] ?? (layer.source ? { ...layer.source, value: joinLocation(layer.source.value, folder) } : undefined);
  // A placeholder is an error where the run reads it: the data always, the JSONPaths file only on Redshift.
  const firstSetting = (key: 'songData' | 'logData' | 'logJsonPath', folder: string, needed = true) => {
    for (const layer of layers) {
      const setting = fromLayer(layer, key, folder);
      if (setting?.unusable && !needed) return undefined;
      if (setting) return usable(setting)!;
    }
    return undefined;
  };
  const first = (key: 'songData' | 'logData' | 'logJsonPath', folder: string, needed = true) => firstSetting(key, folder, needed)?.value;
  const songSetting = firstSetting('songData', 'song_data');
  const logSetting = firstSetting('logData', 'log_data');
  const songData = songSetting?.value;
  const logData = logSetting?.value;
  if (songData === undefined && logData === undefined) {
    return {
      songData: joinLocation(BUNDLED_SAMPLE, 'song_data'),
      logData: joinLocation(BUNDLED_SAMPLE, 'log_data'),
      logJsonPath: joinLocation(BUNDLED_SAMPLE, 'log_json_path.json'),
      bundledSample: true,
    };
  }
  if (songData === undefined || logData === undefined) {
    const missing = songData === undefined ? 'song data (--song-data)' : 'log data (--log-data)';
    throw new ConfigError(`No location for the ${missing}: give --source, or both --song-data and --log-data`);
  }
  const logJsonPath = first('logJsonPath', 'log_json_path.json', redshift) ?? joinLocation(parentLocation(logData), 'log_json_path.json');
  return {
    songData,
    logData,
    logJsonPath,
    bundledSample: false,
    dataOrigins: { songData: songSetting!.origin, logData: logSetting!.origin },
  };
}

/** `base/child` for folders and S3 URIs alike. */
export function joinLocation(base: string, child: string): string {
  return `${base.replace(/\/+$/, '')}/${child}`;
}

function parentLocation(location: string): string {
  const trimmed = location.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  return slash > 0 && !trimmed.endsWith(':/') ? trimmed.slice(0, slash) : trimmed;
}

const IDENTIFIER = textRule(/^[A-Za-z_][A-Za-z0-9_]*$/);
const WHOLE_NUMBER = wholeNumber();
const POSITIVE_NUMBER = wholeNumber(1, 1024);
const IAM_ROLE = textRule(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/);
const REGION = textRule(/^[a-z]{2}(-[a-z]+)+-\d$/);
const URL_TEXT = textRule(/^https?:\/\/[^\s]+$/);
// No quote or backslash: the location is spliced into COPY's text as a literal.
const S3_PREFIX = textRule(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^'\\\s]*)?$/);
const LOAD_MODE = oneOf(['staged', 'direct'] as const);
const MATCH_MODE = oneOf<MatchMode>(MATCH_MODES);
const SHARE = textRule(/^(0|1|0?\.\d+|1\.0*)$/, Number);
const BOOLEAN = textRule(/^(true|false|1|0|yes|no)$/i, (text) => /^(true|1|yes)$/i.test(text));

/** The setting, unless it holds a placeholder: then the ConfigError that says which key to fill in. */
function usable(setting: SettingValue | undefined): SettingValue | undefined {
  if (setting?.unusable) throw new ConfigError(setting.unusable);
  return setting;
}

function validated<T>(setting: SettingValue | undefined, check: TextRule<T>, expected: string): T | undefined {
  const checked = usable(setting);
  if (!checked) return undefined;
  const value = checkText(check, checked.value);
  if (value !== undefined) return value;
  throw new ConfigError(`${checked.origin}: expected ${expected}, got "${checked.value}"`);
}
