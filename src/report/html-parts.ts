/**
 * Small HTML building blocks of the report page: escaping, tables of rows, chart figures.
 */
import type { JsonRow } from './data-health.js';
import { groupDigits } from '../number-format.js';

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: unknown): string {
  return String(text ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A table of `rows` with `columns` (key, heading); a note when there are none. */
export function rowsTable(rows: readonly JsonRow[], columns: readonly (readonly [string, string])[], testId?: string): string {
  if (rows.length === 0) return '<p class="empty">No rows.</p>';
  const head = columns.map(([, heading]) => `<th>${escapeHtml(heading)}</th>`).join('');
  const body = rows
    .map(
      (row) =>
        `<tr>${columns.map(([key]) => `<td${typeof row[key] === 'number' ? ' class="n"' : ''}>${escapeHtml(formatValue(row[key], key))}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table${testId ? ` data-testid="${escapeHtml(testId)}"` : ''}><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

// Ids (user_id, run_id, session_id, songplay_id) are names, not amounts: user 9001, not 9,001.
const ID_COLUMN = /(^|_)id$/;

function formatValue(value: unknown, column: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' && ID_COLUMN.test(column)) return String(value);
  if (typeof value === 'number') return Number.isInteger(value) ? groupDigits(value) : value.toFixed(2);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A chart in a figure element, with a caption. */
export function chartFigure(svg: string, caption: string): string {
  return `<figure>${svg}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}
