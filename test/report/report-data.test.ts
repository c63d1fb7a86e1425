/**
 * The report's named queries on every warehouse, over the tiny fixture: the figures, what each filter does
 * to them (checked against SQL written out by hand), bound values that stay values, and the data-health
 * section where nothing was run and after two real runs (the ledger, the checks, the match explanation).
 */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src/checks/check-report.js';
import { ConfigError } from '../../src/errors.js';
import { loadSettings } from '../../src/config/settings.js';
import { query, toJsonRow } from '../../src/pipeline/query.js';
import { explainMatches } from '../../src/pipeline/match-explanation.js';
import { createTables, run } from '../../src/pipeline/run.js';
import { collectReportData, type ReportData } from '../../src/report/report-data.js';
import { parseReportFilters, type ReportFilters } from '../../src/report/report-filters.js';
import { renderReportPage } from '../../src/report/report-html.js';
import { withWarehouse } from '../../src/warehouses/open-warehouse.js';
import { RedshiftDialect } from '../../src/warehouses/redshift/redshift-dialect.js';
import { NAMED_QUERIES, type BoundQuery } from '../../src/report/named-queries.js';
import { testPostgresUrl, testWarehouses, uniqueTestSchema, withSchema } from '../support/test-warehouses.js';

const TINY = new URL('../fixtures/tiny', import.meta.url).pathname;
const NEW_LOG = '2018-11-04-events.json';
/** One more play, of a song and artist the catalogue does not have. */
const NEW_PLAY = {
  artist: 'Nobody Else',
  auth: 'Logged In',
  firstName: 'Kaylee',
  gender: 'F',
  itemInSession: 0,
  lastName: 'Summers',
  length: 180.5,
  level: 'free',
  location: 'New Orleans-Metairie, LA',
  method: 'PUT',
  page: 'NextSong',
  registration: 1540919166796.0,
  sessionId: 300,
  song: 'Another Missing Song',
  status: 200,
  ts: 1541300000796,
  userAgent: 'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36',
  userId: '8',
};

/** The report's data, read on a read-only connection as `sparkify report` reads it. */
const collectFrom = (warehouse: string, filters: ReportFilters = {}): Promise<ReportData> =>
  withWarehouse(loadSettings({ options: { warehouse }, env: {} }).warehouse, { readOnly: true }, (opened) =>
    collectReportData(opened, filters),
  );
const ask = (warehouse: string, sql: string) => query(sql, { options: { warehouse }, env: {} });

for (const target of testWarehouses()) {
  describe(`report queries on ${target.name}`, () => {
    let warehouse: string;
    const collect = (filters: ReportFilters = {}): Promise<ReportData> => collectFrom(warehouse, filters);
    const ask = (sql: string) => query(sql, { options: { warehouse }, env: {} });

    beforeAll(async () => {
      warehouse = target.fresh();
      await run({ options: { source: TINY, warehouse }, env: {}, cwd: TINY });
    });

    it('gives the headline numbers, the busiest songs as logged and the level changes', async () => {
      const data = await collect();
      expect(data.figures.headline!.rows).toEqual([{ plays: 6, listeners: 2, paid_plays: 1, matched_plays: 4 }]);
      expect(data.figures.level_changes!.rows).toEqual([{ upgrades: 1, downgrades: 0 }]);
      expect(data.figures.plays_per_day!.rows).toEqual([
        { day: '2018-11-02', plays: 4 },
        { day: '2018-11-03', plays: 2 },
      ]);
      expect(data.figures.top_songs_logged!.rows[0]).toMatchObject({ plays: expect.any(Number) });
      expect(data.figures.weekly_retention!.rows).toEqual([{ cohort_week: '2018-10-29', week_offset: 0, listeners: 2 }]);
      expect(data.userAgents.browsers.reduce((sum, entry) => sum + entry.plays, 0)).toBe(6);
    });

    it('applies each filter as the SQL written out by hand does', async () => {
      const plays = async (filters: ReportFilters) => (await collect(filters)).figures.headline!.rows[0]!.plays;
      const [paid] = await ask("SELECT COUNT(*) AS n FROM songplays WHERE level = 'paid'");
      expect(await plays({ level: 'paid' })).toBe(paid!.n);
      const [lateDays] = await ask("SELECT COUNT(*) AS n FROM songplays WHERE start_time >= TIMESTAMP '2018-11-03 00:00:00'");
      expect(await plays({ from: '2018-11-03' })).toBe(lateDays!.n);
      expect(await plays({ to: '2018-11-02' })).toBe(6 - Number(lateDays!.n));
      expect(await plays({ from: '2018-11-03', to: '2018-11-03', level: 'free', gender: 'F' })).toBe(2);
      expect(await plays({ gender: 'M' })).toBe(0);
      expect(await plays({ location: 'New Orleans-Metairie, LA' })).toBe(6);
    });

    it('binds filter values, so a quote in a location is a value and matches nothing', async () => {
      const data = await collect({ location: "x' OR '1'='1" });
      expect(data.figures.headline!.rows[0]!.plays).toBe(0);
      expect(data.figures.headline!.bound.sql).not.toContain("x' OR");
      expect(data.figures.headline!.bound.params).toEqual(["x' OR '1'='1"]);
    });

    it('says "not recorded yet" for runs, checks and the match explanation where nothing was ever run', async () => {
      // Tables but no rows (what `createTables` leaves), and no table at all.
      const empty = target.fresh();
      await createTables({ options: { warehouse: empty }, env: {} });
      const setUp = await collectFrom(empty);
      expect(setUp.health).toMatchObject({ runs: null, checks: null, matchExplanation: null, rejects: [] });
      expect(setUp.lineage).toMatchObject({ runId: null, files: [], filesFrom: null, runFiles: [] });
      const html = renderReportPage(setUp, { mode: 'report' });
      expect(html.match(/data-state="not-recorded"/g)).toHaveLength(3);
      expect(html).toContain('Run history: not recorded yet.');
      expect(html).toContain('Source files: not recorded yet.');

      const bare = target.fresh();
      // Opening read-write creates the (empty) DuckDB file, which a read-only open needs.
      await withWarehouse(loadSettings({ options: { warehouse: bare }, env: {} }).warehouse, {}, async () => {});
      const nothing = await collectFrom(bare);
      expect(nothing.health).toEqual({ runs: null, checks: null, matchExplanation: null, rejects: null });
      expect(nothing.lineage.runId).toBeNull();
      expect(renderReportPage(nothing, { mode: 'report' }).match(/data-state="not-recorded"/g)).toHaveLength(4);
    });
  });

  describe(`the data-health section after two runs on ${target.name}`, () => {
    let warehouse: string;
    let source: string;
    let data: ReportData;

    beforeAll(async () => {
      warehouse = target.fresh();
      source = mkdtempSync(join(tmpdir(), 'sparkify-report-source-'));
      cpSync(TINY, source, { recursive: true });
      // A warn check that fails (free users exist), so check_failures holds rows while the run publishes.
      mkdirSync(join(source, 'checks'));
      writeFileSync(join(source, 'checks', 'free_users.sql'), "-- severity: warn\nSELECT user_id, level FROM users WHERE level = 'free'\n");
      await run({ options: { source, warehouse }, env: {}, cwd: source });
      writeFileSync(join(source, 'log_data', '2018', '11', NEW_LOG), `${JSON.stringify(NEW_PLAY)}\n`);
      await run({ options: { source, warehouse }, env: {}, cwd: source });
      data = await collectFrom(warehouse);
    });

    it('lists both runs, newest first, and names the latest run and the one file it loaded in the header', async () => {
      expect(data.health.runs?.map((row) => [row.run_id, row.status])).toEqual([
        [2, 'succeeded'],
        [1, 'succeeded'],
      ]);
      expect(data.health.runs?.[0]).toMatchObject({ event_files_new: 1, event_files_unchanged: 2, songplays: 7 });
      expect(data.lineage).toMatchObject({ runId: '2', runStatus: 'succeeded', filesFrom: 'sparkify_files' });
      expect(data.lineage.files).toEqual([
        { dataset: 'events', files: 3 },
        { dataset: 'songs', files: 3 },
      ]);
      expect(data.lineage.runFiles).toHaveLength(1);
      expect(data.lineage.runFiles[0]).toMatchObject({ dataset: 'events', records_read: 1, records_staged: 1, records_rejected: 0 });
      expect(String(data.lineage.runFiles[0]!.source_file)).toMatch(new RegExp(`${NEW_LOG}$`));
      const [ledger] = await ask(warehouse, 'SELECT COUNT(*) AS n FROM sparkify_files WHERE run_id = 1');
      expect(ledger!.n).toBe(5);
      const html = renderReportPage(data, { mode: 'report' });
      expect(html).toContain('Latest published run <code>2</code> (succeeded)');
      expect(html).toMatch(new RegExp(`It loaded <span data-testid="run-files"><code>[^<]*${NEW_LOG}</code></span>`));
      expect(html).toContain('Loaded from 3 files of events and 3 files of songs.');
      expect(html).not.toContain('data-state="not-recorded"');
    });

    it('shows the checks of the latest publishing run and the failing rows of check_failures', async () => {
      const checks = data.health.checks!;
      expect(checks.runId).toBe(2);
      const [details] = await ask(warehouse, 'SELECT details FROM sparkify_runs WHERE run_id = 2');
      const recorded = (JSON.parse(String(details!.details)) as { checks: CheckReport }).checks.results;
      expect(checks.results.map((row) => row.name)).toEqual(recorded.map((result) => result.name));
      expect(checks.results.find((row) => row.name === 'free_users')).toEqual({
        name: 'free_users',
        severity: 'warn',
        status: 'failed',
        failing_rows: 1,
        first_failing_keys: '8',
      });
      expect(checks.results.filter((row) => row.status !== 'passed').map((row) => row.name)).toEqual(['free_users']);
      expect(checks.failures).toEqual([
        { check_name: 'free_users', severity: 'warn', failing_key: '8', row_json: expect.stringContaining('"level":"free"') },
      ]);
      const html = renderReportPage(data, { mode: 'report' });
      expect(html).toContain('Checks of run <code>2</code>');
      expect(html).toContain('data-testid="check-failures"');
    });

    it('explains the unmatched plays as explain-matches does, with counts and examples', async () => {
      const explained = data.health.matchExplanation!;
      const reference = await explainMatches({ options: { warehouse }, env: {} });
      expect(explained).toMatchObject({ mode: 'exact', plays: 7, matched: reference.matched, unmatched: reference.unmatched });
      expect(explained.plays).toBe(reference.plays);
      expect(explained.causes.map((cause) => [cause.cause, cause.plays, cause.names])).toEqual(
        reference.causes.filter((cause) => cause.plays > 0).map((cause) => [cause.cause, cause.plays, cause.names]),
      );
      const missing = explained.causes.find((cause) => cause.cause === 'not-in-catalogue')!;
      expect(missing.examples.map((example) => example.song)).toContain(NEW_PLAY.song);
      const html = renderReportPage(data, { mode: 'report' });
      expect(html).toContain('data-testid="match-explanation"');
      expect(html).toContain(`${NEW_PLAY.song} by ${NEW_PLAY.artist} (1)`);
    });
  });
}

describe('report filters', () => {
  it('takes empty values as no filter and checks the others, naming the field', () => {
    expect(parseReportFilters({ from: '', level: 'paid', location: 'Boston, MA' })).toEqual({ level: 'paid', location: 'Boston, MA' });
    expect(() => parseReportFilters({ level: 'gold' })).toThrow(ConfigError);
    expect(() => parseReportFilters({ level: 'gold' })).toThrow(/^Bad filter level: /);
    expect(() => parseReportFilters({ from: '2018-02-30' })).toThrow(/^Bad filter from: expected a real calendar day/);
    expect(() => parseReportFilters({ from: '2018-11-05', to: '2018-11-01' })).toThrow(
      /^Bad filter to: 2018-11-01 is before from 2018-11-05/,
    );
    expect(() => parseReportFilters({ sql: 'DROP TABLE songplays' })).toThrow(/^Bad filter/);
  });
});

const POSTGRES = testPostgresUrl();

describe.skipIf(!POSTGRES)(
  `the report's queries in Redshift's dialect, run on PostgreSQL${POSTGRES ? '' : ' (SKIPPED: postgres not under test)'}`,
  () => {
    it('give the same rows as PostgreSQL’s own', async () => {
      const warehouse = withSchema(POSTGRES!, uniqueTestSchema());
      await run({ options: { source: TINY, warehouse }, env: {}, cwd: TINY });
      const target = loadSettings({ options: { warehouse }, env: {} }).warehouse;
      await withWarehouse(target, { readOnly: true }, async (opened) => {
        const filters: ReportFilters = { from: '2018-11-02', to: '2018-11-03', level: 'free' };
        for (const named of NAMED_QUERIES) {
          const own = named.build(opened.dialect, filters);
          const redshift = named.build(new RedshiftDialect(), filters);
          // As sets: without COLLATE "C", PostgreSQL orders ties in text by its locale, where Redshift compares
          // bytes (the tiny fixture has fewer rows than any LIMIT, so the sets are whole).
          const rows = async (bound: BoundQuery) =>
            (await opened.query(bound.sql, bound.params)).map((row) => JSON.stringify(toJsonRow(row))).sort();
          expect(await rows(redshift), named.name).toEqual(await rows(own));
        }
      });
    });
  },
);

describe('the header of a run that loaded more than the files it lists', () => {
  it('counts every file the run loaded, not the 200 the lineage lists', async () => {
    const { generate } = await import('../../src/generator/generate.js');
    const source = join(mkdtempSync(join(tmpdir(), 'sparkify-report-')), 'source');
    await generate({ out: source, songs: 300, events: 500, days: 3, seed: 4, force: true });
    const warehouse = `duckdb:${join(source, '..', 'many.duckdb')}`;
    await run({ options: { source, warehouse }, env: {}, cwd: source });
    const [ledger] = await ask(warehouse, 'SELECT COUNT(*) AS n FROM sparkify_files WHERE run_id = 1');
    const loaded = Number(ledger!.n);
    expect(loaded).toBeGreaterThan(200);
    const data = await collectFrom(warehouse);
    expect(data.lineage.runFiles).toHaveLength(200);
    expect(data.lineage.runFileCount).toBe(loaded);
    expect(renderReportPage(data, { mode: 'report' })).toMatch(
      new RegExp(`It loaded <span data-testid="run-files">(<code>[^<]*</code>, ){9}<code>[^<]*</code> and ${loaded - 10} more</span>`),
    );
  });
});

describe('the retention table', () => {
  it('leaves the weeks after the last play blank instead of 0 (0%)', async () => {
    const { generate } = await import('../../src/generator/generate.js');
    const source = join(mkdtempSync(join(tmpdir(), 'sparkify-report-')), 'source');
    // 2018-11-01 (a Thursday) to 2018-11-10: the weeks of 2018-10-29 and 2018-11-05.
    await generate({ out: source, songs: 50, events: 2_000, days: 10, seed: 9, force: true });
    const warehouse = `duckdb:${join(source, '..', 'weeks.duckdb')}`;
    await run({ options: { source, warehouse }, env: {}, cwd: source });
    const data = await collectFrom(warehouse);
    const html = renderReportPage(data, { mode: 'report' });
    const row = (cohort: string) => new RegExp(`<tr><td>${cohort}</td>(.*?)</tr>`).exec(html)?.[1] ?? '';
    expect(row('2018-10-29')).not.toContain('no-data-yet');
    expect(row('2018-10-29')).toMatch(/^<td class="n">\d+<\/td><td class="n">\d+ \(\d+%\)<\/td>$/);
    expect(row('2018-11-05')).toMatch(/^<td class="n">\d+<\/td><td class="n" data-state="no-data-yet"><\/td>$/);
  });
});

describe('the matched songs label', () => {
  it('names the rule of the run: exact, or --match normalized', async () => {
    for (const match of ['exact', 'normalized']) {
      const warehouse = `duckdb:${join(mkdtempSync(join(tmpdir(), 'sparkify-report-')), 'match.duckdb')}`;
      await run({ options: { source: TINY, warehouse, match }, env: {}, cwd: TINY });
      const html = renderReportPage(await collectFrom(warehouse), { mode: 'report' });
      expect(html).toContain(
        match === 'exact'
          ? 'where the play matched one (title, artist name and duration all equal)'
          : 'where the play matched one (title and artist name equal once their spelling is repaired, durations to the hundredth of a second: <code>--match normalized</code>)',
      );
    }
  });
});

describe('report tables', () => {
  it('print ids as they are and amounts with their digits grouped', async () => {
    const { rowsTable } = await import('../../src/report/html-parts.js');
    const html = rowsTable(
      [{ user_id: 9001, run_id: 12345, plays: 12345 }],
      [
        ['user_id', 'User'],
        ['run_id', 'Run'],
        ['plays', 'Plays'],
      ],
    );
    expect(html).toContain('<td class="n">9001</td><td class="n">12345</td><td class="n">12,345</td>');
  });
});

describe('the busiest hour', () => {
  it('counts its plays over all days, or over the days chosen', async () => {
    const warehouse = `duckdb:${join(mkdtempSync(join(tmpdir(), 'sparkify-report-')), 'hours.duckdb')}`;
    await run({ options: { source: TINY, warehouse }, env: {}, cwd: TINY });
    expect(renderReportPage(await collectFrom(warehouse), { mode: 'report' })).toMatch(/plays over all days\)/);
    const chosen = renderReportPage(await collectFrom(warehouse, { from: '2018-11-02' }), { mode: 'report' });
    expect(chosen).toMatch(/plays over the days chosen\)/);
  });
});
