/**
 * `sparkify report` and `sparkify dashboard` as a user meets them: the built executable on a fresh folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../support/test-warehouses.js';
import { sparkify } from './run-cli.js';

describe('sparkify report and dashboard', () => {
  it('lists both verbs in --help and documents their options', () => {
    const { stdout } = sparkify(['--help'], tempFolder());
    for (const verb of ['report', 'dashboard']) expect(stdout).toMatch(new RegExp(`^\\s+${verb}\\b`, 'm'));
    expect(sparkify(['report', '--help'], tempFolder()).stdout).toContain('--out <file>');
    const dashboardHelp = sparkify(['dashboard', '--help'], tempFolder()).stdout;
    for (const option of ['--port <n>', '--host <address>', '--open']) expect(dashboardHelp).toContain(option);
  });

  it('writes ./sparkify-report.html after `sparkify run` on a fresh folder, with no reference to anything outside it', () => {
    const cwd = tempFolder();
    expect(sparkify(['run'], cwd).status).toBe(0);
    const { status, stdout } = sparkify(['report'], cwd);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^Wrote .*sparkify-report\.html \(\d+ KB\)/);
    const html = readFileSync(join(cwd, 'sparkify-report.html'), 'utf8');
    expect(html).toContain('data-testid="plays">2,126<');
    expect(html).not.toMatch(/\b(?:src|href)="(?:https?:)?\/\//);
    expect(html).not.toContain('<script');
  });

  it('says what to do when there is no warehouse yet, and refuses a bad port', () => {
    const cwd = tempFolder();
    const missing = sparkify(['report'], cwd);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^sparkify: No DuckDB warehouse at .*sparkify\.duckdb: run `sparkify run` first/);
    expect(existsSync(join(cwd, 'sparkify-report.html'))).toBe(false);
    const port = sparkify(['dashboard', '--port', 'eighty'], cwd);
    expect(port.status).toBe(2);
    expect(port.stderr).toBe('sparkify: Bad --port eighty: expected a port number 0-65535\n');
  });
});
