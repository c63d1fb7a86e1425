/**
 * One staging table loaded through several COPY sessions at once. PostgreSQL runs each COPY in one backend
 * process, so a single session parses the CSV on one core however many the server has; the stager's worker
 * threads encode chunks of whole rows, and each chunk goes to the least busy session.
 *
 * Each COPY commits on its own when it finishes. That is enough for staging: a failed load fails the run,
 * and the next run drops and recreates the staging tables.
 */
import type { CsvChunkLoad } from '../warehouse.js';

/** A load spreading CSV chunks over `loads`, all into the same table; see the module comment. */
export function parallelCopyLoad(loads: readonly CsvChunkLoad[]): CsvChunkLoad {
  if (loads.length === 0) throw new Error('parallelCopyLoad needs at least one load');
  // Chunks handed to each session and not yet taken.
  const busy = loads.map(() => 0);
  const settle = async (work: (load: CsvChunkLoad) => Promise<number | undefined>): Promise<number> => {
    const outcomes = await Promise.allSettled(loads.map(work));
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    return outcomes.reduce(
      (sum, outcome) => sum + (outcome.status === 'fulfilled' && typeof outcome.value === 'number' ? outcome.value : 0),
      0,
    );
  };
  return {
    kind: 'csv-chunks',
    add: async (bytes, rows) => {
      let chosen = 0;
      for (let i = 1; i < loads.length; i++) if (busy[i]! < busy[chosen]!) chosen = i;
      busy[chosen]! += 1;
      try {
        await loads[chosen]!.add(bytes, rows);
      } finally {
        busy[chosen]! -= 1;
      }
    },
    finish: () => settle((load) => load.finish()),
    abort: async () => {
      await settle(async (load) => {
        await load.abort();
        return undefined;
      });
    },
  };
}
