/**
 * The report's sections, each built from the rows of its named queries: numbers, charts (SVG) and tables.
 */
import type { JsonRow } from './data-health.js';
import { HEALTH_QUERIES } from './named-queries.js';
import type { MatchExplanation } from './match-health.js';
import type { FigureData, ReportData } from './report-data.js';
import { categoryChartSvg, hourWeekdayHeatmapSvg } from './report-charts.js';
import { chartFigure, escapeHtml, rowsTable } from './html-parts.js';
import type { NameCount } from './user-agent-summary.js';
import { groupDigits } from '../number-format.js';

/** One section of the page: its HTML and the figures whose SQL it shows. */
export interface FigureSection {
  readonly id: string;
  readonly title: string;
  readonly body: string;
  readonly figures: readonly FigureData[];
}

const NOT_RECORDED = '<p class="empty" data-state="not-recorded">Not recorded yet.</p>';

/** The sections of the page, in order. */
export function figureSections(data: ReportData): FigureSection[] {
  const figure = (name: string): FigureData => {
    const found = data.figures[name];
    if (!found) throw new Error(`The report has no figure ${name}`);
    return found;
  };
  const rows = (name: string) => figure(name).rows;
  // A figure whose tables are missing says which instead of showing an empty chart.
  const unless = (names: readonly string[], body: () => string) => {
    const missing = [...new Set(names.flatMap((name) => figure(name).missing))];
    return missing.length > 0
      ? `<p class="empty">Not available: the warehouse has no ${missing.map(escapeHtml).join(', ')} table.</p>`
      : body();
  };
  const section = (id: string, title: string, names: readonly string[], body: () => string): FigureSection => ({
    id,
    title,
    body: unless(names, body),
    figures: names.map(figure),
  });

  // The rule the latest run matched plays by (its --match), as the match explanation records it.
  const matchRule =
    data.health.matchExplanation?.mode === 'normalized'
      ? 'title and artist name equal once their spelling is repaired, durations to the hundredth of a second: <code>--match normalized</code>'
      : 'title, artist name and duration all equal';

  return [
    section('headline', 'Headline numbers', ['headline'], () => headline(rows('headline')[0] ?? {})),
    section('plays-per-day', 'Plays per day', ['plays_per_day'], () => {
      const days = rows('plays_per_day');
      return chartFigure(
        categoryChartSvg({
          kind: 'bar',
          categories: days.map((row) => String(row.day)),
          series: [{ name: 'plays', values: days.map((row) => Number(row.plays)) }],
        }),
        'Plays (NextSong events) per UTC day.',
      );
    }),
    section('hour-weekday', 'When people listen', ['hour_weekday'], () => {
      const cells = rows('hour_weekday').map((row) => ({ weekday: Number(row.weekday), hour: Number(row.hour), plays: Number(row.plays) }));
      const byHour = new Map<number, number>();
      for (const cell of cells) byHour.set(cell.hour, (byHour.get(cell.hour) ?? 0) + cell.plays);
      const busiest = [...byHour.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
      const busiestText = busiest
        ? `<p>Busiest hour: <strong data-testid="busiest-hour">${String(busiest[0]).padStart(2, '0')}:00 UTC</strong> (${groupDigits(busiest[1])} plays over ${data.filters.from || data.filters.to ? 'the days chosen' : 'all days'}).</p>`
        : '';
      return `${busiestText}${chartFigure(hourWeekdayHeatmapSvg(cells), 'Plays by hour of day (UTC, columns) and weekday (rows).')}`;
    }),
    section('songs', 'Most played songs and artists', ['top_songs_logged', 'top_artists_logged', 'top_songs_matched'], () => {
      const songs = rows('top_songs_logged');
      return `<p>As the events name them (most plays match no catalogue song):</p>
<div class="columns">
${rowsTable(
  songs,
  [
    ['song', 'Song'],
    ['artist', 'Artist'],
    ['plays', 'Plays'],
  ],
  'top-songs-logged',
)}
${rowsTable(
  rows('top_artists_logged'),
  [
    ['artist', 'Artist'],
    ['plays', 'Plays'],
  ],
  'top-artists-logged',
)}
</div>
<p>As catalogue songs, where the play matched one (${matchRule}):</p>
${rowsTable(
  rows('top_songs_matched'),
  [
    ['title', 'Song'],
    ['artist', 'Artist'],
    ['plays', 'Plays'],
  ],
  'top-songs-matched',
)}`;
    }),
    section('levels', 'Free and paid', ['level_per_day', 'level_changes'], () => {
      const perDay = rows('level_per_day');
      const days = [...new Set(perDay.map((row) => String(row.day)))];
      const series = ['free', 'paid'].map((level) => ({
        name: level,
        values: days.map((day) => Number(perDay.find((row) => row.day === day && row.level === level)?.plays ?? 0)),
      }));
      const changes = rows('level_changes')[0] ?? {};
      return `${chartFigure(categoryChartSvg({ kind: 'bar', categories: days, series, stacked: true }), 'Plays per day by the level they were made at.')}
<p>Level changes: <strong data-testid="upgrades">${Number(changes.upgrades ?? 0)}</strong> upgrades (free to paid),
<strong data-testid="downgrades">${Number(changes.downgrades ?? 0)}</strong> downgrades (paid to free), from user_levels.</p>`;
    }),
    section('users', 'Most active users', ['top_users'], () =>
      rowsTable(
        rows('top_users'),
        [
          ['user_id', 'User'],
          ['first_name', 'First name'],
          ['last_name', 'Last name'],
          ['current_level', 'Level now'],
          ['plays', 'Plays'],
        ],
        'top-users',
      ),
    ),
    section('engagement', 'Engagement and retention', ['listeners_per_day', 'weekly_retention'], () => {
      const days = rows('listeners_per_day');
      const chart = categoryChartSvg({
        kind: 'line',
        categories: days.map((row) => String(row.day)),
        series: [{ name: 'listeners', values: days.map((row) => Number(row.listeners)) }],
      });
      return `${chartFigure(chart, 'Distinct listeners per UTC day.')}
<p>Weekly cohorts (weeks start on Monday): of the listeners first seen in a week, how many played again in each later week.</p>
${retentionTable(rows('weekly_retention'))}`;
    }),
    section('demographics', 'Demographics', ['gender', 'level_listeners'], () => {
      return `<div class="columns">
${rowsTable(
  rows('gender'),
  [
    ['gender', 'Gender'],
    ['listeners', 'Listeners'],
    ['plays', 'Plays'],
  ],
  'gender',
)}
${rowsTable(
  rows('level_listeners'),
  [
    ['level', 'Level'],
    ['listeners', 'Listeners'],
    ['plays', 'Plays'],
  ],
  'level-listeners',
)}
</div>`;
    }),
    section('locations', 'Top locations', ['top_locations'], () =>
      rowsTable(
        rows('top_locations'),
        [
          ['location', 'Location'],
          ['listeners', 'Listeners'],
          ['plays', 'Plays'],
        ],
        'top-locations',
      ),
    ),
    section('devices', 'Devices, browsers and operating systems', ['user_agents'], () => {
      const table = (counts: readonly NameCount[], heading: string, testId: string) =>
        rowsTable(
          counts.map((count) => ({ name: count.name, plays: count.plays })),
          [
            ['name', heading],
            ['plays', 'Plays'],
          ],
          testId,
        );
      const { devices, browsers, systems } = data.userAgents;
      return `<div class="columns">${table(devices, 'Device', 'devices')}${table(browsers, 'Browser', 'browsers')}${table(systems, 'Operating system', 'systems')}</div>
<p class="meta">Parsed from each play's userAgent with the bowser library.</p>`;
    }),
    { id: 'health', title: 'Data health', body: healthBody(data), figures: [] },
  ];
}

function headline(row: JsonRow): string {
  const plays = Number(row.plays ?? 0);
  const share = (part: unknown) => (plays === 0 ? 'n/a' : `${((100 * Number(part ?? 0)) / plays).toFixed(plays >= 1000 ? 2 : 1)}%`);
  const card = (testId: string, value: string, label: string) =>
    `<div class="number"><div class="value" data-testid="${testId}">${escapeHtml(value)}</div><div class="label">${escapeHtml(label)}</div></div>`;
  return `<div class="numbers">
${card('plays', groupDigits(plays), 'plays (NextSong events)')}
${card('listeners', groupDigits(Number(row.listeners ?? 0)), 'listeners (distinct users)')}
${card('paid-share', share(row.paid_plays), 'of plays by paid users')}
${card('match-rate', share(row.matched_plays), 'of plays matched to a catalogue song')}
</div>`;
}

const WEEK_MS = 7 * 24 * 3600 * 1000;

function retentionTable(rows: readonly JsonRow[]): string {
  if (rows.length === 0) return '<p class="empty">No rows.</p>';
  const cohorts = [...new Set(rows.map((row) => String(row.cohort_week)))];
  const offsets = Math.max(...rows.map((row) => Number(row.week_offset))) + 1;
  const cell = (cohort: string, offset: number) =>
    Number(rows.find((row) => row.cohort_week === cohort && Number(row.week_offset) === offset)?.listeners ?? 0);
  // Weeks after the last one with plays have no data yet: blank, not 0 (0%), which reads as listeners lost.
  const weekOf = (cohort: string, offset: number) => Date.parse(cohort) + offset * WEEK_MS;
  const lastWeek = Math.max(...rows.map((row) => weekOf(String(row.cohort_week), Number(row.week_offset))));
  const head = Array.from({ length: offsets }, (_, offset) => `<th>week ${offset}</th>`).join('');
  const body = cohorts
    .map((cohort) => {
      const size = cell(cohort, 0);
      const cells = Array.from({ length: offsets }, (_, offset) => {
        if (weekOf(cohort, offset) > lastWeek) return '<td class="n" data-state="no-data-yet"></td>';
        const listeners = cell(cohort, offset);
        return `<td class="n">${listeners}${offset > 0 && size > 0 ? ` (${Math.round((100 * listeners) / size)}%)` : ''}</td>`;
      }).join('');
      return `<tr><td>${escapeHtml(cohort)}</td>${cells}</tr>`;
    })
    .join('\n');
  return `<table data-testid="retention"><thead><tr><th>First seen in week of</th>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function healthBody(data: ReportData): string {
  const { runs, rejects, checks, matchExplanation } = data.health;
  const sql = (text: string) => `<details class="sql"><summary>How this was computed</summary><pre>${escapeHtml(text)}</pre></details>`;
  const anyColumns = (table: readonly JsonRow[]) => Object.keys(table[0] ?? {}).map((key) => [key, key] as const);
  const runsHtml = runs === null ? NOT_RECORDED : rowsTable(runs, anyColumns(runs), 'runs');
  const rejectsHtml =
    rejects === null
      ? NOT_RECORDED
      : rejects.length === 0
        ? '<p data-testid="rejects">No record was rejected by the latest load.</p>'
        : rowsTable(
            rejects,
            [
              ['source_file', 'File'],
              ['dataset', 'Dataset'],
              ['rejects', 'Rejected'],
              ['first_line', 'First line'],
              ['first_error', 'First error'],
            ],
            'rejects',
          );
  const checksHtml =
    checks === null
      ? NOT_RECORDED
      : `<p class="meta">Checks of run <code>${checks.runId}</code>, the latest that published.</p>
${rowsTable(
  checks.results,
  [
    ['name', 'Check'],
    ['severity', 'Severity'],
    ['status', 'Status'],
    ['failing_rows', 'Failing rows'],
    ['first_failing_keys', 'First failing keys'],
  ],
  'checks',
)}${
  checks.failures.length === 0
    ? ''
    : `<p>Failing rows as <code>check_failures</code> holds them (from the latest run or <code>sparkify check</code>; the first five of each check):</p>${rowsTable(
        checks.failures,
        [
          ['check_name', 'Check'],
          ['severity', 'Severity'],
          ['failing_key', 'Key'],
          ['row_json', 'Row'],
        ],
        'check-failures',
      )}`
}`;
  const matchHtml = matchExplanation === null ? NOT_RECORDED : matchBody(matchExplanation);
  return `<h3>Latest runs</h3>${runsHtml}${runs === null ? '' : sql(HEALTH_QUERIES.runs)}
<h3>Rejected records by file</h3>${rejectsHtml}${rejects === null ? '' : sql(HEALTH_QUERIES.rejectsByFile)}
<h3>Checks</h3>${checksHtml}
<h3>Why plays match no song</h3>${matchHtml}${matchExplanation === null ? '' : sql(matchExplanation.sql)}`;
}

function matchBody(explanation: MatchExplanation): string {
  const summary = `<p data-testid="match-summary">Of ${groupDigits(explanation.plays)} plays in staging, ${groupDigits(explanation.matched)} match a song under <code>--match ${escapeHtml(explanation.mode)}</code> and ${groupDigits(explanation.unmatched)} do not; each unmatched play has one cause (as <code>sparkify explain-matches</code> gives them).</p>`;
  if (explanation.causes.length === 0) return summary;
  const rows = explanation.causes.map((cause) => ({
    cause: cause.cause,
    plays: cause.plays,
    names: cause.names,
    examples: cause.examples
      .slice(0, 3)
      .map((example) => `${example.song ?? '(no song)'} by ${example.artist ?? '(no artist)'} (${example.plays})`)
      .join('; '),
  }));
  return `${summary}${rowsTable(
    rows,
    [
      ['cause', 'Cause'],
      ['plays', 'Plays'],
      ['names', 'Distinct songs named'],
      ['examples', 'Examples (plays)'],
    ],
    'match-explanation',
  )}`;
}
