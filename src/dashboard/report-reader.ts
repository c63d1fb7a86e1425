/**
 * How the dashboard reads the warehouse without getting in a load's way. Each request opens a read-only
 * connection and closes it when its queries are done, so no lock on a DuckDB file is held between
 * requests and `sparkify run` can write meanwhile (DuckDB lets one process write or many read, not both).
 * While a load holds the file, a read waits briefly, then the last good result for the same filters is
 * shown with a notice; the read goes on in the background and the next request gets fresh figures.
 */
import type { Settings } from '../config/settings.js';
import { collectReportData, type ReportData } from '../report/report-data.js';
import type { ReportFilters } from '../report/report-filters.js';
import { withWarehouse } from '../warehouses/open-warehouse.js';

/** What a request shows: fresh data, or the last good data and why it is not fresh. */
export interface ReadOutcome {
  /** Null when nothing could be read yet for these filters (the page then says so and refreshes). */
  readonly data: ReportData | null;
  /** Set when `data` is not fresh: the reason, for the page's notice. */
  readonly stale?: string;
}

/** Reads report data for the dashboard. */
export interface ReportReader {
  read(filters: ReportFilters): Promise<ReadOutcome>;
}

/** Options of `createReportReader`. */
export interface ReportReaderOptions {
  readonly settings: Settings;
  /** How long a request waits for fresh data before it shows the last good result (default 2 s). */
  readonly patienceMs?: number;
  /** How many filter combinations keep their last good result (default 200). */
  readonly remembered?: number;
}

/** A reader that opens the warehouse read-only for each read and remembers the last good result per filters. */
export function createReportReader(options: ReportReaderOptions): ReportReader {
  const patience = options.patienceMs ?? 2_000;
  const remembered = options.remembered ?? 200;
  const lastGood = new Map<string, ReportData>();
  const inFlight = new Map<string, Promise<ReportData>>();
  // One read at a time: the next waits for the connection of the one before to close.
  let queue: Promise<unknown> = Promise.resolve();

  const fetchFresh = (key: string, filters: ReportFilters): Promise<ReportData> => {
    const pending = inFlight.get(key);
    if (pending) return pending;
    const read = queue.then(() =>
      withWarehouse(options.settings.warehouse, { readOnly: true }, (warehouse) => collectReportData(warehouse, filters)),
    );
    queue = read.catch(() => undefined);
    const tracked = read.then((data) => {
      // Re-inserted so the map's order is least recently read first.
      lastGood.delete(key);
      lastGood.set(key, data);
      if (lastGood.size > remembered) lastGood.delete(lastGood.keys().next().value!);
      return data;
    });
    const settled = tracked.finally(() => inFlight.delete(key));
    // A read that outlives its request must not surface as an unhandled rejection.
    settled.catch(() => undefined);
    inFlight.set(key, settled);
    return settled;
  };

  return {
    async read(filters) {
      const key = JSON.stringify(Object.entries(filters).sort());
      const fresh = fetchFresh(key, filters);
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), patience);
      });
      try {
        const first = await Promise.race([fresh, waited]);
        if (first !== 'late') return { data: first };
        return fallback(lastGood.get(key), 'the warehouse is busy (a load is probably running)');
      } catch (error) {
        return fallback(lastGood.get(key), (error as Error).message);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function fallback(data: ReportData | undefined, reason: string): ReadOutcome {
  const when = data ? ` Showing the figures read at ${data.generatedAt}.` : '';
  // The reason may end a sentence of its own (the warehouse's errors do): one period, not two.
  return { data: data ?? null, stale: `Could not read fresh figures: ${reason.replace(/\.+$/, '')}.${when}` };
}
