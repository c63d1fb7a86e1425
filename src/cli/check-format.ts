/**
 * The human-readable forms of a check report and of a match explanation.
 */
import { describeResult, type CheckReport } from '../checks/check-report.js';
import type { MatchExplanation } from '../pipeline/match-explanation.js';
import { formatTable } from './text-table.js';
import { groupDigits } from '../number-format.js';

/** The checks as a table (name, severity, status, failing rows, first keys), then one line of totals. */
export function formatCheckReport(report: CheckReport): string {
  const rows = report.results.map((result) => ({
    check: result.name,
    severity: result.severity,
    status: result.status,
    failing: result.failingRows,
    'first failing keys':
      result.status === 'errored' || result.status === 'skipped' ? (result.error ?? '') : result.firstFailingKeys.join(', '),
  }));
  return [formatTable(rows, ['check', 'severity', 'status', 'failing', 'first failing keys']), checkTotals(report)].join('\n');
}

/** One line: how many checks ran and how they ended, and where the user checks came from. */
export function checkTotals(report: CheckReport): string {
  const user = report.userChecks.folder ? `${report.userChecks.files} from ${report.userChecks.folder}` : 'none (no checks folder)';
  if (report.ran === 0 && report.errored === 0) return `checks: none ran; ${user}`;
  const parts = [`${report.ran} ran`, `${report.passed} passed`, `${report.failed} failed`, `${report.warnings} warnings`];
  if (report.errored > 0) parts.push(`${report.errored} errored`);
  if (report.skipped > 0) parts.push(`${report.skipped} skipped`);
  return `checks: ${parts.join(', ')}; user checks: ${user}`;
}

/** The lines of the checks that did not pass, for the run summary. */
export function checkProblems(report: CheckReport): string[] {
  return report.results.filter((result) => result.status !== 'passed').map((result) => `  ${describeResult(result)}`);
}

// A name in quotes, with control characters (U+0019, the C1 controls of mojibake) written as \u escapes.
function shown(text: string | null | undefined): string {
  if (text === null || text === undefined) return 'null';
  return `"${text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

/** The explanation: totals, then each cause with its plays and examples. */
export function formatMatchExplanation(explanation: MatchExplanation): string {
  const percent = (part: number) => (explanation.plays === 0 ? '0.0' : ((part / explanation.plays) * 100).toFixed(1));
  const lines = [
    `Plays (NextSong events) in ${explanation.warehouse}: ${groupDigits(explanation.plays)}; matched a song with --match ${explanation.mode}: ${groupDigits(explanation.matched)} (${percent(explanation.matched)}%); unmatched: ${groupDigits(explanation.unmatched)}`,
    '',
    formatTable(
      explanation.causes.map((cause) => ({
        cause: cause.cause,
        plays: cause.plays,
        '%': percent(cause.plays),
        names: cause.names,
        meaning: cause.description,
      })),
      ['cause', 'plays', '%', 'names', 'meaning'],
    ),
  ];
  for (const cause of explanation.causes.filter((summary) => summary.plays > 0)) {
    lines.push('', `${cause.cause}: ${cause.description}`);
    if (cause.differences) {
      const d = cause.differences;
      lines.push(
        `  plays by difference: trailing spaces ${d.trailingSpaces}, case ${d.case}, \\u0019 apostrophe ${d.apostrophe}, mojibake ${d.mojibake}`,
      );
    }
    if (cause.withinTolerance !== undefined) {
      lines.push(`  within ${explanation.toleranceSeconds} s (matched by --match normalized): ${cause.withinTolerance} plays`);
    }
    for (const example of cause.examples) {
      const play = `${shown(example.song)} by ${shown(example.artist)}, ${example.length} s, ${example.plays} play${example.plays === 1 ? '' : 's'}`;
      const catalogue = example.catalogue;
      let detail = '';
      if (example.durationDifference !== undefined)
        detail = `; catalogue: ${catalogue?.duration} s (${example.durationDifference > 0 ? '+' : ''}${example.durationDifference} s)`;
      else if (example.artistSongs !== undefined) detail = `; catalogue: ${example.artistSongs} song(s) by ${shown(catalogue?.artist)}`;
      else if (catalogue) detail = `; catalogue: ${shown(catalogue.title)} by ${shown(catalogue.artist)}, ${catalogue.duration} s`;
      lines.push(`  ${play}${detail}`);
    }
  }
  return lines.join('\n');
}
