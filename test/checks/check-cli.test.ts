/**
 * The quality checks and the match explanation as a user meets them: the built executable, a `./checks`
 * folder found by default, exit codes, one-line errors and `--json`; and the settings that feed them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/settings.js';
import { ConfigError } from '../../src/errors.js';
import { sparkify } from '../cli/run-cli.js';
import { tempFolder } from '../support/test-warehouses.js';

const TINY = new URL('../fixtures/tiny', import.meta.url).pathname;

describe('check, explain-matches and the gate on the command line', () => {
  it('lists check and explain-matches in --help, and the check options in run --help', () => {
    expect(sparkify(['--help'], tempFolder()).stdout).toMatch(/^\s+check\b[\s\S]*^\s+explain-matches\b/m);
    const { stdout } = sparkify(['run', '--help'], tempFolder());
    for (const option of ['--checks <folder>', '--min-match-rate <share>', '--match <mode>']) expect(stdout).toContain(option);
  });

  it('runs the ./checks folder by default: a failing check exits 1 with its name, count and keys, and nothing is published', () => {
    const cwd = tempFolder();
    expect(sparkify(['run', '--source', TINY], cwd).status).toBe(0);
    const before = sparkify(['query', '--json', 'select count(*) as n from songplays'], cwd).stdout;
    mkdirSync(join(cwd, 'checks'));
    writeFileSync(join(cwd, 'checks', 'no_plays.sql'), 'SELECT songplay_id FROM songplays\n');
    // A full refresh rebuilds the tables, so the gate runs on them (a run with nothing new publishes nothing).
    const failed = sparkify(['run', '--source', TINY, '--full-refresh'], cwd);
    expect(failed.status).toBe(1);
    expect(failed.stderr.trim().split('\n')).toHaveLength(1);
    expect(failed.stderr).toMatch(
      /^sparkify: Quality checks failed \(nothing was published.*no_plays \(error\): 6 failing rows; first keys: \d+, \d+, \d+, \d+, \d+/,
    );
    expect(failed.stdout).toMatch(/no_plays\s+error\s+failed\s+6\s+\d+, \d+, \d+, \d+, \d+/);
    expect(sparkify(['query', '--json', 'select count(*) as n from songplays'], cwd).stdout).toBe(before);

    const checked = sparkify(['check', '--json'], cwd);
    expect(checked.status).toBe(1);
    const report = JSON.parse(checked.stdout);
    expect(report).toMatchObject({ phase: 'check', failed: 1, blocking: true, userChecks: { folder: join(cwd, 'checks'), files: 1 } });
    const kept = JSON.parse(sparkify(['query', '--json', 'select count(*) as n from check_failures'], cwd).stdout);
    expect(kept).toEqual([{ n: 6 }]);
  });

  it('passes check without user checks and says there are none; explains matches as text and JSON', () => {
    const cwd = tempFolder();
    expect(sparkify(['run', '--source', TINY, '--match', 'normalized'], cwd).stdout).toMatch(/with --match exact: \d+/);
    const checked = sparkify(['check'], cwd);
    expect(checked.status).toBe(0);
    expect(checked.stdout).toMatch(/checks: 15 ran, 15 passed, 0 failed, 0 warnings; user checks: none \(no checks folder\)/);
    const text = sparkify(['explain-matches'], cwd);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^Plays \(NextSong events\) in duckdb:sparkify\.duckdb: \d+; matched a song with --match exact/);
    const json = JSON.parse(sparkify(['explain-matches', '--json'], cwd).stdout);
    expect(json.causes.reduce((sum: number, cause: { plays: number }) => sum + cause.plays, 0)).toBe(json.unmatched);
  });

  it('exits 2 on a bad --match or --min-match-rate, naming the flag', () => {
    const bad = sparkify(['run', '--source', TINY, '--match', 'fuzzy'], tempFolder());
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--match: expected exact or normalized, got "fuzzy"');
    expect(sparkify(['check', '--min-match-rate', '1.5'], tempFolder()).stderr).toContain(
      '--min-match-rate: expected a number from 0 to 1',
    );
  });
});

describe('check settings', () => {
  it('reads CHECKS, MIN_MATCH_RATE and MATCH from flags, SPARKIFY_* and [SPARKIFY]', () => {
    const cwd = tempFolder();
    writeFileSync(join(cwd, 'dwh.cfg'), '[SPARKIFY]\nCHECKS=cfg-checks\nMIN_MATCH_RATE=0.25\nMATCH=normalized\n');
    const fromFile = loadSettings({ cwd, env: {} });
    expect(fromFile).toMatchObject({ match: 'normalized', minMatchRate: 0.25, checks: { folder: join(cwd, 'cfg-checks') } });
    expect(fromFile.checks?.origin).toContain('[SPARKIFY] CHECKS');
    const fromEnv = loadSettings({ cwd, env: { SPARKIFY_CHECKS: '/x', SPARKIFY_MATCH: 'exact', SPARKIFY_MIN_MATCH_RATE: '1' } });
    expect(fromEnv).toMatchObject({ match: 'exact', minMatchRate: 1, checks: { folder: '/x', origin: 'SPARKIFY_CHECKS (environment)' } });
    expect(loadSettings({ cwd, env: {}, options: { minMatchRate: 0.5 } }).minMatchRate).toBe(0.5);
  });

  it('finds ./checks by default, and none when it is absent', () => {
    const cwd = tempFolder();
    expect(loadSettings({ cwd, env: {} })).toMatchObject({ match: 'exact', checks: undefined, minMatchRate: undefined });
    mkdirSync(join(cwd, 'checks'));
    expect(loadSettings({ cwd, env: {} }).checks).toEqual({ folder: join(cwd, 'checks') });
  });

  it('names the variable on a bad value', () => {
    expect(() => loadSettings({ env: { SPARKIFY_MATCH: 'loose' }, cwd: tempFolder() })).toThrow(ConfigError);
    expect(() => loadSettings({ env: { SPARKIFY_MIN_MATCH_RATE: 'half' }, cwd: tempFolder() })).toThrow(
      'SPARKIFY_MIN_MATCH_RATE (environment): expected a number from 0 to 1, got "half"',
    );
  });
});
