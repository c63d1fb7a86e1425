/**
 * SIGINT and SIGTERM during a run: the signal aborts the run's AbortSignal, the library stops the workers,
 * aborts the writers (removing their temporary files), rolls back what is not committed and throws
 * `InterruptedError`, which the CLI prints as one line and turns into exit code 130 or 143.
 *
 * Two fallbacks, because a statement already running in the warehouse cannot always be cut short: a
 * second signal, or GRACE_SECONDS without the run having stopped, end the process at once, after removing
 * this process's temporary folders. Nothing uncommitted survives that either: PostgreSQL and Redshift roll
 * back a transaction whose session is gone, and DuckDB one that its file never saw committed.
 */
import { stopSignalOf, type StopSignal } from '../pipeline/run-interruption.js';
import { removeOwnedTempFoldersSync } from '../warehouses/temp-folders.js';

/** Seconds a signalled run gets to stop by itself. */
export const GRACE_SECONDS = 10;

/** While it is installed, SIGINT and SIGTERM abort `signal` instead of killing the process. */
export interface InterruptHandler {
  readonly signal: AbortSignal;
  /** Removes the handlers (call when the command ends). */
  dispose(): void;
}

/** Installs the handlers for one command. */
export function handleInterrupts(): InterruptHandler {
  const controller = new AbortController();
  let grace: NodeJS.Timeout | undefined;
  const leaveNow = (why: string) => {
    removeOwnedTempFoldersSync();
    const signal = stopSignalOf(controller.signal);
    process.stderr.write(`sparkify: Interrupted by ${signal}; ${why}: the process ended, whatever was not committed was rolled back\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  const onSignal = (name: StopSignal) => {
    if (controller.signal.aborted) leaveNow('a second signal came');
    controller.abort(name);
    grace = setTimeout(() => leaveNow(`the run did not stop within ${GRACE_SECONDS} s`), GRACE_SECONDS * 1000);
    grace.unref();
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      if (grace) clearTimeout(grace);
    },
  };
}
