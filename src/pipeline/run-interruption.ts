/**
 * Stopping a run cleanly on SIGINT or SIGTERM. The run's warehouse is wrapped so that, once the signal is
 * given, its next statement, transaction or write throws `InterruptedError`: the stager's workers are
 * stopped (the pool terminates them when a write fails), each writer aborts (removing its temporary files),
 * an open transaction rolls back, and the error says whether the star tables were published.
 *
 * Whether they were is known exactly: the publish is one transaction, marked `publishes`, and the wrapper
 * marks the run as published only when that transaction has committed (not when another one has, such as
 * the checks' failing rows kept after the gate rolled the publish back). A signal during the publish rolls it back, unless its
 * work was already done and the COMMIT under way.
 */
import { type InterruptOutcomes, InterruptedError, PUBLISH_OUTCOMES } from '../errors.js';
import type { StagedLoads, StagingLoad, Warehouse, WarehouseIntake } from '../warehouses/warehouse.js';

/** The signals a run stops on; `AbortController.abort(name)` takes one as its reason. */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/** A warehouse that refuses work once `signal` is aborted, and what it knows of the publish. */
export interface InterruptibleWarehouse {
  readonly warehouse: Warehouse;
  /** Whether the publish (the transaction marked `publishes`) has committed. */
  readonly published: () => boolean;
  /** The error to throw now: `InterruptedError` naming the signal and whether the run published. */
  readonly interruption: (cause?: unknown) => InterruptedError;
}

/** `signal`'s reason as a stop signal (SIGINT unless it says SIGTERM). */
export function stopSignalOf(signal: AbortSignal): StopSignal {
  return signal.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
}

/** Wraps `inner` so that its work stops once `signal` is aborted; `outcomes` words what its stop says. */
export function interruptible(
  inner: Warehouse,
  signal: AbortSignal,
  outcomes: InterruptOutcomes = PUBLISH_OUTCOMES,
): InterruptibleWarehouse {
  let published = false;
  // Set from the last check before COMMIT until it ends: a COMMIT is never cut short, so whether the run
  // published stays known.
  let committing = false;
  const interruption = (cause?: unknown) => new InterruptedError(stopSignalOf(signal), published, { cause, outcomes });
  const check = () => {
    if (signal.aborted) throw interruption();
  };
  // The statement under way when the signal comes is cut short too, where the warehouse can: a long one
  // (the publish of L's 8 million plays takes seconds) would otherwise outlast the grace period.
  signal.addEventListener(
    'abort',
    () => {
      if (!committing) inner.interrupt?.();
    },
    { once: true },
  );
  const warehouse: Warehouse = {
    dialect: inner.dialect,
    get description() {
      return inner.description;
    },
    intake: interruptibleIntake(inner.intake, check, signal),
    execute: async (sql) => {
      check();
      await inner.execute(sql);
    },
    query: async (sql, params) => {
      check();
      return inner.query(sql, params);
    },
    queryTable: async (sql) => {
      check();
      return inner.queryTable(sql);
    },
    acquireRunLock: (owner, options) => inner.acquireRunLock(owner, options),
    transaction: async (work, options) => {
      check();
      let result: Awaited<ReturnType<typeof work>>;
      try {
        result = await inner.transaction(async () => {
          const value = await work();
          // The last moment to roll back: past it, COMMIT is sent.
          check();
          committing = true;
          return value;
        }, options);
      } finally {
        committing = false;
      }
      if (options?.publishes) published = true;
      return result;
    },
    openWriter: async (table) => {
      check();
      return interruptibleLoad(await inner.openWriter(table), check, signal);
    },
    interrupt: () => {
      if (!committing) inner.interrupt?.();
    },
    close: () => inner.close(),
  };
  UNGUARDED.set(warehouse, inner);
  return { warehouse, published: () => published, interruption };
}

// Each guarded warehouse's inner one, for the one write a stopped run still makes (`pastTheStop`).
const UNGUARDED = new WeakMap<Warehouse, Warehouse>();

/**
 * The warehouse under `warehouse`'s guard, or `warehouse` itself: for the record of a run that a signal
 * stopped, written after the stop (one small INSERT, within the grace period), so `sparkify runs` lists it.
 */
export function pastTheStop(warehouse: Warehouse): Warehouse {
  return UNGUARDED.get(warehouse) ?? warehouse;
}

/** The intake of `intake`'s kind whose loads (or storage stage) stop once `signal` is aborted. */
function interruptibleIntake(intake: WarehouseIntake, check: () => void, signal: AbortSignal): WarehouseIntake {
  switch (intake.kind) {
    case 'rows':
      return intake;
    case 'parquet-files':
      return {
        kind: intake.kind,
        open: async (table) => {
          check();
          return interruptibleLoad(await intake.open(table), check, signal);
        },
      };
    case 'csv-chunks':
      return {
        kind: intake.kind,
        open: async (table) => {
          check();
          return interruptibleLoad(await intake.open(table), check, signal);
        },
      };
    case 'warehouse-reads-storage':
      return {
        kind: intake.kind,
        stage: async (dataset, settings) => {
          check();
          const result = await intake.stage(dataset, settings);
          check();
          return result;
        },
        // Staged loading (Redshift through S3) stops at the next hand-over too, and keeps its upload counts.
        ...(intake.openStaged
          ? { openStaged: async (settings, store) => interruptibleStagedLoads(await intake.openStaged!(settings, store), check, signal) }
          : {}),
      };
  }
}

function interruptibleStagedLoads(inner: StagedLoads, check: () => void, signal: AbortSignal): StagedLoads {
  return {
    open: async (table) => {
      check();
      const load = await inner.open(table);
      return { ...interruptibleLoad(load, check, signal), uploads: () => load.uploads() };
    },
    openWriter: async (table) => {
      check();
      const writer = await inner.openWriter(table);
      return { ...interruptibleLoad(writer, check, signal), uploads: () => writer.uploads() };
    },
    close: () => inner.close(),
  };
}

function interruptibleLoad<L extends StagingLoad>(inner: L, check: () => void, signal: AbortSignal): L {
  let aborted: Promise<void> | undefined;
  const abort = () => {
    aborted ??= inner.abort();
    return aborted;
  };
  // Every hand-over first checks the signal; once given, the load aborts itself, so its files go at once
  // and the stager, whose next hand-over fails, stops its workers.
  const guard = async () => {
    if (!signal.aborted) return;
    await abort().catch(() => undefined);
    check();
  };
  const finish = async () => {
    // Finishing after the signal (a `finally` of the stager) aborts instead, quietly: the interruption
    // itself is thrown by the next statement, and must not be hidden by this clean-up.
    if (signal.aborted || aborted) {
      await abort().catch(() => undefined);
      return 0;
    }
    return inner.finish();
  };
  const load: StagingLoad = inner;
  switch (load.kind) {
    case 'rows':
      return {
        kind: 'rows',
        write: async (rows) => {
          await guard();
          await load.write(rows);
        },
        finish,
        abort,
      } as StagingLoad as L;
    case 'parquet-files':
      return {
        kind: 'parquet-files',
        folder: load.folder,
        add: async (path, rows) => {
          await guard();
          await load.add(path, rows);
        },
        finish,
        abort,
      } as StagingLoad as L;
    case 'csv-chunks':
      return {
        kind: 'csv-chunks',
        add: async (bytes, rows) => {
          await guard();
          await load.add(bytes, rows);
        },
        finish,
        abort,
      } as StagingLoad as L;
  }
}
