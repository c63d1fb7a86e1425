/**
 * `sparkify run`: the everyday command. Creates missing tables, loads staging, publishes the star schema.
 */
import { Command } from 'commander';
import { run } from '../../pipeline/run.js';
import { describeError, QualityCheckError, runIdOf, SparkifyError, TooManyRejectsError } from '../../errors.js';
import { formatCheckReport } from '../check-format.js';
import { settingsFromOptions, waitSecondsFromOptions, withLoadOptions, withWaitOption } from '../common-options.js';
import { incrementalFromOptions, withIncrementalOptions } from '../incremental-options.js';
import { handleInterrupts } from '../interrupt-handler.js';
import { createProgressDisplay } from '../progress-display.js';
import { formatRunSummary } from '../summary-format.js';

/** The `run` verb. */
export function runCommand(): Command {
  return loadCommand(
    'run',
    'load what is new or changed in the source (every file on the first run or with --full-refresh) and publish the star schema',
  );
}

/**
 * What `--json` prints on stdout for a failed run (the one-line error still goes to stderr): the error, the
 * exit code, the run's id in sparkify_runs when it got one, and the rejects or the checks behind it.
 */
function failureJson(error: unknown): Record<string, unknown> {
  const runId = runIdOf(error);
  return {
    error: describeError(error),
    exitCode: error instanceof SparkifyError ? error.exitCode : 1,
    ...(runId !== undefined ? { runId } : {}),
    ...(error instanceof TooManyRejectsError ? { rejected: error.rejected, maxErrors: error.maxErrors } : {}),
    ...(error instanceof QualityCheckError ? { checks: error.report } : {}),
  };
}

/**
 * A verb that loads and publishes; `run` and `etl` share it. With `--json` the summary (or, on too many
 * rejects, the error) is printed as JSON on stdout.
 */
export function loadCommand(name: string, description: string): Command {
  const jsonHelp = 'print the summary as JSON, with no progress display (a failure too: error, exitCode, runId)';
  return withWaitOption(withIncrementalOptions(withLoadOptions(new Command(name).description(description), jsonHelp))).action(
    async (options: Record<string, unknown>) => {
      const json = options.json === true;
      const progress = createProgressDisplay(!json);
      const interrupts = handleInterrupts();
      try {
        // Inside the try: with --json a bad flag is a failure printed as JSON too.
        const settings = settingsFromOptions(options);
        const incremental = incrementalFromOptions(options);
        const waitSeconds = waitSecondsFromOptions(options);
        const summary = await run({ settings, ...incremental, onProgress: progress.listener, waitSeconds, signal: interrupts.signal });
        progress.stop();
        process.stdout.write(json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatRunSummary(summary)}\n`);
      } catch (error) {
        progress.stop();
        if (json) process.stdout.write(`${JSON.stringify(failureJson(error), null, 2)}\n`);
        else if (error instanceof QualityCheckError) process.stdout.write(`${formatCheckReport(error.report)}\n`);
        throw error;
      } finally {
        interrupts.dispose();
      }
    },
  );
}
