/**
 * Reading the file ledger on every warehouse: the map of file to change token equals the table, whether the
 * dialect packs the pairs into few values (DuckDB) or reads them row by row, across several packed groups,
 * with names holding tabs, newlines, quotes and non-ASCII letters, and (DuckDB) a value holding a NUL.
 */
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { readLedger } from '../../src/pipeline/file-selection.js';
import { SPARKIFY_FILES } from '../../src/schema/ledger-tables.js';
import { withWarehouse } from '../../src/warehouses/open-warehouse.js';
import type { Warehouse } from '../../src/warehouses/warehouse.js';
import { parseWarehouseTarget } from '../../src/warehouses/warehouse-target.js';
import { tempFolder, testWarehouses } from '../support/test-warehouses.js';

// More files than one packed group holds (4,096), and names that a careless split would break.
function ledgerFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (let index = 0; index < 9000; index += 1)
    files.set(`/data/song_data/A/B/TR${String(index).padStart(6, '0')}.json`, `${index}:1700000000${index}`);
  files.set('/data/odd/tab\there.json', '"etag-with-quotes"');
  files.set('/data/odd/new\nline.json', '12:34');
  files.set("/data/odd/it's-ünïcödé-🎵.json", '0:0');
  return files;
}

async function insertLedger(warehouse: Warehouse, dataset: string, files: Map<string, string>): Promise<void> {
  const literal = (text: string) => warehouse.dialect.stringLiteral(text);
  const rows = [...files].map(
    ([file, token]) => `(${literal(file)}, '${dataset}', 1, ${literal(token)}, 1, 1, 0, 1, TIMESTAMP '2026-12-02 00:00:00')`,
  );
  for (let start = 0; start < rows.length; start += 1000) {
    await warehouse.execute(`INSERT INTO ${SPARKIFY_FILES.name} VALUES ${rows.slice(start, start + 1000).join(', ')}`);
  }
}

for (const target of testWarehouses()) {
  describe(`the file ledger on ${target.name}`, () => {
    it('reads back every file with its change token, and only those of the dataset asked for', async () => {
      const files = ledgerFiles();
      await withWarehouse(parseWarehouseTarget(target.fresh(), 'test'), {}, async (warehouse) => {
        await warehouse.execute(warehouse.dialect.createTable(SPARKIFY_FILES, { ifNotExists: true }));
        await insertLedger(warehouse, 'songs', files);
        await insertLedger(warehouse, 'events', new Map([['/data/log_data/2018/11/2018-11-01-events.json', '9:9']]));
        const queries = vi.spyOn(warehouse, 'query');
        expect(await readLedger(warehouse, 'songs')).toEqual(files);
        // Packed (DuckDB) it is one query of a few values; row by row (PostgreSQL) one of every row.
        expect(queries).toHaveBeenCalledTimes(1);
        expect([...(await readLedger(warehouse, 'events'))]).toEqual([['/data/log_data/2018/11/2018-11-01-events.json', '9:9']]);
      });
    });
  });
}

describe('the file ledger on duckdb, packed', () => {
  it('falls back to reading row by row when a value holds a NUL, and still reads it whole', async () => {
    const files = ledgerFiles();
    files.set('/data/odd/nul-token.json', 'before\0after');
    const duckdb = `duckdb:${join(tempFolder('sparkify-ledger-'), 'ledger.duckdb')}`;
    await withWarehouse(parseWarehouseTarget(duckdb, 'test'), {}, async (warehouse) => {
      expect(warehouse.dialect.packedPairs).toBeDefined();
      await warehouse.execute(warehouse.dialect.createTable(SPARKIFY_FILES, { ifNotExists: true }));
      await insertLedger(warehouse, 'songs', new Map([...files].filter(([file]) => !file.includes('nul-token'))));
      await warehouse.execute(
        `INSERT INTO ${SPARKIFY_FILES.name} VALUES ('/data/odd/nul-token.json', 'songs', 1, 'before' || chr(0) || 'after', 1, 1, 0, 1, TIMESTAMP '2026-12-02 00:00:00')`,
      );
      const queries = vi.spyOn(warehouse, 'query');
      expect(await readLedger(warehouse, 'songs')).toEqual(files);
      // The packed read, then the read row by row it fell back to.
      expect(queries).toHaveBeenCalledTimes(2);
      expect(String(queries.mock.calls[0]![0])).toContain('string_agg');
    });
  });
});
