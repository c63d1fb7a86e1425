/**
 * The report's named queries on every warehouse, over the tiny fixture: the figures, what each filter does
 * to them (checked against SQL written out by hand), bound values that stay values, and the data-health
 * section with and without the tables other parts of the product add.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { loadSettings } from '../../src/config/settings.js';
import { query, toJsonRow } from '../../src/pipeline/query.js';
import { run } from '../../src/pipeline/run.js';
import { collectReportData, type ReportData } from '../../src/report/report-data.js';
import { parseReportFilters, type ReportFilters } from '../../src/report/report-filters.js';
import { renderReportPage } from '../../src/report/report-html.js';
import { withWarehouse } from '../../src/warehouses/open-warehouse.js';
import { RedshiftDialect } from '../../src/warehouses/redshift/redshift-dialect.js';
import { NAMED_QUERIES, type BoundQuery } from '../../src/report/named-queries.js';
import { testPostgresUrl, testWarehouses, uniqueTestSchema, withSchema } from '../support/test-warehouses.js';

const TINY = new URL('../fixtures/tiny', import.meta.url).pathname;

for (const target of testWarehouses()) {
  describe(`report queries on ${target.name}`, () => {
    let warehouse: string;
    const collect = (filters: ReportFilters = {}): Promise<ReportData> =>
      withWarehouse(loadSettings({ options: { warehouse }, env: {} }).warehouse, { readOnly: true }, (opened) =>
        collectReportData(opened, filters),
      );
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

    it('says "not recorded yet" for runs, checks and the match explanation while those tables do not exist', async () => {
      const data = await collect();
      expect(data.health).toMatchObject({ runs: null, checks: null, matchExplanation: null, rejects: [] });
      expect(data.lineage.runId).toBeNull();
      const html = renderReportPage(data, { mode: 'report' });
      expect(html.match(/data-state="not-recorded"/g)).toHaveLength(3);
      expect(html).toContain('Run history: not recorded yet.');
    });

    it('shows the latest run, the files and the rejects once their tables hold rows', async () => {
      const settings = loadSettings({ options: { warehouse }, env: {} });
      await withWarehouse(settings.warehouse, {}, async (opened) => {
        await opened.execute(
          'CREATE TABLE sparkify_runs (run_id VARCHAR(64), started_at TIMESTAMP, finished_at TIMESTAMP, status VARCHAR(16), mode VARCHAR(16))',
        );
        await opened.execute(
          "INSERT INTO sparkify_runs VALUES ('run-1', TIMESTAMP '2026-01-01 10:00:00', TIMESTAMP '2026-01-01 10:01:00', 'succeeded', 'full'), ('run-2', TIMESTAMP '2026-01-02 10:00:00', TIMESTAMP '2026-01-02 10:01:00', 'succeeded', 'incremental')",
        );
        await opened.execute(
          'CREATE TABLE sparkify_files (source_file VARCHAR(256), dataset VARCHAR(16), size BIGINT, change_token VARCHAR(64), records_read INTEGER, records_staged INTEGER, records_rejected INTEGER, run_id VARCHAR(64))',
        );
        await opened.execute(
          "INSERT INTO sparkify_files VALUES ('a.json', 'events', 10, 't', 5, 4, 1, 'run-2'), ('b.json', 'events', 10, 't', 5, 5, 0, 'run-2')",
        );
        await opened.execute(
          "INSERT INTO load_errors (source_file, line_number, raw_record, error, dataset) VALUES ('a.json', 9, '{', 'bad JSON', 'events'), ('a.json', 3, '{\"ts\":1}', 'ts: expected an integer', 'events')",
        );
      });
      const data = await collect();
      expect(data.lineage).toMatchObject({
        runId: 'run-2',
        runStatus: 'succeeded',
        files: [{ dataset: 'events', files: 2 }],
        filesFrom: 'sparkify_files',
      });
      expect(data.health.runs?.map((row) => row.run_id)).toEqual(['run-2', 'run-1']);
      expect(data.health.rejects).toEqual([
        { source_file: 'a.json', dataset: 'events', rejects: 2, first_line: 3, first_error: 'ts: expected an integer' },
      ]);
      expect(renderReportPage(data, { mode: 'report' })).toContain('Latest run <code>run-2</code> (succeeded)');
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
