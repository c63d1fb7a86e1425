/**
 * The report page: one self-contained HTML document (inline CSS, charts as inline SVG, no script, no
 * request of any kind, forbidden by its Content-Security-Policy). The dashboard serves the same page with
 * a filter form on top.
 */
import { groupDigits } from '../number-format.js';
import type { FigureData, ReportData } from './report-data.js';
import { escapeHtml } from './html-parts.js';
import { isUnfiltered } from './report-filters.js';
import { figureSections, type FigureSection } from './report-sections.js';

/** The policy of the page: nothing may be fetched; inline styles and data: images only; forms post nowhere else. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'";

/** How the page is rendered. */
export interface ReportPageOptions {
  /** The dashboard adds a filter form (GET, to itself). */
  readonly mode: 'report' | 'dashboard';
  /** A line shown above the figures (the dashboard's "showing the last good result" notice). */
  readonly notice?: string;
}

/** The whole page for `data`. */
export function renderReportPage(data: ReportData, options: ReportPageOptions): string {
  const sections = figureSections(data);
  const title = options.mode === 'dashboard' ? 'Sparkify dashboard' : 'Sparkify listening report';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="meta">Built ${escapeHtml(data.generatedAt)} from <code>${escapeHtml(data.warehouse)}</code>. ${lineageText(data)}</p>
${options.mode === 'dashboard' ? filterForm(data) : filterLine(data)}
${options.notice ? `<p class="notice" role="status">${escapeHtml(options.notice)}</p>` : ''}
<nav>${sections.map((section) => `<a href="#${section.id}">${escapeHtml(section.title)}</a>`).join(' ')}</nav>
</header>
<main>
${sections.map(renderSection).join('\n')}
</main>
<footer><p>Times are UTC. Every figure shows its SQL under "How this was computed".</p></footer>
</body>
</html>
`;
}

function renderSection(section: FigureSection): string {
  return `<section id="${section.id}">
<h2>${escapeHtml(section.title)}</h2>
${section.body}
${section.figures.map(computedFrom).join('\n')}
</section>`;
}

/** The figure's SQL, its bound values, the filters it honours and the tables it reads. */
function computedFrom(figure: FigureData): string {
  const params = figure.bound.params.map((value, index) => `$${index + 1} = ${JSON.stringify(value)}`).join(', ');
  return `<details class="sql" data-query="${escapeHtml(figure.query.name)}">
<summary>How this was computed: ${escapeHtml(figure.query.title)}</summary>
<p>Named query <code>${escapeHtml(figure.query.name)}</code> over ${figure.query.reads.map((t) => `<code>${escapeHtml(t)}</code>`).join(', ')};
filters it honours: ${escapeHtml(figure.query.filters.join(', ') || 'none')}${params ? `; bound values: <code>${escapeHtml(params)}</code>` : ''}.</p>
<pre>${escapeHtml(figure.bound.sql)}</pre>
</details>`;
}

function lineageText(data: ReportData): string {
  const { lineage } = data;
  const run = lineage.runId
    ? `Latest published run <code>${escapeHtml(lineage.runId)}</code>${lineage.runStatus ? ` (${escapeHtml(lineage.runStatus)})` : ''}${lineage.runFinishedAt ? `, finished ${escapeHtml(lineage.runFinishedAt)}` : ''}.`
    : 'Run history: not recorded yet.';
  const names = lineage.runFiles.map((row) => String(row.source_file));
  const runFiles = lineage.runId
    ? names.length === 0
      ? ' It loaded no new or changed file.'
      : ` It loaded <span data-testid="run-files">${names
          .slice(0, 10)
          .map((name) => `<code>${escapeHtml(name)}</code>`)
          .join(', ')}${lineage.runFileCount > 10 ? ` and ${groupDigits(lineage.runFileCount - 10)} more` : ''}</span>.`
    : '';
  const files =
    lineage.files.length > 0
      ? `Loaded from ${lineage.files.map((entry) => `${entry.files} file${entry.files === 1 ? '' : 's'} of ${escapeHtml(entry.dataset)}`).join(' and ')}${lineage.filesFrom === 'staging' ? ' (as staging holds them)' : ''}.`
      : 'Source files: not recorded yet.';
  return `<span data-testid="lineage">${run}${runFiles} ${files}</span>`;
}

function filterLine(data: ReportData): string {
  if (isUnfiltered(data.filters)) return '<p class="meta">All plays, no filter.</p>';
  const terms = Object.entries(data.filters).map(([name, value]) => `${name} = ${escapeHtml(value)}`);
  return `<p class="meta">Filtered: ${terms.join(', ')}.</p>`;
}

function filterForm(data: ReportData): string {
  const { filters, choices } = data;
  const option = (value: string, label: string, selected: string | undefined) =>
    `<option value="${escapeHtml(value)}"${selected === value ? ' selected' : ''}>${escapeHtml(label)}</option>`;
  const locations = choices.locations.map((location) => option(location, location, filters.location)).join('');
  const bound = (name: 'from' | 'to') =>
    `<input type="date" name="${name}" id="f-${name}" value="${escapeHtml(filters[name] ?? '')}"${choices.firstDay ? ` min="${escapeHtml(choices.firstDay)}"` : ''}${choices.lastDay ? ` max="${escapeHtml(choices.lastDay)}"` : ''}>`;
  return `<form method="get" action="/" class="filters">
<label for="f-from">From</label> ${bound('from')}
<label for="f-to">to</label> ${bound('to')}
<label for="f-level">Level</label> <select name="level" id="f-level">${option('', 'any', filters.level ?? '')}${option('free', 'free', filters.level)}${option('paid', 'paid', filters.level)}</select>
<label for="f-gender">Gender</label> <select name="gender" id="f-gender">${option('', 'any', filters.gender ?? '')}${option('F', 'F', filters.gender)}${option('M', 'M', filters.gender)}</select>
<label for="f-location">Location</label> <select name="location" id="f-location">${option('', 'any', filters.location ?? '')}${locations}</select>
<button type="submit">Apply</button> <a href="/">Reset</a>
</form>`;
}

const STYLE = `
:root { color-scheme: light; }
body { font-family: system-ui, sans-serif; color: #222; margin: 0 auto; max-width: 1000px; padding: 0 16px 40px; line-height: 1.4; }
header { border-bottom: 1px solid #ddd; margin-bottom: 16px; }
h1 { margin: 16px 0 4px; font-size: 1.6em; }
h2 { margin-top: 32px; border-bottom: 1px solid #eee; padding-bottom: 4px; font-size: 1.25em; }
.meta { color: #555; font-size: 0.9em; margin: 4px 0; }
nav { font-size: 0.85em; margin: 8px 0 12px; }
nav a { margin-right: 10px; color: #3366aa; }
.notice { background: #fff6dd; border: 1px solid #e8c860; padding: 6px 10px; }
.numbers { display: flex; flex-wrap: wrap; gap: 12px; }
.number { border: 1px solid #ddd; border-radius: 6px; padding: 10px 16px; min-width: 150px; }
.number .value { font-size: 1.8em; font-weight: 600; }
.number .label { color: #555; font-size: 0.85em; }
table { border-collapse: collapse; margin: 8px 0; font-size: 0.9em; }
th, td { border-bottom: 1px solid #eee; padding: 3px 10px 3px 0; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.columns { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
figure { margin: 8px 0; }
figcaption { color: #555; font-size: 0.85em; }
details.sql { margin: 6px 0; font-size: 0.85em; }
details.sql pre { background: #f6f6f6; padding: 8px; overflow-x: auto; white-space: pre; }
.empty { color: #777; font-style: italic; }
form.filters { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin: 8px 0; font-size: 0.9em; }
form.filters select { max-width: 220px; }
@media print { nav, form.filters, details.sql { display: none; } section { break-inside: avoid; } }
`;
