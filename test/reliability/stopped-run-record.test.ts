/**
 * A run stopped by a signal is recorded in sparkify_runs as failed, with what the command said, so
 * `sparkify runs` shows the stop a scheduler's log would; the tables stay as they were. Before, the guard
 * that refuses every statement after the signal refused the record too, and the run left no trace.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/errors.js';
import { query } from '../../src/pipeline/query.js';
import { run } from '../../src/pipeline/run.js';
import { snapshotStar } from '../support/star-snapshot.js';
import { tempFolder } from '../support/test-warehouses.js';

const TINY = new URL('../fixtures/tiny', import.meta.url).pathname;

describe('a run stopped by a signal', () => {
  it('is recorded as failed with the interruption, and changes no table', async () => {
    const root = tempFolder();
    const source = join(root, 'source');
    cpSync(TINY, source, { recursive: true });
    const warehouse = `duckdb:${join(root, 'stopped.duckdb')}`;
    await run({ options: { source, warehouse }, env: {}, cwd: root });
    const before = await snapshotStar(warehouse);
    cpSync(join(source, 'log_data/2018/11/2018-11-01-events.json'), join(source, 'log_data/2018/11/2018-11-03-events.json'));

    const controller = new AbortController();
    const stopped = run({
      options: { source, warehouse },
      env: {},
      cwd: root,
      signal: controller.signal,
      // Stopped while staging, the first moment the run reports anything.
      onProgress: () => controller.abort('SIGTERM'),
    });
    await expect(stopped).rejects.toBeInstanceOf(InterruptedError);

    const runs = await query('SELECT run_id, status, error, songplays FROM sparkify_runs ORDER BY run_id', {
      options: { warehouse },
      env: {},
    });
    expect(runs).toEqual([
      { run_id: 1, status: 'succeeded', error: null, songplays: 6 },
      {
        run_id: 2,
        status: 'failed',
        error: 'Interrupted by SIGTERM: nothing was published, the star tables are as the previous run left them',
        songplays: null,
      },
    ]);
    expect(await snapshotStar(warehouse)).toEqual(before);
  });
});
