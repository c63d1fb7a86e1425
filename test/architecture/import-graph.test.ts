/**
 * The seams hold: no import cycle anywhere in `src/` (type-only and dynamic imports included), and the
 * warehouse and source contracts import nothing from the pipeline.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph } from './import-graph.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

describe('the import graph of src/', () => {
  const graph = importGraph(SRC);

  it('reads every source file and resolves every relative import to one', () => {
    expect(graph.size).toBeGreaterThan(50);
    const missing = [...graph.entries()].flatMap(([file, targets]) =>
      targets.filter((target) => !graph.has(target)).map((target) => `${file} -> ${target}`),
    );
    expect(missing).toEqual([]);
  });

  it('has no cycles', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const looped = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(importCycles(looped)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('keeps the warehouse and source contracts free of the pipeline', () => {
    for (const contract of ['warehouses/warehouse.ts', 'sources/source.ts']) {
      expect(graph.get(contract)?.filter((target) => target.startsWith('pipeline/'))).toEqual([]);
    }
  });
});
