/**
 * Objects of a remote source (S3) go through the same staging workers as local files, as bytes: fetched
 * whole, or, for a big log object, streamed and handed over in parts cut at line ends. Staged from a
 * location that is not local, every row and reject is the one the local path stages, line numbers across
 * the parts, byte order mark and CRLF included.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/generator/generate.js';
import { EVENT_DATASET, openStagingLoad, SONG_DATASET, stageDataset, type StagedCounts } from '../../src/pipeline/dataset-stager.js';
import { prepareLoadStatements } from '../../src/pipeline/schema-setup.js';
import { LOAD_ERRORS } from '../../src/schema/staging-tables.js';
import { LocalLocation } from '../../src/sources/local/local-location.js';
import type { DataLocation } from '../../src/sources/source.js';
import { openWarehouse } from '../../src/warehouses/open-warehouse.js';
import { parseWarehouseTarget } from '../../src/warehouses/warehouse-target.js';
import type { ResultRow } from '../../src/warehouses/warehouse.js';
import { tempFolder, testWarehouses } from '../support/test-warehouses.js';

/** `local` as a remote storage would offer it: no local files, small stream chunks. */
function remote(local: LocalLocation, streamed: string[]): DataLocation {
  return {
    uri: local.uri,
    list: () => local.list(),
    read: (object) => local.read(object),
    stream: (object) => {
      streamed.push(object.uri);
      return local.stream(object);
    },
    get skipped() {
      return local.skipped;
    },
    concurrency: 8,
  };
}

interface Staged {
  readonly counts: Record<string, StagedCounts>;
  readonly events: ResultRow[];
  readonly songs: ResultRow[];
  readonly errors: ResultRow[];
}

async function stageBoth(folder: string, warehouse: string, asRemote: boolean, streamed: string[]): Promise<Staged> {
  const opened = await openWarehouse(parseWarehouseTarget(warehouse, 'test'));
  try {
    for (const statement of prepareLoadStatements(opened.dialect)) await opened.execute(statement);
    const rejects = await opened.openWriter(LOAD_ERRORS);
    const counts: Record<string, StagedCounts> = {};
    for (const [spec, sub] of [
      [SONG_DATASET, 'song_data'],
      [EVENT_DATASET, 'log_data'],
    ] as const) {
      const local = new LocalLocation(join(folder, sub));
      const load = await openStagingLoad(opened, spec.table);
      counts[spec.name] = await stageDataset(asRemote ? remote(local, streamed) : local, spec, load, rejects);
      await load.finish();
    }
    await rejects.finish();
    const all = (sql: string) => opened.query(sql);
    return {
      counts,
      events: await all('SELECT * FROM staging_events ORDER BY source_file, line_number'),
      songs: await all('SELECT * FROM staging_songs ORDER BY source_file, line_number'),
      errors: await all('SELECT * FROM load_errors ORDER BY source_file, line_number'),
    };
  } finally {
    await opened.close();
  }
}

describe('staging from a remote location', () => {
  let folder: string;
  beforeAll(async () => {
    folder = join(tempFolder('sparkify-remote-'), 'data');
    await generate({ out: folder, songs: 300, events: 30_000, days: 1, seed: 7, damage: 0.003 });
    // One big log file (several parts) with a byte order mark and CRLF line ends.
    let log: string | undefined;
    for await (const object of new LocalLocation(join(folder, 'log_data')).list()) log ??= object.uri;
    const text = readFileSync(log!, 'utf8');
    writeFileSync(log!, `\uFEFF${text.replaceAll('\n', '\r\n')}`);
  });

  for (const target of testWarehouses()) {
    it(`stages the same rows and rejects as from local files, on ${target.name}`, async () => {
      const streamed: string[] = [];
      const local = await stageBoth(folder, target.fresh(), false, streamed);
      const fetched = await stageBoth(folder, target.fresh(), true, streamed);
      // The big log object was streamed in parts; everything else was fetched whole.
      expect(streamed).toHaveLength(1);
      expect(fetched.counts).toEqual(local.counts);
      expect(local.counts.events!.bytes).toBeGreaterThan(3 * (4 << 20));
      expect(local.counts.events!.rejected).toBeGreaterThan(10);
      expect(fetched.events).toEqual(local.events);
      expect(fetched.songs).toEqual(local.songs);
      expect(fetched.errors).toEqual(local.errors);
    });
  }
});
