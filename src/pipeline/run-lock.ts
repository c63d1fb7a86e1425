/**
 * One run at a time: `run`, `etl` and `create-tables` do their work inside `withRunLock`, which opens the
 * warehouse, takes its run lock (the warehouse's own kind: see `Warehouse.acquireRunLock`), and always
 * gives both back. A second run fails at once with `RunLockedError` (exit code 3) naming the holder, or
 * waits up to `waitSeconds` for it.
 *
 * On DuckDB the file lock comes first: a second process cannot even open the file, so the open itself is
 * retried while waiting. The same function makes the run stoppable by a signal (`run-interruption.ts`).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { cleanUpAfter, type InterruptOutcomes, InterruptedError, RunLockedError } from '../errors.js';
import { openWarehouse } from '../warehouses/open-warehouse.js';
import { lockedError, newRunLockOwner } from '../warehouses/run-lock.js';
import type { Warehouse } from '../warehouses/warehouse.js';
import type { WarehouseTarget } from '../warehouses/warehouse-target.js';
import { interruptible } from './run-interruption.js';

/** What a locked run asks for. */
export interface RunLockRequest {
  /** The verb, recorded as the holder's: `run`, `etl`, `create-tables`. */
  readonly command: string;
  /** Seconds to wait for another run's lock; 0 or absent: fail at once. */
  readonly waitSeconds?: number;
  /** Stops the run when aborted (with `'SIGINT'` or `'SIGTERM'` as its reason). */
  readonly signal?: AbortSignal;
  /** What a stopped command says of its work; a run's (the star tables published or not) by default. */
  readonly outcomes?: InterruptOutcomes;
}

// How often a waiting run tries to open a DuckDB file another process holds.
const OPEN_RETRY_MS = 250;

/**
 * Opens `target`, takes its run lock, runs `work`, then releases the lock and closes the warehouse,
 * whatever happens; a failure while releasing or closing never hides the error of `work`.
 */
export async function withRunLock<T>(
  target: WarehouseTarget,
  request: RunLockRequest,
  work: (warehouse: Warehouse) => Promise<T>,
): Promise<T> {
  const owner = newRunLockOwner(request.command);
  const waitSeconds = request.waitSeconds ?? 0;
  const deadline = Date.now() + waitSeconds * 1000;
  const warehouse = await openWhenFree(target, deadline, waitSeconds);
  const locked = async (): Promise<T> => {
    let release: Awaited<ReturnType<Warehouse['acquireRunLock']>>;
    try {
      release = await warehouse.acquireRunLock(owner, { waitSeconds: Math.max(0, (deadline - Date.now()) / 1000) });
    } catch (error) {
      throw restated(error, waitSeconds);
    }
    let result: T;
    try {
      result = await runInterruptibly(warehouse, request, work);
    } catch (error) {
      return cleanUpAfter(error, release);
    }
    await release();
    return result;
  };
  let result: T;
  try {
    result = await locked();
  } catch (error) {
    return cleanUpAfter(error, () => warehouse.close());
  }
  await warehouse.close();
  return result;
}

async function runInterruptibly<T>(warehouse: Warehouse, request: RunLockRequest, work: (warehouse: Warehouse) => Promise<T>): Promise<T> {
  const { signal } = request;
  if (!signal) return work(warehouse);
  const guarded = interruptible(warehouse, signal, request.outcomes);
  if (signal.aborted) throw guarded.interruption();
  let result: T;
  try {
    result = await work(guarded.warehouse);
  } catch (error) {
    // Whatever failed once the signal came (an abandoned load, a stopped worker) failed because of it.
    if (signal.aborted && !(error instanceof InterruptedError)) {
      throw guarded.interruption(error);
    }
    throw error;
  }
  if (signal.aborted) throw guarded.interruption();
  return result;
}

/** Opens `target`, retrying until `deadline` while another process holds the file (DuckDB). */
async function openWhenFree(target: WarehouseTarget, deadline: number, waitSeconds: number): Promise<Warehouse> {
  for (;;) {
    try {
      return await openWarehouse(target);
    } catch (error) {
      if (!(error instanceof RunLockedError)) throw error;
      if (Date.now() >= deadline) throw restated(error, waitSeconds);
      await sleep(Math.min(OPEN_RETRY_MS, Math.max(deadline - Date.now(), 1)));
    }
  }
}

// A lock refused after waiting part of the time says how long the run waited in all.
function restated(error: unknown, waitSeconds: number): unknown {
  if (!(error instanceof RunLockedError) || waitSeconds <= 0 || error.warehouse === undefined || error.holder === undefined) return error;
  if (error.message.startsWith('cannot read')) return error;
  return lockedError(error.warehouse, error.holder, waitSeconds, error.cause);
}
