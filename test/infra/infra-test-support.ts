/**
 * Running `sparkify infra ...` as a user would (the built CLI in a child process) against the loopback AWS
 * server, with a hermetic environment: the server's endpoints and dummy keys, no profile or shared files,
 * no instance metadata, and polls a few milliseconds apart.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { CliResult } from '../cli/run-cli.js';
import type { AwsServer } from '../support/aws-server/aws-server.js';
import { tempFolder } from '../support/test-warehouses.js';

const NOWHERE = join(tempFolder('sparkify-no-aws-'), 'absent');

/** Variables that keep the SDK away from the developer's AWS setup and from real AWS. */
export const HERMETIC_AWS: Record<string, string> = {
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: NOWHERE,
  AWS_SHARED_CREDENTIALS_FILE: NOWHERE,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  SPARKIFY_INFRA_POLL_SECONDS: '0.01',
};

const BIN = new URL('../../bin/sparkify.js', import.meta.url).pathname;

/**
 * Runs `sparkify ...args` in `cwd` against `server`; `env` adds or (with '') blanks variables. Asynchronous,
 * unlike test/cli/run-cli.ts: the server runs in this process and must answer while the CLI waits.
 */
export function sparkifyOnAws(
  server: AwsServer,
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<CliResult> {
  const merged: Record<string, string> = { PATH: process.env.PATH ?? '', ...HERMETIC_AWS, ...server.env(), ...env };
  for (const [name, value] of Object.entries(merged)) if (value === '') delete merged[name];
  return spawnSparkify(args, cwd, merged, { timeoutMs: 60_000 });
}

/**
 * Runs the built CLI with exactly `env`, collecting its output; `echoStderr` also shows its progress as it
 * comes (the live test's long waits).
 */
export function spawnSparkify(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  options: { timeoutMs?: number; echoStderr?: boolean } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: options.timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (options.echoStderr) process.stderr.write(chunk);
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
