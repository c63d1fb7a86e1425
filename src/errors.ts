/**
 * The error hierarchy: each class is a kind of failure a user can act on. The CLI prints `message` as one
 * line and exits with `exitCode`; the original error stays in `cause` for `--verbose`.
 */
import { blockingReason, type CheckReport } from './checks/check-report.js';

export class SparkifyError extends Error {
  /** Process exit code the CLI uses for this kind of failure. */
  readonly exitCode: number = 1;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Invalid configuration: a flag, environment variable or config-file key with an unusable value. */
export class ConfigError extends SparkifyError {
  override readonly exitCode = 2;
}

/** A source (folder or bucket) that cannot be listed or read. */
export class SourceError extends SparkifyError {}

/** The warehouse refused a connection, a statement or a load. */
export class WarehouseError extends SparkifyError {}

/** A query given by the user failed. */
export class QueryError extends SparkifyError {}

/** The load finished but rejected more records than `--max-errors` allows; nothing was published. */
export class TooManyRejectsError extends SparkifyError {
  constructor(
    readonly rejected: number,
    readonly maxErrors: number,
    where: string,
    /** Why the run read more files than the new and changed ones, when it did (a forced rebuild). */
    context?: string,
  ) {
    super(
      `${rejected} record(s) rejected, more than --max-errors ${maxErrors}; the star tables were left as they were. ` +
        `See ${where}.${context ? ` Note: ${context}.` : ''}`,
    );
  }
}

/**
 * Quality checks blocked publishing (the star tables stay as they were) or, for `sparkify check`, found
 * the published tables failing. `report` holds every check's result.
 */
export class QualityCheckError extends SparkifyError {
  /** `hint`: what the run knows that may explain the failure, said after it. */
  constructor(
    readonly report: CheckReport,
    hint?: string,
  ) {
    const where =
      report.phase === 'gate' ? 'nothing was published, the star tables were left as they were' : 'the published tables fail them';
    // Only a failed check has failing rows; one that errored (its SQL failed) has none to keep.
    const kept = report.results.some((result) => result.status === 'failed') ? ' Failing rows are kept in the check_failures table.' : '';
    super(`Quality checks failed (${where}): ${blockingReason(report)}.${kept}${hint ? ` ${hint}.` : ''}`);
  }
}

/**
 * Another sparkify process holds the warehouse's run lock (or, on DuckDB, has its file open for writing).
 * Exit code 3, so a scheduler can tell "busy, try later" from a failed run.
 */
export class RunLockedError extends SparkifyError {
  override readonly exitCode = 3;
  /** The warehouse and the holder as printed, when known (so a waiting caller can restate them). */
  readonly warehouse?: string;
  readonly holder?: string;

  constructor(message: string, options?: { cause?: unknown; warehouse?: string; holder?: string }) {
    super(message, options);
    this.warehouse = options?.warehouse;
    this.holder = options?.holder;
  }
}

/** What an interrupted command says of its work, once done (`published`) and not done. */
export interface InterruptOutcomes {
  readonly published: string;
  readonly unpublished: string;
}

/** A run's: the star tables are published in one transaction. */
export const PUBLISH_OUTCOMES: InterruptOutcomes = {
  published: "the star tables were published: they hold this run's data",
  unpublished: 'nothing was published, the star tables are as the previous run left them',
};

/**
 * The run was stopped by SIGINT or SIGTERM. `published` says whether the star tables had already been
 * replaced when the signal came (the publish is one transaction, so they hold either the previous run's
 * data or this run's, never a mix); `outcomes` says so in the command's terms (a run's by default).
 * Exit code 128 + the signal's number: 130 for SIGINT, 143 for SIGTERM.
 */
export class InterruptedError extends SparkifyError {
  override readonly exitCode: number;

  constructor(
    readonly signal: 'SIGINT' | 'SIGTERM',
    readonly published: boolean,
    options?: { cause?: unknown; outcomes?: InterruptOutcomes },
  ) {
    const outcomes = options?.outcomes ?? PUBLISH_OUTCOMES;
    super(published ? `Interrupted by ${signal} after ${outcomes.published}` : `Interrupted by ${signal}: ${outcomes.unpublished}`, {
      cause: options?.cause,
    });
    this.exitCode = signal === 'SIGINT' ? 130 : 143;
  }
}

// The run each failure ended, when it had a run id (a failed run's row in sparkify_runs).
const RUN_IDS = new WeakMap<object, number>();

/** Marks `error` as the end of run `runId`, for `--json` output; returns it. */
export function endingRun(error: unknown, runId: number): unknown {
  if (typeof error === 'object' && error !== null) RUN_IDS.set(error, runId);
  return error;
}

/** The run `error` ended (see `endingRun`), when known. */
export function runIdOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null ? RUN_IDS.get(error) : undefined;
}

/**
 * `primary` with a failure that happened while cleaning up after it attached (as `suppressed`, shown by
 * `--verbose`), so the cleanup never hides the error that caused it.
 */
export function withSuppressed(primary: unknown, cleanupFailure: unknown): unknown {
  if (primary instanceof Error && cleanupFailure !== undefined) {
    const holder = primary as { suppressed?: unknown[] };
    holder.suppressed = [...(holder.suppressed ?? []), cleanupFailure];
  }
  return primary;
}

/**
 * Runs `cleanup` after `primary` failed, then rethrows `primary`: a failing cleanup is attached to it
 * (`withSuppressed`) instead of replacing it.
 */
export async function cleanUpAfter(primary: unknown, cleanup: () => Promise<unknown>): Promise<never> {
  try {
    await cleanup();
  } catch (cleanupFailure) {
    throw withSuppressed(primary, cleanupFailure);
  }
  throw primary;
}

/** Formats any thrown value as one line, for the CLI and for summaries. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** An error's message on one line: database errors often add a LINE marker, a caret line and hints below it. */
export function firstLineOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();
}
