/**
 * Renders rows as an aligned text table for the terminal.
 */

/** Formats `rows` under their column names; numbers align right. */
export function formatTable(rows: readonly Record<string, unknown>[], columns?: readonly string[]): string {
  const names = columns ?? Object.keys(rows[0] ?? {});
  if (names.length === 0) return '(no columns)';
  const cells = rows.map((row) => names.map((name) => formatCell(row[name])));
  // A fold, not Math.max(...): spreading a column of 200,000 cells as arguments overflows the stack.
  const widths = names.map((name, i) => cells.reduce((widest, cell) => Math.max(widest, cell[i]!.length), name.length));
  const numeric = names.map((name) => rows.length > 0 && rows.every((row) => row[name] === null || typeof row[name] === 'number'));
  const line = (values: readonly string[]) =>
    values
      .map((value, i) => (numeric[i] ? value.padStart(widths[i]!) : value.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(names), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.map(line)].join('\n');
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value).replace(/\s+/g, ' ');
}
