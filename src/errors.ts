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
  ) {
    super(
      `${rejected} record(s) rejected, more than --max-errors ${maxErrors}; the star tables were left as they were. ` + `See ${where}.`,
    );
  }
}

/**
 * Quality checks blocked publishing (the star tables stay as they were) or, for `sparkify check`, found
 * the published tables failing. `report` holds every check's result.
 */
export class QualityCheckError extends SparkifyError {
  constructor(readonly report: CheckReport) {
    const where =
      report.phase === 'gate' ? 'nothing was published, the star tables were left as they were' : 'the published tables fail them';
    super(`Quality checks failed (${where}): ${blockingReason(report)}. Failing rows are kept in the check_failures table.`);
  }
}

/** Formats any thrown value as one line, for the CLI and for summaries. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
