/**
 * The normalized-matching SQL of match-sql.ts, run for real: the mojibake repair and the text and duration
 * keys give the same answers on every warehouse. The SQL is the same for all three and uses only what
 * Redshift has, so PostgreSQL's run stands for Redshift's.
 */
import { describe, expect, it } from 'vitest';
import { mojibake } from '../../src/generator/text-quirks.js';
import { toJsonRow } from '../../src/pipeline/query.js';
import { withWarehouse } from '../../src/warehouses/open-warehouse.js';
import { parseWarehouseTarget } from '../../src/warehouses/warehouse-target.js';
import { durationKeySql, repairMojibakeSql, sqlText, textKeySql } from '../../src/warehouses/sql/match-sql.js';
import { testPostgresUrl, testWarehouses } from '../support/test-warehouses.js';

// Names as the catalogue writes them, each of which the logs may carry double-encoded.
const NAMES = [
  'Björk',
  'Beyoncé',
  'Sigur Rós',
  'Mötley Crüe',
  'Motörhead',
  'Dvořák',
  'Michał Lorenc',
  'Château «Rouge» 1°',
  'Don’t Stop — “Live”…',
  'SÃO PAULO',
  'Plain ASCII',
];

function once(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

// The SQL takes no dialect: Redshift runs what PostgreSQL runs here (REPLACE, LIKE, LOWER, TRIM, FLOOR, CAST).
const warehouses = testWarehouses().map((target) => ({
  name: target.name === 'postgres' ? 'postgres (the SQL Redshift runs too)' : target.name,
  url: target.name === 'postgres' ? testPostgresUrl()! : 'duckdb::memory:',
}));

describe('mojibake repair and match keys in SQL', () => {
  it('the generator mangles every test name that has non-ASCII', () => {
    for (const name of NAMES.filter((text) => /[^\x00-\x7f]/.test(text))) expect(mojibake(name)).not.toBe(name);
  });

  for (const target of warehouses) {
    describe(target.name, () => {
      const ask = (sql: string) =>
        withWarehouse(parseWarehouseTarget(target.url, 'test'), {}, async (warehouse) => (await warehouse.query(sql)).map(toJsonRow));

      it('repairs text read as Latin-1 twice or once, and leaves correct text alone', async () => {
        // From a table of values, not literals: DuckDB would fold each constant chain at planning time.
        const texts = NAMES.flatMap((name) => [name, once(name), mojibake(name)]);
        const values = texts.map((text, i) => `(${i}, ${sqlText(text)})`).join(', ');
        const rows = await ask(`SELECT n, ${repairMojibakeSql('t')} AS fixed FROM (VALUES ${values}) v (n, t) ORDER BY n`);
        expect(rows.map((row) => row.fixed)).toEqual(NAMES.flatMap((name) => [name, name, name]));
      });

      it('keys text by repaired, apostrophe-restored, trimmed, lower-cased text', async () => {
        const broken = `${mojibake('Howlin’ Björk')}\u0019s Song  `;
        const [row] = await ask(
          `SELECT ${textKeySql(repairMojibakeSql('p'))} AS play, ${textKeySql(repairMojibakeSql('s'))} AS song ` +
            `FROM (VALUES (${sqlText(broken)}, ${sqlText("HOWLIN’ BJöRK's song")})) v (p, s)`,
        );
        expect(row?.play).toBe("howlin’ björk's song");
        expect(row?.song).toBe(row?.play);
      });

      it('keys durations by whole hundredths, rounding halves up on every warehouse', async () => {
        const values = [269.58322, 269.58, 269.583, 269.585, 269.57499, 0.004];
        const rows = await ask(
          values.map((value, i) => `SELECT ${i} AS n, ${durationKeySql(String(value))} AS k`).join(' UNION ALL ') + ' ORDER BY n',
        );
        expect(rows.map((row) => Number(row.k))).toEqual([26958, 26958, 26958, 26959, 26957, 0]);
      });
    });
  }
});
