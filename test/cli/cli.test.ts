/**
 * The command line as a user meets it: the built executable, real files, exit codes and output.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../support/test-warehouses.js';
import { BIN, sparkify } from './run-cli.js';

const TINY = new URL('../fixtures/tiny', import.meta.url).pathname;

describe('sparkify CLI', () => {
  it('lists every verb in --help', () => {
    const { status, stdout } = sparkify(['--help'], tempFolder());
    expect(status).toBe(0);
    for (const verb of ['run', 'create-tables', 'etl', 'query']) expect(stdout).toMatch(new RegExp(`^\\s+${verb}\\b`, 'm'));
  });

  it('documents the load options in run --help', () => {
    const { stdout } = sparkify(['run', '--help'], tempFolder());
    for (const option of ['--source', '--song-data', '--log-data', '--warehouse', '--config', '--max-errors', '--json']) {
      expect(stdout).toContain(option);
    }
  });

  it('runs on a folder, prints a summary that reconciles, and writes the DuckDB file', () => {
    const cwd = tempFolder();
    const { status, stdout, stderr } = sparkify(['run', '--source', TINY], cwd);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toMatch(/events\s+2\s+0\s+0\s+0\s+11\s+11\s+0/);
    expect(stdout).toMatch(/songplays\s+6/);
    expect(stdout).toContain('songplays matched to a song: 4 of 6 (66.7%)');
    expect(existsSync(join(cwd, 'sparkify.duckdb'))).toBe(true);
  });

  it('prints a JSON summary with --json and no progress display', () => {
    const cwd = tempFolder();
    const { status, stdout, stderr } = sparkify(['run', '--source', TINY, '--json'], cwd);
    expect(status).toBe(0);
    expect(stderr).toBe('');
    const summary = JSON.parse(stdout);
    expect(summary.tables).toEqual({ songplays: 6, users: 2, songs: 4, artists: 3, time: 5 });
    expect(summary.events).toMatchObject({ read: 11, staged: 11, rejected: 0 });
  });

  it('prints a failed run as JSON with --json: the error, the exit code, the run id and what stopped it', () => {
    const cwd = tempFolder();
    const source = join(cwd, 'source');
    cpSync(TINY, source, { recursive: true });
    appendFileSync(join(source, 'log_data/2018/11/2018-11-01-events.json'), 'not json\n');
    const rejected = sparkify(['run', '--source', source, '--json'], cwd);
    expect(rejected.status).toBe(1);
    expect(JSON.parse(rejected.stdout)).toEqual({
      error: expect.stringMatching(/^1 record\(s\) rejected, more than --max-errors 0;/),
      exitCode: 1,
      runId: 1,
      rejected: 1,
      maxErrors: 0,
    });
    expect(rejected.stderr).toMatch(/^sparkify: 1 record\(s\) rejected/);
    // Refused before any run: no run id.
    const refused = sparkify(['run', '--source', join(cwd, 'nowhere'), '--json'], cwd);
    expect(refused.status).toBe(2);
    expect(JSON.parse(refused.stdout)).toEqual({ error: expect.stringContaining('does not exist'), exitCode: 2 });
    const badFlag = sparkify(['run', '--source', source, '--match', 'bogus', '--json'], cwd);
    expect(badFlag.status).toBe(2);
    expect(JSON.parse(badFlag.stdout)).toEqual({ error: expect.stringContaining('--match'), exitCode: 2 });
  });

  it('answers queries as a table or as JSON with ISO timestamps', () => {
    const cwd = tempFolder();
    sparkify(['run', '--source', TINY], cwd);
    const table = sparkify(['query', 'select user_id, level from users order by user_id'], cwd);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/user_id\s+level\n-+\s+-+\n\s+2\s+paid\n\s+8\s+free\n\(2 rows\)/);
    const json = sparkify(['query', 'select max(start_time) as last, count(*) as plays from songplays', '--json'], cwd);
    expect(JSON.parse(json.stdout)).toEqual([{ last: '2018-11-03T00:48:20.796Z', plays: 6 }]);
  });

  it('prints a result of 200,000 rows, and ends quietly with its own exit code when the reader stops early', () => {
    const cwd = tempFolder();
    sparkify(['run', '--source', TINY], cwd);
    // Far more than a pipe holds, so the writes after `head` exits fail with EPIPE.
    const piped = spawnSync(
      'bash',
      [
        '-c',
        `"${process.execPath}" "${BIN}" query "SELECT range AS n FROM range(200000)" 2>stderr.txt | head -3; echo "status \${PIPESTATUS[0]}"`,
      ],
      { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } },
    );
    expect(piped.stdout).toMatch(/^\s*n\n-+\n\s*0\nstatus 0\n$/);
    expect(readFileSync(join(cwd, 'stderr.txt'), 'utf8')).toBe('');
  });

  it('refuses to write through query', () => {
    const cwd = tempFolder();
    sparkify(['run', '--source', TINY], cwd);
    const { status, stderr } = sparkify(['query', 'delete from songplays'], cwd);
    expect(status).toBe(1);
    expect(stderr).toMatch(/^sparkify: Query failed: .*read-only/);
    expect(sparkify(['query', 'select count(*) as n from songplays', '--json'], cwd).stdout).toContain('"n": 6');
    // An empty query is a usage error in words, not DuckDB's "Error in native callback".
    for (const empty of ['', '   ', ' ; ']) {
      const refused = sparkify(['query', empty], cwd);
      expect(refused.status).toBe(2);
      expect(refused.stderr).toBe(
        'sparkify: The query is empty: give one SQL statement, for example sparkify query "select count(*) from songplays"\n',
      );
    }
  });

  it('exits 2 with one line naming the flag on a bad value', () => {
    const { status, stderr } = sparkify(['run', '--source', TINY, '--max-errors', 'many'], tempFolder());
    expect(status).toBe(2);
    expect(stderr).toBe('sparkify: --max-errors: expected a whole number >= 0, got "many"\n');
    // An empty flag is a mistake, not the default (an empty SPARKIFY_MAX_ERRORS still means unset).
    const empty = sparkify(['run', '--source', TINY, '--max-errors', ''], tempFolder());
    expect(empty.status).toBe(2);
    expect(empty.stderr).toBe('sparkify: --max-errors: expected a value, got ""\n');
    expect(sparkify(['run', '--source', TINY], tempFolder(), { SPARKIFY_MAX_ERRORS: '' }).status).toBe(0);
  });

  it('refuses a local folder for a Redshift COPY before connecting, in one line', () => {
    // Nothing listens on port 1: a run that connected first would fail on the connection instead.
    const { status, stderr } = sparkify(['run', '--source', TINY, '--warehouse', 'redshift://u:p@127.0.0.1:1/dev'], tempFolder(), {
      SPARKIFY_IAM_ROLE: 'arn:aws:iam::123456789012:role/dwhRole',
    });
    expect(status).toBe(2);
    expect(stderr).toBe(
      `sparkify: Redshift's COPY reads only from S3, but the song data ([S3] SONG_DATA, --song-data or --source) is ${join(TINY, 'song_data')}: ` +
        "give s3:// locations, as in SONG_DATA='s3://udacity-dend/song_data'\n",
    );
  });

  it('names a missing source folder and what named it, before creating any warehouse', () => {
    const cwd = tempFolder();
    const { status, stderr } = sparkify(['run', '--source', '/nowhere'], cwd);
    expect(status).toBe(2);
    expect(stderr).toBe('sparkify: --source: the folder /nowhere/song_data does not exist\n');
    writeFileSync(join(cwd, 'k.cfg'), '[SPARKIFY]\nSOURCE=/nowhere\n');
    const configured = sparkify(['run', '--config', 'k.cfg'], cwd);
    expect(configured.status).toBe(2);
    expect(configured.stderr).toBe(`sparkify: ${join(cwd, 'k.cfg')} [SPARKIFY] SOURCE: the folder /nowhere/song_data does not exist\n`);
    expect(existsSync(join(cwd, 'sparkify.duckdb'))).toBe(false);
  });

  it('reads settings from SPARKIFY_* variables and dwh.cfg', () => {
    const cwd = tempFolder();
    const { status, stdout } = sparkify(['run', '--json'], cwd, { SPARKIFY_SOURCE: TINY, SPARKIFY_WAREHOUSE: 'duckdb:env.duckdb' });
    expect(status).toBe(0);
    expect(JSON.parse(stdout).warehouse).toBe('duckdb:env.duckdb');
    expect(existsSync(join(cwd, 'env.duckdb'))).toBe(true);

    const withFile = tempFolder();
    writeFileSync(join(withFile, 'dwh.cfg'), `[SPARKIFY]\nSOURCE='${TINY}'\nWAREHOUSE=duckdb:from-file.duckdb\n`);
    const fromFile = sparkify(['run', '--json'], withFile);
    expect(fromFile.status).toBe(0);
    expect(JSON.parse(fromFile.stdout)).toMatchObject({ warehouse: 'duckdb:from-file.duckdb', bundledSample: false });
  });

  it('drops and recreates every table with create-tables', () => {
    const cwd = tempFolder();
    sparkify(['run', '--source', TINY], cwd);
    const { status, stdout } = sparkify(['create-tables'], cwd);
    expect(status).toBe(0);
    expect(stdout).toContain(
      'Created staging_events, staging_songs, load_errors, songs, artists, users, songplays, time, user_levels, check_failures, sparkify_files, sparkify_runs',
    );
    expect(JSON.parse(sparkify(['query', 'select count(*) as n from songplays', '--json'], cwd).stdout)).toEqual([{ n: 0 }]);
  });
});

describe('sparkify run with no source', () => {
  it('loads the bundled sample into ./sparkify.duckdb and says what to try next', () => {
    const cwd = tempFolder();
    const { status, stdout } = sparkify(['run'], cwd);
    expect(status).toBe(0);
    expect(stdout).toContain('Run 1 (first load) loaded the bundled sample into duckdb:sparkify.duckdb');
    expect(stdout).toMatch(/songplays\s+2126/);
    expect(stdout).toContain('songplays matched to a song: 759 of 2,126');
    expect(stdout).toContain('Next: sparkify query "select * from songplays limit 5", or');
    expect(existsSync(join(cwd, 'sparkify.duckdb'))).toBe(true);
  });

  it('into another warehouse: the hint names it, and following the hint works; an empty result keeps its column names', () => {
    const cwd = tempFolder();
    const { status, stdout } = sparkify(['run', '--warehouse', 'duckdb:other.duckdb'], cwd);
    expect(status).toBe(0);
    expect(stdout).toContain('Next: sparkify query "select * from songplays limit 5" --warehouse duckdb:other.duckdb, or');
    const followed = sparkify(['query', 'select song_id, title from songs where 1 = 0', '--warehouse', 'duckdb:other.duckdb'], cwd);
    expect(followed.status).toBe(0);
    expect(followed.stdout).toBe('song_id  title\n-------  -----\n(0 rows)\n');
  });

  it('check on a DuckDB file that does not exist says to run first, and creates no file', () => {
    const cwd = tempFolder();
    const { status, stderr } = sparkify(['check', '--warehouse', 'duckdb:missing.duckdb'], cwd);
    expect(status).not.toBe(0);
    expect(stderr.trim()).toBe('sparkify: No DuckDB warehouse at missing.duckdb: run `sparkify run` first to build it.');
    expect(existsSync(join(cwd, 'missing.duckdb'))).toBe(false);
  });
});
