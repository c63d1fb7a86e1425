/**
 * `sparkify plan` for Redshift's staged loading (the built executable, no cluster, no S3): a local folder as
 * the source, the COPYs read manifests under the staging prefix, the run is planned as an incremental one
 * (batch tables, ledger), and no password is printed. Also the settings: the staging location from each
 * layer, the default mode, and the errors for bad values.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/settings.js';
import { ConfigError } from '../../src/errors.js';
import { sparkify } from '../cli/run-cli.js';
import { tempFolder } from '../support/test-warehouses.js';

const TINY = new URL('../fixtures/tiny', import.meta.url).pathname;
const WAREHOUSE = 'redshift://dwhuser:Passw0rd-N0t-F0r-Print@dwh.abc123.us-west-2.redshift.amazonaws.com:5439/dwh';
const ROLE = 'arn:aws:iam::123456789012:role/dwhRole';

describe('Redshift staged loading: settings and plan', () => {
  it('takes the staging location from the flag, SPARKIFY_S3_STAGING or [SPARKIFY] S3_STAGING, staged by default then', () => {
    const folder = tempFolder();
    writeFileSync(join(folder, 'dwh.cfg'), '[SPARKIFY]\nS3_STAGING = s3://from-file/stage\nKEEP_STAGING = true\n');
    const fromFile = loadSettings({ env: {}, cwd: folder });
    expect(fromFile.storageLoad).toEqual({ mode: 'staged', staging: 's3://from-file/stage/', keep: true });
    const fromEnv = loadSettings({ env: { SPARKIFY_S3_STAGING: 's3://from-env/x/' }, cwd: folder });
    expect(fromEnv.storageLoad.staging).toBe('s3://from-env/x/');
    const direct = loadSettings({ options: { redshiftLoad: 'direct', s3Staging: 's3://bkt/p' }, env: {}, cwd: tempFolder() });
    expect(direct.storageLoad).toEqual({ mode: 'direct', staging: 's3://bkt/p/', keep: false });
    expect(loadSettings({ env: {}, cwd: tempFolder() }).storageLoad).toEqual({ mode: 'direct', keep: false });
  });

  it('says which value is wrong: a staging location that is not S3, a mode, staged without a location', () => {
    const bad = (options: Record<string, string>) => () => loadSettings({ options, env: {}, cwd: tempFolder() });
    expect(bad({ s3Staging: '/tmp/stage' })).toThrow(
      new ConfigError('option s3Staging: expected an S3 prefix such as s3://my-bucket/sparkify-staging/, got "/tmp/stage"'),
    );
    expect(bad({ redshiftLoad: 'fast' })).toThrow(new ConfigError('option redshiftLoad: expected staged or direct, got "fast"'));
    expect(bad({ redshiftLoad: 'staged' })).toThrow(/option redshiftLoad: staged loading needs an S3 staging location: give --s3-staging/);
  });

  it('plans a local folder into Redshift: COPY ... MANIFEST into the batch tables, the manifests named, no password', () => {
    const { status, stdout, stderr } = sparkify(
      ['plan', '--source', TINY, '--warehouse', WAREHOUSE, '--s3-staging', 's3://my-staging/sparkify'],
      tempFolder(),
      { SPARKIFY_IAM_ROLE: ROLE },
    );
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).not.toContain('Passw0rd-N0t-F0r-Print');
    for (const table of ['batch_staging_songs', 'batch_staging_events', 'batch_load_errors', 'batch_files']) {
      expect(stdout).toContain(
        `FROM 's3://my-staging/sparkify/<run>/${table}.manifest'\nIAM_ROLE '${ROLE}'\nMANIFEST\nFORMAT AS CSV\nGZIP`,
      );
    }
    expect(stdout).toContain(`sparkify reads the new and changed files of ${TINY}/song_data itself`);
    // No COPY from the source: it is a local folder, which COPY could not read.
    expect(stdout.match(/^COPY /gm)).toHaveLength(4);
    expect(stdout).toContain('CREATE TABLE batch_staging_events');
    expect(stdout).toContain('A run that finds nothing new publishes nothing');
  });
});
