/**
 * The filters of the report and the dashboard (date range, level, gender, location), checked once and
 * turned into a WHERE clause with placeholders: the values are always bound, never written into SQL.
 */
import { z } from 'zod';
import { isCalendarDay } from '../calendar-day.js';
import { ConfigError } from '../errors.js';
import type { QueryParam } from '../warehouses/warehouse.js';

/** What the figures are restricted to; every field is optional (absent: no restriction). */
export interface ReportFilters {
  /** First day included, YYYY-MM-DD (UTC). */
  readonly from?: string;
  /** Last day included, YYYY-MM-DD (UTC). */
  readonly to?: string;
  /** The level the play was made at. */
  readonly level?: 'free' | 'paid';
  /** The listener's gender as the logs write it. */
  readonly gender?: 'F' | 'M';
  /** The location as the logs write it ("Boston-Cambridge-Newton, MA-NH"). */
  readonly location?: string;
}

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a day as YYYY-MM-DD')
  .refine(isCalendarDay, { message: 'expected a real calendar day' });

const FILTER_SCHEMA = z
  .object({
    from: day.optional(),
    to: day.optional(),
    level: z.enum(['free', 'paid']).optional(),
    gender: z.enum(['F', 'M']).optional(),
    location: z.string().min(1).max(256).optional(),
  })
  .strict();

/**
 * Checks raw filter values (a query string's, for example): empty values mean "no filter". Throws a
 * ConfigError naming the first bad field and what was expected.
 */
export function parseReportFilters(raw: Readonly<Record<string, string | undefined>>): ReportFilters {
  const given = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = FILTER_SCHEMA.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || 'filters';
    throw new ConfigError(`Bad filter ${field}: ${issue.message}`);
  }
  const filters = parsed.data;
  if (filters.from && filters.to && filters.from > filters.to) {
    throw new ConfigError(`Bad filter to: ${filters.to} is before from ${filters.from}`);
  }
  return filters;
}

/** True when no filter restricts anything. */
export function isUnfiltered(filters: ReportFilters): boolean {
  return Object.values(filters).every((value) => value === undefined);
}

/** A WHERE condition (TRUE when unfiltered) and the values of its placeholders, numbered from `first`. */
export interface BoundCondition {
  readonly sql: string;
  readonly params: QueryParam[];
}

/** The column expressions a filter applies to, in the rows being filtered. */
export interface FilterColumns {
  readonly time: string;
  readonly level: string;
  readonly gender: string;
  readonly location: string;
}

/** The condition that keeps rows matching `filters`, with $n placeholders from $1. */
export function filterCondition(filters: ReportFilters, columns: FilterColumns): BoundCondition {
  const terms: string[] = [];
  const params: QueryParam[] = [];
  const bind = (value: QueryParam) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filters.from) terms.push(`${columns.time} >= CAST(${bind(filters.from)} AS TIMESTAMP)`);
  // The last day is included: before the start of the day after it.
  if (filters.to) terms.push(`${columns.time} < CAST(${bind(filters.to)} AS TIMESTAMP) + INTERVAL '1 day'`);
  if (filters.level) terms.push(`${columns.level} = ${bind(filters.level)}`);
  if (filters.gender) terms.push(`${columns.gender} = ${bind(filters.gender)}`);
  if (filters.location) terms.push(`${columns.location} = ${bind(filters.location)}`);
  return { sql: terms.length === 0 ? 'TRUE' : terms.join(' AND '), params };
}
