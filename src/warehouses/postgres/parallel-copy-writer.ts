/**
 * One staging table loaded through several COPY sessions at once. PostgreSQL runs each COPY in one backend
 * process, so a single session parses the CSV on one core however many the server has; the stager's worker
 * threads encode chunks of whole rows, and each chunk goes to the least busy session. Row batches written
 * on the main thread (S3 sources) keep to the first session.
 *
 * Each COPY commits on its own when it finishes. That is enough for staging: a failed load fails the run,
 * and the next run drops and recreates the staging tables.
 */
import type { TableWriter } from '../warehouse.js';

/** A writer spreading encoded rows over `writers`, all loading the same table; see the module comment. */
export function parallelCopyWriter(writers: readonly TableWriter[]): TableWriter {
  const [first] = writers;
  if (!first) throw new Error('parallelCopyWriter needs at least one writer');
  // Chunks handed to each session and not yet taken.
  const busy = writers.map(() => 0);
  const settle = async (work: (writer: TableWriter) => Promise<number | undefined>): Promise<number> => {
    const outcomes = await Promise.allSettled(writers.map(work));
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    return outcomes.reduce(
      (sum, outcome) => sum + (outcome.status === 'fulfilled' && typeof outcome.value === 'number' ? outcome.value : 0),
      0,
    );
  };
  return {
    write: (rows) => first.write(rows),
    encodedRows: {
      format: 'csv',
      add: async (bytes, rows) => {
        let chosen = 0;
        for (let i = 1; i < writers.length; i++) if (busy[i]! < busy[chosen]!) chosen = i;
        const intake = writers[chosen]!.encodedRows;
        if (!intake) throw new Error('parallelCopyWriter needs writers that take encoded rows');
        busy[chosen]! += 1;
        try {
          await intake.add(bytes, rows);
        } finally {
          busy[chosen]! -= 1;
        }
      },
    },
    finish: () => settle((writer) => writer.finish()),
    abort: async () => {
      await settle(async (writer) => {
        await writer.abort();
        return undefined;
      });
    },
  };
}
