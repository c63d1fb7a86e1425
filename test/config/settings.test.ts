import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_SAMPLE, loadSettings } from '../../src/config/settings.js';
import { ConfigError } from '../../src/errors.js';
import type { ServerTarget } from '../../src/warehouses/warehouse-target.js';
import { tempFolder } from '../support/test-warehouses.js';

const CLASSIC_DWH_CFG = `[CLUSTER]
HOST='dwhcluster.abc123xyz.us-west-2.redshift.amazonaws.com'
DB_NAME='dwh'
DB_USER='dwhuser'
DB_PASSWORD='Passw0rd#1'
DB_PORT='5439'

[IAM_ROLE]
ARN='arn:aws:iam::123456789012:role/dwhRole'

[S3]
LOG_DATA='s3://udacity-dend/log_data'
LOG_JSONPATH='s3://udacity-dend/log_json_path.json'
SONG_DATA='s3://udacity-dend/song_data'
`;

function folderWith(files: Record<string, string>): string {
  const folder = tempFolder('sparkify-config-');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(folder, name), content);
  return folder;
}

describe('loadSettings', () => {
  it('defaults to the embedded warehouse and the bundled sample', () => {
    const settings = loadSettings({ env: {}, cwd: tempFolder() });
    expect(settings.warehouse).toEqual({ kind: 'duckdb', path: 'sparkify.duckdb' });
    expect(settings.bundledSample).toBe(true);
    expect(settings.songData).toBe(`${BUNDLED_SAMPLE.replace(/\/$/, '')}/song_data`);
    expect(settings.maxErrors).toBe(0);
  });

  it('reads the classic dwh.cfg from the working directory, single-quoted values and all', () => {
    const settings = loadSettings({ env: {}, cwd: folderWith({ 'dwh.cfg': CLASSIC_DWH_CFG }) });
    expect(settings.warehouse).toMatchObject({ kind: 'redshift' });
    expect(settings.warehouse.kind === 'redshift' && (settings.warehouse as ServerTarget).url).toBe(
      'redshift://dwhuser:Passw0rd%231@dwhcluster.abc123xyz.us-west-2.redshift.amazonaws.com:5439/dwh',
    );
    expect(settings.iamRole).toBe('arn:aws:iam::123456789012:role/dwhRole');
    expect(settings.songData).toBe('s3://udacity-dend/song_data');
    expect(settings.logData).toBe('s3://udacity-dend/log_data');
    expect(settings.logJsonPath).toBe('s3://udacity-dend/log_json_path.json');
    expect(settings.bundledSample).toBe(false);
  });

  it('treats a non-Redshift [CLUSTER] host as PostgreSQL', () => {
    const cfg = CLASSIC_DWH_CFG.replace(/HOST=.*/, 'HOST=db.internal').replace("DB_PORT='5439'", 'DB_PORT=5432');
    const settings = loadSettings({ env: {}, cwd: folderWith({ 'dwh.cfg': cfg }) });
    expect(settings.warehouse).toMatchObject({ kind: 'postgres', url: 'postgres://dwhuser:Passw0rd%231@db.internal:5432/dwh' });
  });

  it('refuses a Redshift cluster without a user, naming the key to add', () => {
    const cfg = CLASSIC_DWH_CFG.replace("DB_USER='dwhuser'\n", '');
    const cwd = folderWith({ 'dwh.cfg': cfg });
    expect(() => loadSettings({ env: {}, cwd })).toThrow(ConfigError);
    expect(() => loadSettings({ env: {}, cwd })).toThrow(
      `${join(cwd, 'dwh.cfg')} [CLUSTER] HOST names a Redshift cluster, but dwh.cfg gives no user: add DB_USER to [CLUSTER] (e.g. DB_USER=dwhuser)`,
    );
  });

  it('ranks flags over environment over the file over defaults', () => {
    const cwd = folderWith({ 'dwh.cfg': `${CLASSIC_DWH_CFG}\n[SPARKIFY]\nMAX_ERRORS=3\nWAREHOUSE=duckdb:file.duckdb\n` });
    expect(loadSettings({ env: {}, cwd }).maxErrors).toBe(3);
    expect(loadSettings({ env: {}, cwd }).warehouse).toEqual({ kind: 'duckdb', path: 'file.duckdb' });
    expect(loadSettings({ env: { SPARKIFY_MAX_ERRORS: '5' }, cwd }).maxErrors).toBe(5);
    expect(loadSettings({ env: { SPARKIFY_MAX_ERRORS: '5' }, cwd, options: { maxErrors: 7 } }).maxErrors).toBe(7);
  });

  it('gives [SPARKIFY] the keys of [DEFAULT], as configparser does, behind its own and never ahead of [S3]', () => {
    const cfg = `[DEFAULT]\nMAX_ERRORS=4\nWAREHOUSE=duckdb:default.duckdb\nSONG_DATA=s3://default/song_data\n\n${CLASSIC_DWH_CFG}`;
    const inherited = loadSettings({ env: {}, cwd: folderWith({ 'dwh.cfg': cfg }) });
    expect(inherited.maxErrors).toBe(4);
    expect(inherited.warehouse).toEqual({ kind: 'duckdb', path: 'default.duckdb' });
    // [S3] SONG_DATA is its own; DEFAULT's is only the fallback configparser gives [S3].
    expect(inherited.songData).toBe('s3://udacity-dend/song_data');
    const own = loadSettings({ env: {}, cwd: folderWith({ 'dwh.cfg': `${cfg}\n[SPARKIFY]\nMAX_ERRORS=1\n` }) });
    expect(own.maxErrors).toBe(1);
    const bad = folderWith({ 'dwh.cfg': '[DEFAULT]\nMAX_ERRORS=lots\n' });
    expect(() => loadSettings({ env: {}, cwd: bad })).toThrow(
      `${join(bad, 'dwh.cfg')} [DEFAULT] MAX_ERRORS: expected a whole number >= 0, got "lots"`,
    );
  });

  it('notes, without refusing, the Redshift-only load settings given for another warehouse', () => {
    const settings = loadSettings({
      env: { SPARKIFY_REDSHIFT_LOAD: 'direct' },
      cwd: folderWith({}),
      options: { s3Staging: 's3://bucket/p/' },
    });
    expect(settings.notes).toEqual([
      "option s3Staging is not used: it applies to Redshift only, and this run's warehouse is DuckDB",
      "SPARKIFY_REDSHIFT_LOAD (environment) is not used: it applies to Redshift only, and this run's warehouse is DuckDB",
    ]);
    const redshift = loadSettings({
      env: {},
      cwd: folderWith({}),
      options: { warehouse: 'redshift://u:p@h.example:5439/dev', s3Staging: 's3://bucket/p/', iamRole: 'arn:aws:iam::123456789012:role/r' },
    });
    expect(redshift.notes).toEqual([]);
    expect(redshift.storageLoad).toMatchObject({ mode: 'staged', staging: 's3://bucket/p/' });
  });

  it('lets a --source flag override both S3 paths of the file', () => {
    const cwd = folderWith({ 'dwh.cfg': CLASSIC_DWH_CFG });
    const settings = loadSettings({ env: {}, cwd, options: { source: './local' } });
    expect(settings.songData).toBe('./local/song_data');
    expect(settings.logData).toBe('./local/log_data');
    expect(settings.logJsonPath).toBe('./local/log_json_path.json');
  });

  it('prefers a specific location over --source in the same layer', () => {
    const settings = loadSettings({ env: {}, cwd: tempFolder(), options: { source: 's3://bucket', logData: '/elsewhere/logs' } });
    expect(settings.songData).toBe('s3://bucket/song_data');
    expect(settings.logData).toBe('/elsewhere/logs');
  });

  it('reads an explicit --config file and SPARKIFY_CONFIG', () => {
    const folder = folderWith({ 'other.cfg': '[SPARKIFY]\nSOURCE=/data/sparkify\n' });
    expect(loadSettings({ env: {}, cwd: tempFolder(), configFile: join(folder, 'other.cfg') }).songData).toBe('/data/sparkify/song_data');
    expect(loadSettings({ env: { SPARKIFY_CONFIG: join(folder, 'other.cfg') }, cwd: tempFolder() }).logData).toBe(
      '/data/sparkify/log_data',
    );
  });

  it('names the key, where it came from and what was expected when a value is wrong', () => {
    const cwd = folderWith({ 'dwh.cfg': '[SPARKIFY]\nMAX_ERRORS=lots\n' });
    expect(() => loadSettings({ env: {}, cwd })).toThrow(
      new ConfigError(`${join(cwd, 'dwh.cfg')} [SPARKIFY] MAX_ERRORS: expected a whole number >= 0, got "lots"`),
    );
    expect(() => loadSettings({ env: { SPARKIFY_MAX_ERRORS: '-1' }, cwd: tempFolder() })).toThrow(
      'SPARKIFY_MAX_ERRORS (environment): expected a whole number >= 0, got "-1"',
    );
    expect(() => loadSettings({ env: {}, cwd: tempFolder(), options: { warehouse: 'mysql://x' } })).toThrow(
      /option warehouse: "mysql:\/\/x" is not a warehouse URL/,
    );
    expect(() => loadSettings({ env: {}, cwd: folderWith({ 'dwh.cfg': '[SPARKIFY]\nWAREHOUS=x\n' }) })).toThrow(
      /\[SPARKIFY\] WAREHOUS: unknown key/,
    );
  });

  it('never puts a password in an error message', () => {
    const attempt = () => loadSettings({ env: {}, cwd: tempFolder(), options: { warehouse: 'postgres://u:s3cret@host:abc/db' } });
    expect(attempt).toThrow(ConfigError);
    expect(() => attempt()).not.toThrow(/s3cret/);
  });

  it('asks for both locations when only one is given', () => {
    expect(() => loadSettings({ env: {}, cwd: tempFolder(), options: { songData: './songs' } })).toThrow(/log data/);
  });

  it('names a missing config file, or a folder given as one, and says what is wrong', () => {
    expect(() => loadSettings({ env: {}, cwd: tempFolder(), configFile: '/nowhere/dwh.cfg' })).toThrow(
      'Cannot read config file /nowhere/dwh.cfg: no such file (ENOENT)',
    );
    const folder = tempFolder();
    expect(() => loadSettings({ env: {}, cwd: folder, configFile: folder })).toThrow(
      `Cannot read config file ${folder}: a folder, not a file (EISDIR)`,
    );
  });
});
