/**
 * Runs the real `sparkify` executable (bin/sparkify.js over the built dist/) as a user would, with pipes
 * for stdout and stderr, so nothing here is a terminal.
 */
import { spawnSync } from 'node:child_process';

/** The executable, for a test that runs it in a shell pipeline. */
export const BIN = new URL('../../bin/sparkify.js', import.meta.url).pathname;

/** The outcome of one CLI invocation. */
export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `sparkify ...args` in `cwd` with only the given environment variables (plus PATH). */
export function sparkify(args: readonly string[], cwd: string, env: Record<string, string> = {}): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
