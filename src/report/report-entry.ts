/**
 * The library's `report` and `dashboard`, loading their code on first call: ECharts and Hono are large,
 * and a program that only runs loads should not pay for them when it imports the package.
 */
import type { DashboardOptions, RunningDashboard } from '../dashboard/dashboard-server.js';
import type { ReportOptions, ReportResult } from './report.js';

/**
 * Writes the listening report: one HTML file that opens offline.
 *
 * @example
 * const { path } = await report({ out: 'listening.html' });
 */
export async function report(options: ReportOptions = {}): Promise<ReportResult> {
  const loaded = await import('./report.js');
  return loaded.report(options);
}

/**
 * Starts the dashboard (127.0.0.1:8080 by default); close it with `close()`.
 *
 * @example
 * const running = await dashboard({ port: 0 });
 * console.log(running.url);
 */
export async function dashboard(options: DashboardOptions = {}): Promise<RunningDashboard> {
  const loaded = await import('../dashboard/dashboard-server.js');
  return loaded.dashboard(options);
}
