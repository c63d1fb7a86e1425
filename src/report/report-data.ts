/**
 * Runs the report's named queries on a warehouse and gathers what the page shows. Shared by
 * `sparkify report` and `sparkify dashboard`; neither renders anything it did not get from here.
 */
import { QueryError } from '../errors.js';
import type { Warehouse } from '../warehouses/warehouse.js';
import {
  existingTables,
  jsonRows,
  readCheckResults,
  readLatestPublishingRun,
  readLatestRuns,
  readLineage,
  readRejectsByFile,
  type CheckSummary,
  type JsonRow,
  type Lineage,
} from './data-health.js';
import { readMatchExplanation, type MatchExplanation } from './match-health.js';
import { HEALTH_QUERIES, NAMED_QUERIES, type BoundQuery, type NamedQuery } from './named-queries.js';
import type { ReportFilters } from './report-filters.js';
import { summarizeUserAgents, type UserAgentSummary } from './user-agent-summary.js';

/** One figure's query and its rows; `missing` names the tables it needs that the warehouse lacks. */
export interface FigureData {
  readonly query: NamedQuery;
  readonly bound: BoundQuery;
  readonly rows: readonly JsonRow[];
  readonly missing: readonly string[];
}

/** Everything the report page shows. */
export interface ReportData {
  readonly generatedAt: string;
  readonly warehouse: string;
  readonly filters: ReportFilters;
  readonly figures: Readonly<Record<string, FigureData>>;
  readonly userAgents: UserAgentSummary;
  readonly lineage: Lineage;
  readonly health: {
    readonly runs: readonly JsonRow[] | null;
    readonly rejects: readonly JsonRow[] | null;
    readonly checks: CheckSummary | null;
    readonly matchExplanation: MatchExplanation | null;
  };
  /** The choices the dashboard's filters offer. */
  readonly choices: { readonly locations: readonly string[]; readonly firstDay: string | null; readonly lastDay: string | null };
}

/** Runs every figure's query with `filters` bound, plus the data-health readers, on `warehouse`. */
export async function collectReportData(warehouse: Warehouse, filters: ReportFilters, now = new Date()): Promise<ReportData> {
  const tables = await existingTables(warehouse);
  const figures: Record<string, FigureData> = {};
  for (const query of NAMED_QUERIES) {
    const bound = query.build(warehouse.dialect, filters);
    const missing = query.reads.filter((table) => !tables.has(table));
    let rows: JsonRow[] = [];
    if (missing.length === 0) {
      try {
        rows = await jsonRows(warehouse, bound.sql, bound.params);
      } catch (error) {
        throw new QueryError(`Report query ${query.name} failed on ${warehouse.description}: ${(error as Error).message}`, {
          cause: error,
        });
      }
    }
    figures[query.name] = { query, bound, rows, missing };
  }
  const agents = figures.user_agents?.rows ?? [];
  const userAgents = summarizeUserAgents(
    agents.map((row) => ({ userAgent: String(row.user_agent), plays: Number(row.plays), listeners: Number(row.listeners) })),
  );
  const hasPlays = tables.has('songplays');
  const locations = hasPlays ? (await jsonRows(warehouse, HEALTH_QUERIES.locations)).map((row) => String(row.location)) : [];
  const [days] = hasPlays ? await jsonRows(warehouse, HEALTH_QUERIES.days) : [];
  const latest = await readLatestPublishingRun(warehouse, tables);
  return {
    generatedAt: now.toISOString(),
    warehouse: warehouse.description,
    filters,
    figures,
    userAgents,
    lineage: await readLineage(warehouse, tables, latest),
    health: {
      runs: await readLatestRuns(warehouse, tables),
      rejects: await readRejectsByFile(warehouse, tables),
      checks: await readCheckResults(warehouse, tables, latest),
      matchExplanation: await readMatchExplanation(warehouse, tables, latest),
    },
    choices: {
      locations,
      firstDay: days?.first_day == null ? null : String(days.first_day),
      lastDay: days?.last_day == null ? null : String(days.last_day),
    },
  };
}
