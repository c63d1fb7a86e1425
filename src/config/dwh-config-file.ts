/**
 * Turns a classic `dwh.cfg` into settings. The file is read as Python's configparser reads it
 * (configparser-reader.ts); each value is looked for under the names people use (dwh-layouts.ts), with the
 * single quotes of the template removed; placeholders in the values a run needs become one clear line
 * (dwh-placeholders.ts); keys that look meant for the run but are not used become notes. A `[SPARKIFY]`
 * section adds what the product needs (WAREHOUSE, SOURCE, MAX_ERRORS, ...) without disturbing that layout.
 */
import { ConfigError } from '../errors.js';
import { DEFAULT_SECTION, type DwhEntry, type DwhSections, readDwhSections, unquoted } from './configparser-reader.js';
import {
  AWS_KEY_NAME,
  AWS_KEY_SECTIONS,
  CLUSTER_IDENTIFIER,
  DWH_PLACES,
  type DwhValueName,
  INFRA_KEYS,
  RUN_LIKE_KEY,
  S3_REGION_KEYS,
} from './dwh-layouts.js';
import { EXPECTED_VALUE, placeholderKind, placeholderMessage, type ValueKind } from './dwh-placeholders.js';
import { type SettingKey, type SettingLayer, setIfPresent } from './setting-layer.js';

/** Keys of the `[SPARKIFY]` section and the settings they feed. */
const SPARKIFY_SECTION_KEYS: Readonly<Record<string, SettingKey>> = {
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
  CHECKS: 'checks',
  MIN_MATCH_RATE: 'minMatchRate',
  MATCH: 'match',
  S3_STAGING: 's3Staging',
  REDSHIFT_LOAD: 'redshiftLoad',
  KEEP_STAGING: 'keepStaging',
};

/** What a dwh.cfg gives a run. */
export interface DwhConfig {
  readonly layer: SettingLayer;
  /** One line per key given but not used (AWS keys, a role under an unknown key, a value another overrides). */
  readonly notes: readonly string[];
  /** The line to print when the run goes to the embedded default because the file names no cluster host. */
  readonly noHostNote: string;
}

/** Host names that mean a Redshift cluster or workgroup rather than plain PostgreSQL. */
const REDSHIFT_HOST = /\.redshift(-serverless)?\.amazonaws\.com(\.cn)?$/i;
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/i;
const IP_ADDRESS = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:.]+\])$/i;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::[^:]*:role\//i;

const KIND_OF: Readonly<Record<DwhValueName, ValueKind>> = {
  host: 'host',
  database: 'name',
  user: 'name',
  password: 'secret',
  port: 'port',
  iamRole: 'arn',
  songData: 'location',
  logData: 'location',
  logJsonPath: 'location',
};

/** Reads `path` into a setting layer and notes. Throws a ConfigError naming the file, line or key when it cannot. */
export function readDwhConfig(path: string): DwhConfig {
  return dwhConfigOf(readDwhSections(path));
}

/** A found value: the entry, its text without the template's quotes, and a message when it is a placeholder. */
interface Found {
  readonly entry: DwhEntry;
  readonly origin: string;
  readonly text: string;
  readonly problem?: string;
}

/** The settings and notes the sections of a dwh.cfg give. */
export function dwhConfigOf(sections: DwhSections): DwhConfig {
  const { path } = sections;
  const originOf = (entry: { section: string; key: string }) => `${path} [${entry.section}] ${entry.key}`;
  const notes: string[] = [];
  const found = (name: DwhValueName) => findValue(sections, name, originOf, notes);
  const layer: SettingLayer = {};
  const put = (key: SettingKey, value: Found | undefined) => {
    if (value) layer[key] = { value: value.text, origin: value.origin, ...(value.problem ? { unusable: value.problem } : {}) };
  };

  put('songData', found('songData'));
  put('logData', found('logData'));
  put('logJsonPath', found('logJsonPath'));
  const role = found('iamRole');
  put('iamRole', role);
  put('region', s3Region(sections, originOf));

  const host = found('host');
  let noHostNote = `${path} names no cluster host ([CLUSTER] HOST): loading into the embedded DuckDB warehouse`;
  if (host) {
    layer.warehouse = warehouseOf(sections, host, role, found, notes);
  } else {
    const empty = firstPresent(sections, DWH_PLACES.host);
    if (empty) noHostNote = `${originOf(empty)} is empty: loading into the embedded DuckDB warehouse`;
  }

  notes.push(...awsKeyNotes(sections), ...strayRoleNotes(sections, role, originOf), ...unreadKeyNotes(sections));

  for (const key of sections.ownKeys('SPARKIFY')) {
    const setting = SPARKIFY_SECTION_KEYS[key.toUpperCase()];
    const entry = sections.own('SPARKIFY', key)!;
    if (!setting) {
      const known = Object.keys(SPARKIFY_SECTION_KEYS).join(', ');
      throw new ConfigError(`${originOf(entry)}: unknown key; expected one of ${known}`);
    }
    setIfPresent(layer, setting, unquoted(entry.value), originOf(entry));
  }
  // [DEFAULT] gives its keys to every section, [SPARKIFY] too (written or not). Only the keys no classic
  // section reads: a DEFAULT SONG_DATA or REGION is found through [S3] and its own rules, in their order.
  for (const key of sections.defaultKeys()) {
    const setting = SPARKIFY_SECTION_KEYS[key.toUpperCase()];
    if (!setting || CLASSIC_SECTION_KEYS.has(key.toUpperCase()) || sections.own('SPARKIFY', key)) continue;
    const entry = sections.defaultEntry(key)!;
    setIfPresent(layer, setting, unquoted(entry.value), originOf(entry));
  }
  return { layer, notes, noHostNote };
}

// Keys of [SPARKIFY] that classic sections read too ([S3] SONG_DATA, any section's REGION): not taken from
// [DEFAULT] as [SPARKIFY]'s, which would put a DEFAULT value ahead of [S3]'s own.
const CLASSIC_SECTION_KEYS = new Set(['SONG_DATA', 'LOG_DATA', 'LOG_JSONPATH', 'REGION']);

/**
 * The first non-empty value among the places of `name`. A later place holding another value is noted as
 * not used (the values of a password are never shown).
 */
function findValue(sections: DwhSections, name: DwhValueName, originOf: (entry: DwhEntry) => string, notes: string[]): Found | undefined {
  let first: Found | undefined;
  const seen = new Set<string>();
  for (const place of DWH_PLACES[name]) {
    // A bad %-reference fails the value the run uses; one in a later place only keeps it out of the comparison.
    const entry = first ? quietly(() => sections.get(place.section, place.key)) : sections.get(place.section, place.key);
    if (!entry) continue;
    // A DEFAULT key is found through every section: look at it once.
    const identity = `${entry.section}\0${entry.key.toLowerCase()}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    const text = unquoted(entry.value);
    if (text === '') continue;
    if (!first) {
      const kind = placeholderKind(text, KIND_OF[name]);
      const origin = originOf(entry);
      const expected = EXPECTED_VALUE[name]!;
      first = { entry, origin, text, ...(kind ? { problem: placeholderMessage(origin, text, kind, expected, name === 'password') } : {}) };
    } else if (text !== first.text) {
      const shown = name === 'password' ? '' : ` ('${text}')`;
      notes.push(`${originOf(entry)}${shown} is not used: [${first.entry.section}] ${first.entry.key} comes first and says otherwise`);
    }
  }
  return first;
}

/** The entry `read` gives, or undefined when its %-interpolation fails: for keys the run does not use. */
function quietly(read: () => DwhEntry | undefined): DwhEntry | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof ConfigError) return undefined;
    throw error;
  }
}

function firstPresent(sections: DwhSections, places: readonly { section: string; key: string }[]): DwhEntry | undefined {
  for (const place of places) {
    const entry = quietly(() => sections.get(place.section, place.key));
    if (entry) return entry;
  }
  return undefined;
}

/** `[S3] REGION`, else `S3_REGION` or `BUCKET_REGION` written in any section (DEFAULT included). */
function s3Region(sections: DwhSections, originOf: (entry: DwhEntry) => string): Found | undefined {
  const candidates = [
    sections.own(S3_REGION_KEYS.section, S3_REGION_KEYS.key),
    ...[...sections.sections(), DEFAULT_SECTION].flatMap((section) =>
      S3_REGION_KEYS.anywhere.map((key) => (section === DEFAULT_SECTION ? sections.defaultEntry(key) : sections.own(section, key))),
    ),
  ];
  for (const entry of candidates) {
    const text = entry ? unquoted(entry.value) : '';
    if (!entry || text === '') continue;
    const kind = placeholderKind(text, 'region');
    const origin = originOf(entry);
    return { entry, origin, text, ...(kind ? { problem: placeholderMessage(origin, text, kind, EXPECTED_VALUE.region!) } : {}) };
  }
  return undefined;
}

/** The warehouse URL the cluster keys make, or the one line saying which of them to fix. */
function warehouseOf(
  sections: DwhSections,
  host: Found,
  role: Found | undefined,
  found: (name: DwhValueName) => Found | undefined,
  notes: string[],
): { value: string; origin: string; unusable?: string } {
  const { origin } = host;
  const unusable = (message: string) => ({ value: '', origin, unusable: message });
  const values = { database: found('database'), user: found('user'), password: found('password'), port: found('port') };
  const problem = host.problem ?? Object.values(values).find((value) => value?.problem)?.problem;
  if (problem) return unusable(problem);
  if (/^[a-z][a-z0-9+.:-]*:\/\//i.test(host.text)) {
    return unusable(`${origin} holds a URL: give only the host name, e.g. mycluster.abc123xyz.us-west-2.redshift.amazonaws.com`);
  }
  // The console shows the endpoint as host:5439/dev; the classic scripts want the host alone.
  const endpoint = /^([^:/]+)(?::(\d+))?(?:\/([^/]*))?$/.exec(host.text);
  const name = endpoint?.[1] ?? host.text;
  if (!HOST_NAME.test(name) && !IP_ADDRESS.test(name)) {
    return unusable(`${origin}: expected a host name such as mycluster.abc123xyz.us-west-2.redshift.amazonaws.com, got '${host.text}'`);
  }
  const redshift = REDSHIFT_HOST.test(name);
  let port = values.port?.text ?? endpoint?.[2] ?? (redshift ? '5439' : '5432');
  if (values.port && endpoint?.[2] && endpoint[2] !== values.port.text) {
    notes.push(
      `${origin}: its port ${endpoint[2]} is not used: [${values.port.entry.section}] ${values.port.entry.key} says ${values.port.text}`,
    );
  }
  if (!/^\d+$/.test(port)) return unusable(`${values.port!.origin}: expected a port number, got "${port}"`);
  port = String(Number(port));
  const identifier = unquoted(quietly(() => sections.get(CLUSTER_IDENTIFIER.section, CLUSTER_IDENTIFIER.key))?.value ?? '');
  const bare = !name.includes('.') && !/^localhost$/i.test(name) && !IP_ADDRESS.test(name);
  if (bare && (/redshift|cluster/i.test(name) || port === '5439' || name.toLowerCase() === identifier.toLowerCase() || role)) {
    return unusable(
      `${origin} holds '${name}', a cluster identifier rather than its endpoint: run sparkify infra status, or copy the endpoint ` +
        `from the Redshift console (e.g. ${name.toLowerCase()}.abc123xyz.us-west-2.redshift.amazonaws.com, without :5439/dev)`,
    );
  }
  // Redshift has no default user (PostgreSQL takes the login's name): without one, every connection fails.
  if (redshift && !values.user) {
    return unusable(
      `${origin} names a Redshift cluster, but dwh.cfg gives no user: add DB_USER to [${host.entry.section}] (e.g. DB_USER=dwhuser)`,
    );
  }
  const database = values.database?.text ?? endpoint?.[3] ?? 'dev';
  const user = values.user ? encodeURIComponent(values.user.text) : '';
  const password = values.password ? `:${encodeURIComponent(values.password.text)}` : '';
  const credentials = user || password ? `${user}${password}@` : '';
  const scheme = redshift ? 'redshift' : 'postgres';
  return { value: `${scheme}://${credentials}${name}:${port}/${encodeURIComponent(database || 'dev')}`, origin };
}

/**
 * Keys that look meant for the run (HOST, PASSWORD, ROLE, SONG_DATA, ...) but are written where sparkify does
 * not look, such as `[REDSHIFT_CLUSTER] ENDPOINT`: one note naming them all, so nothing is ignored silently.
 */
function unreadKeyNotes(sections: DwhSections): string[] {
  const read = new Set(
    [...Object.values(DWH_PLACES).flat(), ...INFRA_KEYS, CLUSTER_IDENTIFIER].map((place) => `${place.section}\0${place.key}`),
  );
  const unread: string[] = [];
  const misplaced: string[] = [];
  const notes: string[] = [];
  // Sections match in any case, the exact (upper-case) spelling first, else the first in file order: every
  // other spelling of the same name is never read.
  const readSpelling = new Map<string, string>();
  for (const section of sections.sections()) {
    const upper = section.toUpperCase();
    if (section === upper) readSpelling.set(upper, upper);
    else if (!readSpelling.has(upper)) readSpelling.set(upper, section);
  }
  for (const section of sections.sections()) {
    const readOne = readSpelling.get(section.toUpperCase())!;
    if (readOne !== section) {
      notes.push(`${sections.path} [${section}]: not read, since [${readOne}] is the same section in another case; merge the two`);
      continue;
    }
    if (section.toUpperCase() === 'SPARKIFY') continue;
    for (const key of sections.ownKeys(section)) {
      const name = `${section.toUpperCase()}\0${key.toUpperCase()}`;
      const text = unquoted(quietly(() => sections.own(section, key))?.value ?? '');
      if (read.has(name) || text === '') continue;
      if (SPARKIFY_SECTION_KEYS[key.toUpperCase()] && !CLASSIC_SECTION_KEYS.has(key.toUpperCase())) {
        misplaced.push(`[${section}] ${key}`);
        continue;
      }
      // Role ARNs and AWS keys have notes of their own.
      if (!RUN_LIKE_KEY.test(key) || ROLE_ARN.test(text) || AWS_KEY_NAME.test(key)) continue;
      unread.push(`[${section}] ${key}`);
    }
  }
  if (misplaced.length > 0) {
    notes.push(`${sections.path} ${misplaced.join(', ')}: not read there; sparkify reads these keys only in [SPARKIFY] (or [DEFAULT])`);
  }
  if (unread.length > 0) {
    notes.push(
      `${sections.path} ${unread.join(', ')}: not read by sparkify (see "The classic dwh.cfg" in its README for the keys it reads)`,
    );
  }
  return notes;
}

/** AWS access keys written in the file: sparkify never reads credentials from it. */
function awsKeyNotes(sections: DwhSections): string[] {
  const found: string[] = [];
  for (const section of [DEFAULT_SECTION, ...sections.sections()]) {
    const keys = section === DEFAULT_SECTION ? sections.defaultKeys() : sections.ownKeys(section);
    const keySection = AWS_KEY_SECTIONS.includes(section.toUpperCase());
    for (const key of keys) {
      if (!AWS_KEY_NAME.test(key) && !(keySection && /^(key|secret|token)$/i.test(key))) continue;
      const entry = quietly(() => (section === DEFAULT_SECTION ? sections.defaultEntry(key) : sections.own(section, key)));
      if (entry && unquoted(entry.value) !== '') found.push(`[${section}] ${key}`);
    }
  }
  if (found.length === 0) return [];
  return [
    `${sections.path} ${found.join(', ')}: AWS keys in dwh.cfg are not used by runs; S3 is read with the AWS SDK's credentials ` +
      "(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, ~/.aws/credentials) and Redshift's COPY uses the IAM role " +
      '(only sparkify infra honours [AWS] KEY and SECRET, with a warning)',
  ];
}

/** IAM role ARNs written under keys that are not role keys: noted, since the run does not use them. */
function strayRoleNotes(sections: DwhSections, role: Found | undefined, originOf: (entry: DwhEntry) => string): string[] {
  const known = new Set(DWH_PLACES.iamRole.map((place) => `${place.section}\0${place.key}`));
  const notes: string[] = [];
  for (const section of sections.sections()) {
    for (const key of sections.ownKeys(section)) {
      const entry = quietly(() => sections.own(section, key));
      const text = unquoted(entry?.value ?? '');
      if (!entry || !ROLE_ARN.test(text) || known.has(`${section.toUpperCase()}\0${key.toUpperCase()}`) || text === role?.text) continue;
      const used = role ? `the role is ${role.origin}` : 'no role key is set';
      notes.push(`${originOf(entry)} holds an IAM role ARN but is not a role key (${used}): name it [IAM_ROLE] ARN to use it`);
    }
  }
  return notes;
}
