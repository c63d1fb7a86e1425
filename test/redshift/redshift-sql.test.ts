/**
 * The SQL a Redshift run sends, checked statement by statement against files written by hand from the
 * Redshift documentation (test/redshift/expected), for the classic dwh.cfg with single-quoted values.
 */
import { describe, expect, it } from 'vitest';
import { loadSettings, type SettingOptions } from '../../src/config/settings.js';
import { ConfigError } from '../../src/errors.js';
import { planRun, type PlannedStatement } from '../../src/pipeline/run-plan.js';
import type { StageName } from '../../src/pipeline/progress.js';
import { STAGING_EVENTS, STAGING_SONGS } from '../../src/schema/staging-tables.js';
import { RedshiftDialect } from '../../src/warehouses/redshift/redshift-dialect.js';
import { expectedStatements } from './expected-sql.js';

const CLASSIC_CONFIG = new URL('./fixtures/dwh.cfg', import.meta.url).pathname;
const PASSWORD = 'Passw0rd-N0t-F0r-Print';

function classicSettings(options: SettingOptions = {}) {
  return loadSettings({ configFile: CLASSIC_CONFIG, options, env: {}, cwd: '/' });
}

function sqlOf(plan: readonly PlannedStatement[], stage: StageName): string[] {
  return plan.filter((step) => step.stage === stage && step.sql !== undefined).map((step) => step.sql!);
}

/** Compares one statement at a time, so a failure names the statement that differs. */
function expectStatements(actual: readonly string[], expected: readonly string[]): void {
  for (let i = 0; i < Math.max(actual.length, expected.length); i++) {
    expect(actual[i], `statement ${i + 1}`).toBe(expected[i]);
  }
}

describe('Redshift SQL for the classic dwh.cfg', () => {
  it('reads the classic dwh.cfg (single-quoted values) as a Redshift warehouse with its IAM role and S3 paths', () => {
    const settings = classicSettings();
    expect(settings.warehouse).toMatchObject({ kind: 'redshift' });
    expect(settings.iamRole).toBe('arn:aws:iam::123456789012:role/dwhRole');
    expect(settings).toMatchObject({
      songData: 's3://udacity-dend/song_data',
      logData: 's3://udacity-dend/log_data',
      logJsonPath: 's3://udacity-dend/log_json_path.json',
    });
  });

  for (const stage of ['create-tables', 'stage-songs', 'stage-events', 'publish'] as const) {
    it(`sends the ${stage} statements of expected/${stage}.sql`, async () => {
      expectStatements(sqlOf(await planRun(classicSettings()), stage), expectedStatements(stage));
    });
  }

  it("reads load errors from the SYS views on Serverless, and names udacity-dend's region, not the workgroup's", async () => {
    const warehouse = `redshift://admin:${PASSWORD}@sparkify.123456789012.eu-west-1.redshift-serverless.amazonaws.com:5439/dev`;
    const songs = sqlOf(await planRun(classicSettings({ warehouse })), 'stage-songs');
    expect(songs[0]).toContain("\nREGION 'us-west-2'\n");
    expectStatements(songs.slice(1, 3), expectedStatements('serverless-readback'));
  });

  it('names the configured region over the known one (the rest of the region rule: copy-region.test.ts)', async () => {
    const configured = sqlOf(await planRun(classicSettings({ region: 'us-east-1' })), 'stage-events');
    expect(configured[0]).toContain("\nREGION 'us-east-1'\n");
    const tunnel = sqlOf(await planRun(classicSettings({ warehouse: 'redshift://dwhuser:pw@localhost:5439/dwh' })), 'stage-events');
    expect(tunnel[0]).toContain("\nREGION 'us-west-2'\n");
  });

  it("lets each COPY tolerate exactly --max-errors rejects, up to Redshift's MAXERROR limit", async () => {
    const copy = async (maxErrors: number) => sqlOf(await planRun(classicSettings({ maxErrors })), 'stage-songs')[0]!;
    expect(await copy(10)).toMatch(/\nMAXERROR 11$/);
    expect(await copy(250_000)).toMatch(/\nMAXERROR 100000$/);
  });

  it('never prints the password, but does print the IAM role', async () => {
    const text = JSON.stringify(await planRun(classicSettings()));
    expect(text).not.toContain(PASSWORD);
    expect(text).toContain('arn:aws:iam::123456789012:role/dwhRole');
  });

  it('refuses settings COPY cannot work with, saying what to set', async () => {
    const noRole = loadSettings({
      options: { warehouse: 'redshift://u:p@x.abc.us-west-2.redshift.amazonaws.com:5439/dev', source: 's3://b/p' },
      env: {},
      cwd: '/',
    });
    await expect(planRun(noRole)).rejects.toThrow(ConfigError);
    await expect(planRun(noRole)).rejects.toThrow(/\[IAM_ROLE\]/);

    const local = classicSettings({ source: '/data/sparkify' });
    await expect(planRun(local)).rejects.toThrow(
      /COPY reads only from S3, but the song data .* is \/data\/sparkify\/song_data: give s3:\/\/ locations/,
    );

    const nested = classicSettings({ logJsonPath: 's3://udacity-dend/log_data/log_json_path.json' });
    await expect(planRun(nested)).rejects.toThrow(/lies under the data it describes/);
  });
});

describe('RedshiftDialect', () => {
  const dialect = new RedshiftDialect();

  it('stages the origin columns as nullable and the float-written epochs as DOUBLE PRECISION, nothing else', () => {
    const events = dialect.stagingLayout(STAGING_EVENTS);
    const changed = events.columns.filter((column, i) => JSON.stringify(column) !== JSON.stringify(STAGING_EVENTS.columns[i]));
    expect(changed.map((column) => column.name)).toEqual(['registration', 'source_file', 'line_number']);
    expect(events.columns.find((column) => column.name === 'ts')?.type).toBe('bigint');
    expect(dialect.stagingLayout(STAGING_SONGS).columns.filter((column) => column.notNull)).toEqual([]);
  });

  it('breaks ties by content, since COPY keeps no file or line', () => {
    expect(dialect.recordOrder(['title', 'year'])).toBe('title NULLS LAST, year NULLS LAST');
    expect(dialect.recordOrder(['level'], true)).toBe('level DESC NULLS LAST');
    expect(dialect.byteOrder('song_id')).toBe('song_id');
  });
});
