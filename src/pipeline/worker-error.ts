/**
 * Errors crossing from a staging worker thread to the main thread. A message between threads carries plain
 * data, so the error is flattened here (name, message, stack, and its chain of causes) and rebuilt on the
 * other side with the worker's own stack, so `--verbose` shows where in the worker it failed and why.
 */
import { SourceError } from '../errors.js';

/** An error as plain data, with the chain of its causes. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  /** A SourceError (a file that cannot be read), which keeps its kind on the main thread. */
  readonly source: boolean;
  /** An errno code (`ENOENT`, ...) when the error had one. */
  readonly code?: string;
  readonly cause?: SerializedError;
}

// A cycle of causes (a.cause = b, b.cause = a) must not loop forever.
const MAX_CAUSES = 8;

/** Flattens `error` and its causes into data a worker can post. */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), source: false };
  const code = (error as NodeJS.ErrnoException).code;
  return {
    name: error.name,
    message: error.message,
    stack: error.stack,
    source: error instanceof SourceError,
    ...(typeof code === 'string' ? { code } : {}),
    ...(error.cause !== undefined && depth < MAX_CAUSES ? { cause: serializeError(error.cause, depth + 1) } : {}),
  };
}

/**
 * Rebuilds a posted error: a SourceError stays one; any other becomes an Error whose message is
 * `${prefix}${message}`. The worker's stack and causes are kept.
 */
export function reviveError(data: SerializedError, prefix = ''): Error {
  const cause = data.cause ? reviveError(data.cause) : undefined;
  const options = cause ? { cause } : undefined;
  const error = data.source ? new SourceError(data.message, options) : new Error(`${prefix}${data.message}`, options);
  if (!data.source) error.name = data.name;
  if (data.stack) error.stack = `${error.name}: ${error.message}\n    (in a staging worker thread)\n${stackFrames(data.stack)}`;
  if (data.code) (error as NodeJS.ErrnoException).code = data.code;
  return error;
}

function stackFrames(stack: string): string {
  return stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n');
}
