/**
 * Reads the classic `dwh.cfg` (INI): `[CLUSTER]` HOST, DB_NAME, DB_USER, DB_PASSWORD, DB_PORT; `[IAM_ROLE]`
 * ARN; `[S3]` LOG_DATA, LOG_JSONPATH, SONG_DATA. Values may be single-quoted, as the classic template has
 * them. A `[SPARKIFY]` section adds what the product needs (WAREHOUSE, SOURCE, MAX_ERRORS, ...) without
 * disturbing that layout.
 */
import { readFileSync } from 'node:fs';
import ini from 'ini';
import { ConfigError } from '../errors.js';
import { setIfPresent, type SettingKey, type SettingLayer } from './setting-layer.js';

/** Keys of the `[SPARKIFY]` section and the settings they feed. */
export const SPARKIFY_SECTION_KEYS: Readonly<Record<string, SettingKey>> = {
  WAREHOUSE: 'warehouse',
  SCHEMA: 'schema',
  SOURCE: 'source',
  SONG_DATA: 'songData',
  LOG_DATA: 'logData',
  LOG_JSONPATH: 'logJsonPath',
  MAX_ERRORS: 'maxErrors',
  REGION: 'region',
  S3_ENDPOINT: 's3Endpoint',
  NO_SIGN_REQUEST: 'noSignRequest',
  S3_CONCURRENCY: 's3Concurrency',
};

/** Host names that mean a Redshift cluster or workgroup rather than plain PostgreSQL. */
const REDSHIFT_HOST = /\.redshift(-serverless)?\.amazonaws\.com(\.cn)?$/i;

/** Reads `path` into a setting layer. Throws a ConfigError naming the file when it cannot. */
export function readDwhConfig(path: string): SettingLayer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  return dwhConfigLayer(text, path);
}

/** Turns the text of a dwh.cfg into a setting layer; `path` is only used to name origins. */
export function dwhConfigLayer(text: string, path: string): SettingLayer {
  const sections = normaliseSections(ini.parse(text.replace(/^\uFEFF/, '')));
  const layer: SettingLayer = {};
  const origin = (section: string, key: string) => `${path} [${section}] ${key}`;

  const s3 = sections.S3 ?? {};
  setIfPresent(layer, 'songData', s3.SONG_DATA, origin('S3', 'SONG_DATA'));
  setIfPresent(layer, 'logData', s3.LOG_DATA, origin('S3', 'LOG_DATA'));
  setIfPresent(layer, 'logJsonPath', s3.LOG_JSONPATH, origin('S3', 'LOG_JSONPATH'));
  setIfPresent(layer, 'iamRole', sections.IAM_ROLE?.ARN, origin('IAM_ROLE', 'ARN'));

  const cluster = sections.CLUSTER ?? {};
  if (cluster.HOST && cluster.HOST.trim() !== '') {
    layer.warehouse = { value: clusterUrl(cluster, path), origin: `${path} [CLUSTER]` };
  }

  const own = sections.SPARKIFY ?? {};
  for (const [key, value] of Object.entries(own)) {
    const setting = SPARKIFY_SECTION_KEYS[key];
    if (!setting) {
      const known = Object.keys(SPARKIFY_SECTION_KEYS).join(', ');
      throw new ConfigError(`${origin('SPARKIFY', key)}: unknown key; expected one of ${known}`);
    }
    setIfPresent(layer, setting, value, origin('SPARKIFY', key));
  }
  return layer;
}

/**
 * The sections of a dwh.cfg's text, names and keys upper-cased, values unquoted; `sparkify infra` reads its
 * `[DWH]` and `[AWS]` sections through this.
 */
export function dwhConfigSections(text: string): Record<string, Record<string, string>> {
  return normaliseSections(ini.parse(text.replace(/^\uFEFF/, '')));
}

function clusterUrl(cluster: Record<string, string>, path: string): string {
  const host = cluster.HOST!.trim();
  const scheme = REDSHIFT_HOST.test(host) ? 'redshift' : 'postgres';
  const port = cluster.DB_PORT?.trim() || (scheme === 'redshift' ? '5439' : '5432');
  if (!/^\d+$/.test(port)) {
    throw new ConfigError(`${path} [CLUSTER] DB_PORT: expected a port number, got "${port}"`);
  }
  const user = cluster.DB_USER ? encodeURIComponent(cluster.DB_USER.trim()) : '';
  const password = cluster.DB_PASSWORD ? `:${encodeURIComponent(cluster.DB_PASSWORD)}` : '';
  const credentials = user || password ? `${user}${password}@` : '';
  const database = encodeURIComponent(cluster.DB_NAME?.trim() || 'dev');
  return `${scheme}://${credentials}${host}:${port}/${database}`;
}

// configparser, which the classic scripts use, ignores the case of keys; so do we.
function normaliseSections(parsed: Record<string, unknown>): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = {};
  for (const [name, content] of Object.entries(parsed)) {
    if (typeof content !== 'object' || content === null) continue;
    const section: Record<string, string> = {};
    for (const [key, value] of Object.entries(content as Record<string, unknown>)) {
      section[key.toUpperCase()] = typeof value === 'string' ? stripQuotes(value) : String(value);
    }
    sections[name.toUpperCase()] = section;
  }
  return sections;
}

function stripQuotes(value: string): string {
  const trimmed = value.trim();
  return /^'.*'$/s.test(trimmed) || /^".*"$/s.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
}
