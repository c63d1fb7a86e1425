/**
 * What a user sees from `sparkify plan` and `sparkify run` with the dwh.cfg files of the corpus: one error
 * line and exit code 2 for a placeholder, the notes in the plan and the run summary, and never a secret.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sparkify } from '../cli/run-cli.js';
import { tempFolder } from '../support/test-warehouses.js';

const CORPUS = new URL('./dwh-corpus/', import.meta.url).pathname;
const TINY = new URL('../fixtures/tiny', import.meta.url).pathname;

describe('sparkify with a dwh.cfg', () => {
  it('stops a plan at a placeholder host with one line naming the key, exit code 2', () => {
    const file = join(CORPUS, '12-host-angle-brackets.cfg');
    const { status, stdout, stderr } = sparkify(['plan', '--config', file], tempFolder());
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `sparkify: ${file} [CLUSTER] HOST holds a placeholder '<ENDPOINT>': set it to the cluster's endpoint, ` +
        'e.g. mycluster.abc123xyz.us-west-2.redshift.amazonaws.com (or leave it empty for the embedded DuckDB warehouse)\n',
    );
  });

  it('says in the plan that an empty host means the embedded warehouse', () => {
    const file = join(CORPUS, '28-empty-host-duckdb.cfg');
    const { status, stdout } = sparkify(['plan', '--config', file], tempFolder());
    expect(status).toBe(0);
    expect(stdout.split('\n').slice(0, 2)).toEqual([
      '-- sparkify plan for duckdb:sparkify.duckdb: the statements a run sends, in order (nothing was run)',
      `-- note: ${file} [CLUSTER] HOST is empty: loading into the embedded DuckDB warehouse`,
    ]);
  });

  it('puts the notes of a JSON plan on stderr, and never the AWS keys or the password', () => {
    const file = join(CORPUS, '10-iac-notebook.cfg');
    const { status, stdout, stderr } = sparkify(['plan', '--config', file, '--json'], tempFolder());
    expect(status).toBe(0);
    expect(Array.isArray(JSON.parse(stdout))).toBe(true);
    expect(stderr).toMatch(/^sparkify: note: \S+ \[AWS\] KEY, \[AWS\] SECRET: AWS keys in dwh\.cfg are not used/);
    for (const secret of ['AKIAEXAMPLE', 'not-a-real-secret', 'Passw0rd']) expect(stdout + stderr).not.toContain(secret);
    expect(stdout).toContain("REGION 'us-west-2' is where udacity-dend is");
  });

  it('ends the run summary with the notes, in text and in JSON', () => {
    const cwd = tempFolder();
    writeFileSync(join(cwd, 'dwh.cfg'), `[CLUSTER]\nHOST=''\nDB_PASSWORD=''\n\n[SPARKIFY]\nSOURCE='${TINY}'\n`);
    const note = `${join(cwd, 'dwh.cfg')} [CLUSTER] HOST is empty: loading into the embedded DuckDB warehouse`;
    const text = sparkify(['run'], cwd);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(`\nnote: ${note}\n`);
    const json = sparkify(['run', '--json'], cwd);
    expect(JSON.parse(json.stdout).notes).toEqual([note]);
  });
});
