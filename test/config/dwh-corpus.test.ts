/**
 * The dwh.cfg files people write, as they write them (test/config/dwh-corpus): each with the warehouse, values,
 * notes or error line a run gets from it; and every file read by Python's configparser too, where python3
 * exists, to show the values are the ones the classic scripts see.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings, type Settings } from '../../src/config/settings.js';
import { ConfigError } from '../../src/errors.js';
import { parsedByPython, parsedByUs, pythonUnavailable } from './python-configparser.js';
import type { WarehouseTarget } from '../../src/warehouses/warehouse.js';

const CORPUS = new URL('./dwh-corpus/', import.meta.url).pathname;
const HOST = 'dwhcluster.c1a2b3c4d5e6.us-west-2.redshift.amazonaws.com';
const REDSHIFT = `redshift://dwhuser:Passw0rd@${HOST}:5439/dwh`;
const ROLE = 'arn:aws:iam::123456789012:role/dwhRole';
const UDACITY = {
  songData: 's3://udacity-dend/song_data',
  logData: 's3://udacity-dend/log_data',
  logJsonPath: 's3://udacity-dend/log_json_path.json',
};
const CLASSIC = { warehouse: REDSHIFT, iamRole: ROLE, ...UDACITY };

/** What a run gets from a file: settings (only the fields named are checked) and notes, or one error line. */
interface Outcome {
  readonly warehouse?: string;
  readonly iamRole?: string | null;
  readonly songData?: string;
  readonly logData?: string;
  readonly logJsonPath?: string;
  readonly region?: string | null;
  /** Each note must match one of these, in order; no other note may be there. */
  readonly notes?: readonly RegExp[];
  /** The whole error line after the file's path, or a pattern for it. */
  readonly error?: string | RegExp;
}

const EXPECTED: Readonly<Record<string, Outcome>> = {
  '01-classic-template.cfg': CLASSIC,
  '02-aligned-tabs-unquoted.cfg': CLASSIC,
  '03-password-hash-semicolon.cfg': { ...CLASSIC, warehouse: REDSHIFT.replace('Passw0rd', encodeURIComponent('Ab#12;x ; not a comment')) },
  '04-colon-lowercase-keys.cfg': CLASSIC,
  '05-crlf.cfg': CLASSIC,
  '06-bom-lowercase-sections.cfg': CLASSIC,
  '07-default-section.cfg': CLASSIC,
  '08-comment-lines.cfg': CLASSIC,
  // Its lone % sits in a key the run does not read: no error, as configparser fails only on get.
  '09-continuation-lines.cfg': CLASSIC,
  '10-iac-notebook.cfg': {
    ...CLASSIC,
    notes: [/^\S+ \[AWS\] KEY, \[AWS\] SECRET: AWS keys in dwh\.cfg are not used by runs; S3 is read with the AWS SDK's credentials/],
  },
  '11-iac-empty-cluster-host.cfg': {
    warehouse: 'duckdb:sparkify.duckdb',
    iamRole: null,
    notes: [/^\S+ \[CLUSTER\] HOST is empty: loading into the embedded DuckDB warehouse$/],
  },
  '12-host-angle-brackets.cfg': {
    error:
      "[CLUSTER] HOST holds a placeholder '<ENDPOINT>': set it to the cluster's endpoint, e.g. mycluster.abc123xyz.us-west-2.redshift.amazonaws.com (or leave it empty for the embedded DuckDB warehouse)",
  },
  '13-host-your-cluster-endpoint.cfg': {
    error: /^\[CLUSTER\] HOST holds a placeholder 'YOUR CLUSTER ENDPOINT': set it to the cluster's endpoint/,
  },
  '14-host-identification-code.cfg': {
    error: /^\[CLUSTER\] HOST holds a placeholder 'redshift-cluster\.IDENTIFICATION_CODE\.us-west-2\.redshift\.amazonaws\.com': set it to/,
  },
  '15-host-bare-identifier.cfg': {
    error:
      "[CLUSTER] HOST holds 'dwhcluster', a cluster identifier rather than its endpoint: run sparkify infra status, or copy the endpoint " +
      'from the Redshift console (e.g. dwhcluster.abc123xyz.us-west-2.redshift.amazonaws.com, without :5439/dev)',
  },
  '16-host-is-a-comment.cfg': { error: /^\[CLUSTER\] HOST holds a comment '#ENTER VALUE BEFORE RUNNING' where the value goes: set it to/ },
  '17-password-masked.cfg': { error: "[CLUSTER] DB_PASSWORD holds a masked value (not shown): set it to the database user's password" },
  '18-arn-masked.cfg': {
    error: /^\[IAM_ROLE\] ARN holds a masked value 'arn:aws:iam::XXXXXXXXXXXX:role\/dwhRole': set it to the ARN of the IAM role/,
  },
  '19-postgres-arn-placeholder.cfg': {
    warehouse: 'postgres://dwhuser:Passw0rd@db.internal:5432/dwh',
    iamRole: null,
    songData: '/data/sparkify/song_data',
    logData: '/data/sparkify/log_data',
  },
  '20-s3-bucket-placeholder.cfg': {
    error:
      "[S3] SONG_DATA holds a placeholder 's3://<YOUR_BUCKET_NAME>/song_data': set it to the song files' location, e.g. s3://udacity-dend/song_data",
  },
  '21-s3-free-text.cfg': {
    error: "[S3] LOG_DATA holds free text 'path to log data on s3': set it to the log files' location, e.g. s3://udacity-dend/log_data",
  },
  '22-db-section.cfg': CLASSIC,
  '23-cluster-db-host-iam-role-key.cfg': CLASSIC,
  '24-iam-section.cfg': CLASSIC,
  '25-security-section.cfg': CLASSIC,
  '26-arn-section.cfg': CLASSIC,
  '27-dwh-host-s3-region.cfg': { ...CLASSIC, warehouse: REDSHIFT.replace('us-west-2', 'eu-west-1'), region: 'us-west-2' },
  '28-empty-host-duckdb.cfg': {
    warehouse: 'duckdb:sparkify.duckdb',
    iamRole: null,
    ...UDACITY,
    notes: [/^\S+ \[CLUSTER\] HOST is empty: loading into the embedded DuckDB warehouse$/],
  },
  '29-unknown-role-key.cfg': {
    ...CLASSIC,
    iamRole: null,
    notes: [
      /^\S+ \[IAM_ROLE\] ROLE holds an IAM role ARN but is not a role key \(no role key is set\): name it \[IAM_ROLE\] ARN to use it$/,
    ],
  },
  '30-endpoint-with-port-and-db.cfg': { ...CLASSIC, warehouse: `redshift://dwhuser:Passw0rd@${HOST}:5439/dev` },
  '31-percent-escaped.cfg': { ...CLASSIC, warehouse: REDSHIFT.replace('Passw0rd', '50%25off') },
  '32-percent-lone.cfg': {
    error: "line 5: [CLUSTER] DB_PASSWORD: '%' must be followed by '%' or '(' as in Python's configparser; write %% for a literal %",
  },
  '33-duplicate-key.cfg': { error: 'line 7: [CLUSTER] HOST is set again (first at line 2); keep one' },
  '34-conflicting-hosts.cfg': {
    ...CLASSIC,
    notes: [
      /^\S+ \[DWH\] DWH_ENDPOINT \('old\.c1a2b3c4d5e6\.us-west-2\.redshift\.amazonaws\.com'\) is not used: \[CLUSTER\] HOST comes first and says otherwise$/,
      /^\S+ \[DWH\] DWH_DB_PASSWORD is not used: \[CLUSTER\] DB_PASSWORD comes first and says otherwise$/,
    ],
  },
  '35-double-quotes.cfg': CLASSIC,
  '36-general-region-keys.cfg': {
    warehouse: REDSHIFT.replace('us-west-2', 'eu-west-1'),
    region: null,
    songData: 's3://my-bucket/song_data',
  },
  '37-bucket-region-key.cfg': {
    warehouse: REDSHIFT,
    iamRole: ROLE,
    region: 'eu-west-1',
    songData: 's3://my-bucket/song_data',
    logData: 's3://my-bucket/log_data',
  },
  '39-unread-keys.cfg': {
    warehouse: 'duckdb:sparkify.duckdb',
    notes: [
      /^\S+ \[REDSHIFT_CLUSTER\] ENDPOINT, \[REDSHIFT_CLUSTER\] DB_PASSWORD, \[S3\] SONG_PATH, \[S3\] LOG_PATH: not read by sparkify/,
      /^\S+ names no cluster host \(\[CLUSTER\] HOST\): loading into the embedded DuckDB warehouse$/,
    ],
  },
  '40-misplaced-product-keys.cfg': {
    warehouse: 'duckdb:sparkify.duckdb',
    notes: [
      /^\S+ \[cluster\]: not read, since \[CLUSTER\] is the same section in another case; merge the two$/,
      /^\S+ \[Sparkify\]: not read, since \[SPARKIFY\] is the same section in another case; merge the two$/,
      /^\S+ \[CLUSTER\] SCHEMA, \[CLUSTER\] MAX_ERRORS, \[S3\] SOURCE, \[S3\] NO_SIGN_REQUEST, \[SPARKFY\] MATCH: not read there; sparkify reads these keys only in \[SPARKIFY\] \(or \[DEFAULT\]\)$/,
      /^\S+ names no cluster host \(\[CLUSTER\] HOST\): loading into the embedded DuckDB warehouse$/,
    ],
  },
  '38-before-any-section.cfg': { error: /^line 1: "HOST=\.\.\." comes before any \[section\] header/ },
};

const FILES = readdirSync(CORPUS)
  .filter((name) => name.endsWith('.cfg'))
  .sort();

function settingsOf(file: string): Settings {
  return loadSettings({ configFile: join(CORPUS, file), env: {}, cwd: '/' });
}

function warehouseOf(settings: Settings): string {
  const target = settings.warehouse as WarehouseTarget & { path?: string; url?: string };
  return target.kind === 'duckdb' ? `duckdb:${target.path}` : (target.url ?? '');
}

describe('the dwh.cfg corpus', () => {
  it('has at least 25 files, each with its expected outcome', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(25);
    expect(FILES).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const file of FILES) {
    const expected = EXPECTED[file]!;
    it(`${file}: ${expected.error ? 'one error line' : (expected.warehouse?.split(':')[0] ?? '')}`, () => {
      const prefix = `${join(CORPUS, file)} `;
      if (expected.error) {
        let message = '';
        try {
          settingsOf(file);
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          message = (error as Error).message;
        }
        expect(message.startsWith(prefix), message).toBe(true);
        const line = message.slice(prefix.length);
        if (typeof expected.error === 'string') expect(line).toBe(expected.error);
        else expect(line).toMatch(expected.error);
        expect(message).not.toContain('Passw0rd');
        return;
      }
      const settings = settingsOf(file);
      if (expected.warehouse) expect(warehouseOf(settings)).toBe(expected.warehouse);
      if (expected.iamRole !== undefined) expect(settings.iamRole).toBe(expected.iamRole ?? undefined);
      for (const key of ['songData', 'logData', 'logJsonPath'] as const) {
        if (expected[key]) expect(settings[key], key).toBe(expected[key]);
      }
      if (expected.region !== undefined) expect(settings.s3.region).toBe(expected.region ?? undefined);
      const notes = expected.notes ?? [];
      expect(settings.notes.length, settings.notes.join('\n')).toBe(notes.length);
      for (const [i, pattern] of notes.entries()) expect(settings.notes[i]).toMatch(pattern);
      const text = settings.notes.join('\n');
      for (const secret of ['Passw0rd', 'Other-Passw0rd', 'not-a-real-secret', 'AKIAEXAMPLE']) expect(text).not.toContain(secret);
    });
  }

  const missing = pythonUnavailable();
  if (missing) console.warn(`configparser comparison of the corpus SKIPPED: ${missing}`);
  describe.skipIf(missing !== undefined)(`read by Python's configparser${missing ? ` (SKIPPED: ${missing})` : ''}`, () => {
    it('gives the same sections, keys and values as our reader, file by file', () => {
      const paths = FILES.map((file) => join(CORPUS, file));
      const python = parsedByPython(paths);
      for (const path of paths) {
        expect(parsedByUs(readFileSync(path, 'utf8'), path), path).toEqual(python[path]);
      }
    });
  });
});
