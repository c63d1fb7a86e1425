/**
 * The `sparkify` command line: a thin layer that parses arguments with commander and calls the library.
 * Each verb lives in `commands/<verb>-command.ts`.
 */
import { Command, CommanderError } from 'commander';
import { SparkifyError, describeError } from '../errors.js';
import { sparkifyVersion } from '../pipeline/run-settings.js';
import { createTablesCommand } from './commands/create-tables-command.js';
import { etlCommand } from './commands/etl-command.js';
import { planCommand } from './commands/plan-command.js';
import { runCommand } from './commands/run-command.js';
import { queryCommand } from './commands/query-command.js';
import { generateCommand } from './commands/generate-command.js';
import { checkCommand } from './commands/check-command.js';
import { explainMatchesCommand } from './commands/explain-matches-command.js';
import { runsCommand } from './commands/runs-command.js';
import { reportCommand } from './commands/report-command.js';
import { dashboardCommand } from './commands/dashboard-command.js';
import { infraCommand } from './commands/infra-command.js';

/** Builds the commander program with every verb registered. */
export function buildProgram(): Command {
  const program = new Command('sparkify')
    .description(
      'Load Sparkify song metadata and event logs (local folders or S3) into a star schema ' +
        '(songplays, users, songs, artists, time) on DuckDB, PostgreSQL or Amazon Redshift.',
    )
    .version(sparkifyVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const command of [
    runCommand(),
    createTablesCommand(),
    etlCommand(),
    queryCommand(),
    generateCommand(),
    planCommand(),
    checkCommand(),
    explainMatchesCommand(),
    runsCommand(),
    reportCommand(),
    dashboardCommand(),
    infraCommand(),
  ]) {
    program.addCommand(command.exitOverride());
  }
  return program;
}

/**
 * Runs the CLI and returns the process exit code: 0 on success, 1 on a failed run, 2 on bad usage or config,
 * 3 when another run holds the warehouse, 130 or 143 when stopped by SIGINT or SIGTERM.
 * Errors are printed as one line; `--verbose` (or SPARKIFY_VERBOSE=1) adds the stack and causes.
 */
export async function main(argv: readonly string[]): Promise<number> {
  ignoreClosedPipes();
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

/**
 * Output piped into a reader that stops early (`sparkify runs | head -1`) fails to write with EPIPE, which
 * Node raises as an unhandled error with a stack trace. What was not read is dropped: the command still
 * ends as it would have (a run still publishes), with its own exit code.
 */
function ignoreClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.listenerCount('error') > 0) continue;
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
}

function printError(error: unknown, verbose: boolean): void {
  process.stderr.write(`sparkify: ${describeError(error)}\n`);
  if (!verbose) return;
  printChain(error, '');
}

// The stack of `error`, then its causes, then failures of the clean-up that followed it (`suppressed`).
function printChain(error: unknown, indent: string): void {
  let current: unknown = error;
  while (current instanceof Error) {
    process.stderr.write(`${indent}${current.stack ?? current.message}\n`);
    for (const suppressed of (current as { suppressed?: unknown[] }).suppressed ?? []) {
      process.stderr.write(`${indent}while cleaning up, also: `);
      printChain(suppressed, `${indent}  `);
    }
    current = current.cause;
    if (current !== undefined) process.stderr.write(`${indent}caused by: `);
  }
  if (current !== undefined && !(current instanceof Error)) process.stderr.write(`${indent}${String(current)}\n`);
}
