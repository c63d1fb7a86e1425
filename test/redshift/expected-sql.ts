/**
 * Reads the hand-written expected SQL of test/redshift/expected and splits printed plans the same way, so
 * statements can be compared one by one.
 */
import { readFileSync } from 'node:fs';

/** The statements of a SQL text: `--` lines dropped, split at each `;` that ends a line. */
export function splitStatements(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('--'))
    .join('\n')
    .split(/;[ \t]*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter((statement) => statement !== '');
}

/** The statements of expected/<name>.sql. */
export function expectedStatements(name: string): string[] {
  return splitStatements(readFileSync(new URL(`./expected/${name}.sql`, import.meta.url), 'utf8'));
}
