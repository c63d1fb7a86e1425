/**
 * Errors keep what `--verbose` needs (issue 14, item 6): an error in a staging worker thread reaches the
 * main thread with its stack and its cause, and a failure while cleaning up never hides the error that
 * caused it. The worker test runs the compiled pool (dist/), so the error really crosses between threads.
 */
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanUpAfter, SourceError } from '../../src/errors.js';
import { reviveError, serializeError } from '../../src/pipeline/worker-error.js';
import { tempFolder } from '../support/test-warehouses.js';

const DIST = new URL('../../dist/', import.meta.url).pathname;
const COMPILED = existsSync(join(DIST, 'pipeline/staging-worker.js'));
const TINY_LOGS = new URL('../fixtures/tiny/log_data/2018/11', import.meta.url).pathname;

describe('errors of worker threads', () => {
  it('keep their kind, message, stack frames and chain of causes through serialization', () => {
    const root = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
    const error = new SourceError('Cannot read /data/x.json: ENOENT', { cause: root });
    const revived = reviveError(structuredClone(serializeError(error)), 'Staging events failed: ');
    expect(revived).toBeInstanceOf(SourceError);
    expect(revived.message).toBe('Cannot read /data/x.json: ENOENT');
    expect(revived.stack).toContain('(in a staging worker thread)');
    expect(revived.stack).toContain('error-keeping.test.ts');
    const cause = revived.cause as NodeJS.ErrnoException;
    expect(cause.message).toBe('ENOENT: no such file');
    expect(cause.code).toBe('ENOENT');
    expect(cause.stack).toContain('error-keeping.test.ts');

    const plain = reviveError(serializeError(new TypeError('bad')), 'Staging songs failed: ');
    expect(plain).not.toBeInstanceOf(SourceError);
    expect(plain.name).toBe('TypeError');
    expect(plain.message).toBe('Staging songs failed: bad');
  });

  it.skipIf(!COMPILED)(
    COMPILED
      ? 'a file vanishing under a worker thread fails the stage with the worker stack and the cause'
      : 'worker threads (SKIPPED: dist/ absent, run npm run build)',
    async () => {
      const { stageInWorkers } = await import(join(DIST, 'pipeline/staging-worker-pool.js'));
      const { EVENT_DATASET, openStagingLoad } = await import(join(DIST, 'pipeline/dataset-stager.js'));
      const { openLocation } = await import(join(DIST, 'sources/open-location.js'));
      const { openWarehouse } = await import(join(DIST, 'warehouses/open-warehouse.js'));
      const { LOAD_ERRORS } = await import(join(DIST, 'schema/staging-tables.js'));
      const { prepareLoadStatements } = await import(join(DIST, 'pipeline/schema-setup.js'));
      const distErrors = await import(join(DIST, 'errors.js'));

      const folder = tempFolder();
      mkdirSync(join(folder, 'logs'));
      copyFileSync(join(TINY_LOGS, '2018-11-01-events.json'), join(folder, 'logs', 'a-events.json'));
      copyFileSync(join(TINY_LOGS, '2018-11-02-events.json'), join(folder, 'logs', 'b-events.json'));
      const real = await openLocation(join(folder, 'logs'), {});
      // Each file is deleted as soon as it has been listed: the worker thread then cannot read it.
      const location = {
        ...real,
        uri: real.uri,
        localFiles: real.localFiles,
        skipped: real.skipped,
        read: real.read.bind(real),
        stream: real.stream.bind(real),
        async *list() {
          for await (const object of real.list()) {
            yield object;
            rmSync(object.uri);
          }
        },
      };
      const warehouse = await openWarehouse({ kind: 'duckdb', path: ':memory:' });
      try {
        for (const statement of prepareLoadStatements(warehouse.dialect)) await warehouse.execute(statement);
        const writer = await openStagingLoad(warehouse, EVENT_DATASET.table);
        const rejects = await warehouse.openWriter(LOAD_ERRORS);
        const counts = { files: 0, bytes: 0, read: 0, staged: 0, rejected: 0 };
        const failure = await stageInWorkers(location, EVENT_DATASET, writer, rejects, counts, () => undefined).then(
          () => undefined,
          (error: unknown) => error as Error,
        );
        await writer.abort();
        await rejects.abort();
        expect(failure).toBeInstanceOf(distErrors.SourceError);
        expect(failure!.message).toMatch(/^Cannot read .+-events\.json: ENOENT$/);
        expect(failure!.stack).toContain('(in a staging worker thread)');
        expect(failure!.stack).toContain('staging-task-runner.js');
        expect((failure!.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
      } finally {
        await warehouse.close();
      }
    },
    60_000,
  );
});

describe('a failing clean-up never hides the error that caused it', () => {
  it('rethrows the original error with the clean-up failure attached', async () => {
    const original = new Error('the load failed');
    const failure = await cleanUpAfter(original, async () => {
      throw new Error('and the connection is gone');
    }).catch((error: unknown) => error as Error & { suppressed?: Error[] });
    expect(failure).toBe(original);
    expect(failure.suppressed?.map((error) => error.message)).toEqual(['and the connection is gone']);
  });

  it('rethrows the original error when the clean-up succeeds', async () => {
    const original = new Error('the load failed');
    let cleaned = false;
    await expect(
      cleanUpAfter(original, async () => {
        cleaned = true;
      }),
    ).rejects.toBe(original);
    expect(cleaned).toBe(true);
  });
});
