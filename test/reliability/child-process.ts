/**
 * Helpers of the reliability suites: the real `sparkify` executable started as a child process (so several
 * can run at once, and real signals can be sent to them), and generated datasets.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const BIN = new URL('../../bin/sparkify.js', import.meta.url).pathname;

/** How a child process ended. */
export interface ChildResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running `sparkify` child and the promise of its end. */
export interface RunningChild {
  readonly child: ChildProcess;
  readonly done: Promise<ChildResult>;
}

/** Starts `sparkify ...args` in `cwd` with only PATH and `env`, output piped. */
export function startSparkify(args: readonly string[], cwd: string, env: Record<string, string> = {}): RunningChild {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<ChildResult>((resolve) => child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr })));
  return { child, done };
}

/** Runs `sparkify ...args` to its end. */
export function sparkifyAsync(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<ChildResult> {
  return startSparkify(args, cwd, env).done;
}

/** Generates a dataset into `folder/name` with `sparkify generate` (deterministic for the options). */
export function generateDataset(folder: string, name: string, options: readonly string[]): string {
  const out = join(folder, name);
  const result = spawnSync(process.execPath, [BIN, 'generate', '--out', out, '--json', ...options], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
    timeout: 300_000,
  });
  if (result.status !== 0) throw new Error(`sparkify generate failed: ${result.stderr}`);
  return out;
}

/** Resolves once `condition()` holds (polled), or rejects after `timeoutMs`. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
