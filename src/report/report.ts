/**
 * `report`: the whole listening report as one HTML file that opens from disk with no network.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadSettings, type LoadSettingsInput, type Settings } from '../config/settings.js';
import { SparkifyError } from '../errors.js';
import { withWarehouse } from '../warehouses/open-warehouse.js';
import { collectReportData, type ReportData } from './report-data.js';
import type { ReportFilters } from './report-filters.js';
import { renderReportPage } from './report-html.js';

/** Options of `report`. */
export interface ReportOptions extends LoadSettingsInput {
  readonly settings?: Settings;
  /** Where to write the file (default: sparkify-report.html in the working directory). */
  readonly out?: string;
  /** Restricts every figure (default: none). */
  readonly filters?: ReportFilters;
}

/** What `report` wrote. */
export interface ReportResult {
  readonly path: string;
  readonly bytes: number;
  readonly data: ReportData;
}

/** The default file name of the report. */
export const DEFAULT_REPORT_FILE = 'sparkify-report.html';

/**
 * Queries the warehouse on a read-only connection and writes the report.
 *
 * @example
 * const { path } = await report({ out: 'listening.html' });
 */
export async function report(options: ReportOptions = {}): Promise<ReportResult> {
  const settings = options.settings ?? loadSettings(options);
  const path = resolve(options.cwd ?? process.cwd(), options.out ?? DEFAULT_REPORT_FILE);
  const data = await withWarehouse(settings.warehouse, { readOnly: true }, (warehouse) =>
    collectReportData(warehouse, options.filters ?? {}),
  );
  const html = renderReportPage(data, { mode: 'report' });
  try {
    await writeFile(path, html);
  } catch (error) {
    throw new SparkifyError(`Failed to write the report to ${path}: ${(error as Error).message}`, { cause: error });
  }
  return { path, bytes: Buffer.byteLength(html), data };
}
