/**
 * `sparkify plan` as a user runs it (the built executable): the complete Redshift plan for the classic
 * dwh.cfg, never its password, without a cluster to connect to.
 */
import { describe, expect, it } from 'vitest';
import { sparkify } from '../cli/run-cli.js';
import { tempFolder } from '../support/test-warehouses.js';
import { expectedStatements, splitStatements } from './expected-sql.js';

const CLASSIC_CONFIG = new URL('./fixtures/dwh.cfg', import.meta.url).pathname;

describe('sparkify plan', () => {
  it('prints the complete Redshift plan for a classic dwh.cfg, without connecting and without the password', () => {
    const { status, stdout, stderr } = sparkify(['plan', '--config', CLASSIC_CONFIG], tempFolder());
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).not.toContain('Passw0rd-N0t-F0r-Print');
    expect(stdout).toMatch(
      /^-- sparkify plan for redshift:\/\/dwhuser:\*\*\*@dwhcluster\.c1a2b3c4d5e6\.us-west-2\.redshift\.amazonaws\.com:5439\/dwh/,
    );
    const expected = ['create-tables', 'stage-songs', 'stage-events', 'publish'].flatMap(expectedStatements);
    expect(splitStatements(stdout)).toEqual(expected);
    // The parts a reviewer looks for first.
    expect(stdout).toContain(
      "IAM_ROLE 'arn:aws:iam::123456789012:role/dwhRole'\nREGION 'us-west-2'\nFORMAT AS JSON 's3://udacity-dend/log_json_path.json'",
    );
    expect(stdout).toContain('songplay_id BIGINT NOT NULL');
    expect(stdout).toContain('STRTOL(SUBSTRING(MD5(');
    expect(stdout).toContain('DISTKEY (user_id)\nSORTKEY (start_time);');
    expect(stdout).toMatch(/BEGIN;\n\nDELETE FROM songs;\n\nINSERT INTO songs/);
  });

  it('prints the plan as JSON with --json', () => {
    const { status, stdout } = sparkify(['plan', '--config', CLASSIC_CONFIG, '--json'], tempFolder());
    expect(status).toBe(0);
    const steps = JSON.parse(stdout) as { stage: string; sql?: string }[];
    expect(steps[0]).toEqual({ stage: 'create-tables', sql: 'DROP TABLE IF EXISTS staging_events' });
    expect(steps.filter((step) => step.sql?.startsWith('COPY ')).map((step) => step.stage)).toEqual(['stage-songs', 'stage-events']);
  });

  it('describes the streamed load for DuckDB and shows COPY FROM STDIN for PostgreSQL, masking its password', () => {
    const duckdb = sparkify(['plan'], tempFolder());
    expect(duckdb.status).toBe(0);
    expect(duckdb.stdout).toMatch(
      /-- sparkify reads the song files under .*, checks each record and writes the good ones into Parquet segment files, which DuckDB loads with INSERT INTO batch_staging_songs SELECT/,
    );
    expect(duckdb.stdout).toMatch(/-- Rejected records of both datasets are written to batch_load_errors through DuckDB's Appender/);
    // The incremental publish: only the batch's files are replaced, then the touched keys rebuilt.
    expect(duckdb.stdout).toContain('DELETE FROM staging_events WHERE source_file IN (SELECT source_file FROM batch_files);');
    expect(duckdb.stdout).toContain('INSERT INTO songplays (songplay_id, start_time');
    expect(duckdb.stdout).toContain("CAST('0x' || SUBSTRING(MD5(");
    expect(duckdb.stdout).toContain('INSERT INTO sparkify_files (source_file, dataset, size, change_token');
    const postgres = sparkify(['plan', '--warehouse', 'postgres://etl:Very-Secret-1@db.example.com:5432/dwh'], tempFolder());
    expect(postgres.status).toBe(0);
    expect(postgres.stdout).toContain('COPY batch_staging_events (artist, auth,');
    expect(postgres.stdout).toContain('FROM STDIN WITH (FORMAT csv);');
    expect(postgres.stdout).toContain('COLLATE "C"');
    expect(postgres.stdout).not.toContain('Very-Secret-1');
  });

  it('says what to set when the Redshift settings cannot work (no IAM role), with exit code 2', () => {
    const { status, stderr } = sparkify(
      ['plan', '--warehouse', 'redshift://u:p@dwh.abc.us-west-2.redshift.amazonaws.com:5439/dev', '--source', 's3://udacity-dend'],
      tempFolder(),
    );
    expect(status).toBe(2);
    expect(stderr).toMatch(/^sparkify: Redshift stages the data with COPY from S3, which needs an IAM role .*\[IAM_ROLE\]/);
  });
});
