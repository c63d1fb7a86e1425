/**
 * The checks and the match explanation on the public sample, on every warehouse: the gate and `check`
 * pass, and the explanation accounts for every unmatched play (its causes add up to the 6,819 songplays
 * without a song). Redshift's SQL for the checks, the explanation and the normalized songplays runs on the
 * test PostgreSQL server, on the tables PostgreSQL built.
 */
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtInChecks } from '../../src/checks/check-definitions.js';
import { runChecks } from '../../src/checks/check-runner.js';
import { check } from '../../src/pipeline/check.js';
import { explainMatches } from '../../src/pipeline/match-explanation.js';
import { query } from '../../src/pipeline/query.js';
import { run } from '../../src/pipeline/run.js';
import type { RunSummary } from '../../src/pipeline/run-summary.js';
import { withWarehouse } from '../../src/warehouses/open-warehouse.js';
import { RedshiftDialect } from '../../src/warehouses/redshift/redshift-dialect.js';
import { matchExplanationSql } from '../../src/warehouses/sql/match-explanation-sql.js';
import { starTableBuilds } from '../../src/warehouses/sql/star-transform-sql.js';
import { parseWarehouseTarget } from '../../src/warehouses/warehouse-target.js';
import { testWarehouses } from '../support/test-warehouses.js';

const SAMPLE = new URL('../../../shared/data/sparkify-sample', import.meta.url).pathname;
const title = existsSync(SAMPLE)
  ? 'checks and match explanation on the public sample'
  : `checks and match explanation on the public sample (SKIPPED: ${SAMPLE} is absent; it sits beside the repository in ../shared)`;

describe.skipIf(!existsSync(SAMPLE))(title, () => {
  for (const target of testWarehouses()) {
    describe(target.name, () => {
      let warehouse: string;
      let summary: RunSummary;

      beforeAll(async () => {
        warehouse = target.fresh();
        summary = await run({ options: { source: SAMPLE, warehouse }, env: {}, cwd: SAMPLE });
      });

      it('passes every check in the gate of the run and in sparkify check', async () => {
        expect(summary.checks).toMatchObject({ ran: 16, passed: 16, blocking: false });
        expect(await check({ options: { warehouse }, env: {}, cwd: SAMPLE })).toMatchObject({ ran: 15, passed: 15, blocking: false });
      });

      for (const match of ['exact', 'normalized'] as const) {
        it(`accounts for every unmatched play with --match ${match}`, async () => {
          const explanation = await explainMatches({ options: { warehouse, match }, env: {}, cwd: SAMPLE });
          const [published] = await query('SELECT COUNT(*) AS n FROM songplays WHERE song_id IS NULL', { options: { warehouse }, env: {} });
          expect(explanation).toMatchObject({ plays: 6820, matched: 1, unmatched: 6819 });
          expect(published?.n).toBe(6819);
          expect(explanation.causes.reduce((sum, cause) => sum + cause.plays, 0)).toBe(6819);
          const plays = Object.fromEntries(explanation.causes.map((cause) => [cause.cause, cause.plays]));
          expect(plays).toEqual({
            spelling: 0,
            duration: 0,
            'artist-spelling': 0,
            'other-artist': 0,
            'artist-only': 20,
            'not-in-catalogue': 6799,
          });
          const artistOnly = explanation.causes.find((cause) => cause.cause === 'artist-only');
          expect(artistOnly?.examples[0]).toMatchObject({ song: "Runnin' Down A Dream", artist: 'Tom Petty', plays: 3, artistSongs: 1 });
        });
      }

      // Only on PostgreSQL, whose server runs Redshift's SQL here; DuckDB has nothing to add to it.
      if (target.name !== 'postgres') return;
      it("runs Redshift's checks, explanation and normalized songplays on PostgreSQL", async () => {
        const dialect = new RedshiftDialect();
        await withWarehouse(parseWarehouseTarget(warehouse, 'test'), {}, async (open) => {
          const outcomes = await runChecks(open, builtInChecks(dialect, { minMatchRate: 0.5 }), false);
          expect(outcomes.map((outcome) => `${outcome.result.name} ${outcome.result.status}`)).toEqual([
            ...builtInChecks(dialect).map((definition) => `${definition.name} passed`),
            'songplays_match_rate failed',
          ]);
          const rows = await open.query(matchExplanationSql(dialect, 'exact'));
          const totals = new Map(rows.map((row) => [row.cause, Number(row.cause_plays)]));
          expect(Object.fromEntries(totals)).toEqual({ matched: 1, 'artist-only': 20, 'not-in-catalogue': 6799 });
          const songplays = starTableBuilds(dialect, { match: 'normalized' }).find((build) => build.table.name === 'songplays')!;
          // Redshift's STRTOL(hex, 16), which the songplay_id hash uses, as PostgreSQL can compute it.
          await open.execute(
            "CREATE OR REPLACE FUNCTION strtol(digits TEXT, base INTEGER) RETURNS BIGINT LANGUAGE SQL AS $$ SELECT ('x' || LPAD(digits, 16, '0'))::BIT(64)::BIGINT $$",
          );
          const [counts] = await open.query(`SELECT COUNT(*) AS plays, COUNT(song_id) AS matched FROM (\n${songplays.select()}\n) plays`);
          expect({ plays: Number(counts?.plays), matched: Number(counts?.matched) }).toEqual({ plays: 6820, matched: 1 });
        });
      });
    });
  }
});
