/**
 * The `sparkify` command line: a thin layer that parses arguments with commander and calls the library.
 * Each verb lives in `commands/<verb>-command.ts`.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { SparkifyError, describeError } from '../errors.js';
import { createTablesCommand } from './commands/create-tables-command.js';
import { etlCommand } from './commands/etl-command.js';
import { planCommand } from './commands/plan-command.js';
import { runCommand } from './commands/run-command.js';
import { queryCommand } from './commands/query-command.js';
import { generateCommand } from './commands/generate-command.js';
import { infraCommand } from './commands/infra-command.js';

/** Builds the commander program with every verb registered. */
export function buildProgram(): Command {
  const program = new Command('sparkify')
    .description(
      'Load Sparkify song metadata and event logs (local folders or S3) into a star schema ' +
        '(songplays, users, songs, artists, time) on DuckDB, PostgreSQL or Amazon Redshift.',
    )
    .version(packageVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const command of [
    runCommand(),
    createTablesCommand(),
    etlCommand(),
    queryCommand(),
    generateCommand(),
    planCommand(),
    infraCommand(),
  ]) {
    program.addCommand(command.exitOverride());
  }
  return program;
}

/**
 * Runs the CLI and returns the process exit code: 0 on success, 1 on a failed run, 2 on bad usage or config.
 * Errors are printed as one line; `--verbose` (or SPARKIFY_VERBOSE=1) adds the stack and causes.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has already printed help, the version or the usage error itself.
      return error.exitCode === 0 ? 0 : 2;
    }
    printError(error, argv.includes('--verbose') || process.env.SPARKIFY_VERBOSE === '1');
    return error instanceof SparkifyError ? error.exitCode : 1;
  }
}

function printError(error: unknown, verbose: boolean): void {
  process.stderr.write(`sparkify: ${describeError(error)}\n`);
  if (!verbose) return;
  let current: unknown = error;
  while (current instanceof Error) {
    process.stderr.write(`${current.stack ?? current.message}\n`);
    current = current.cause;
    if (current !== undefined) process.stderr.write('caused by: ');
  }
}

function packageVersion(): string {
  // The package.json sits two levels above dist/cli/ and src/cli/ alike.
  const url = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}
