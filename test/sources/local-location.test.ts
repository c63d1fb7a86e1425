/**
 * The local folder location: what its walk yields, in which order, and the sizes it reports (read lazily,
 * when asked for).
 */
import { mkdirSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { LocalLocation } from '../../src/sources/local/local-location.js';
import type { SourceObject } from '../../src/sources/source.js';
import { tempFolder } from '../support/test-warehouses.js';

function layout(): string {
  const root = tempFolder('local-location-');
  mkdirSync(join(root, 'B'), { recursive: true });
  mkdirSync(join(root, 'A', 'a'), { recursive: true });
  writeFileSync(join(root, 'B', 'b.json'), '{}');
  writeFileSync(join(root, 'A', 'a', 'x.json'), '{"x": 12345}');
  writeFileSync(join(root, 'A', 'Z.json'), '');
  writeFileSync(join(root, 'A', 'notes.txt'), 'not data');
  writeFileSync(join(root, 'A', '.hidden.json~'), 'editor backup');
  return root;
}

describe('LocalLocation', () => {
  it('walks JSON files in byte order, with their sizes, and remembers what it skipped', async () => {
    const root = layout();
    const location = new LocalLocation(root);
    const listed = [];
    for await (const object of location.list()) listed.push({ uri: object.uri, size: object.size });
    expect(listed).toEqual([
      { uri: join(root, 'A', 'Z.json'), size: 0 },
      { uri: join(root, 'A', 'a', 'x.json'), size: 12 },
      { uri: join(root, 'B', 'b.json'), size: 2 },
    ]);
    expect(location.skipped).toEqual([join(root, 'A', 'notes.txt')]);
  });

  it("reads a file's size when first asked for, not during the walk", async () => {
    const root = layout();
    const objects: SourceObject[] = [];
    for await (const object of new LocalLocation(root).list()) objects.push(object);
    writeFileSync(join(root, 'B', 'b.json'), '{"grown": true}');
    expect(objects.map((object) => object.size)).toEqual([0, 12, 15]);
    // Copies carry the size too, and the change token the ledger compares: size and modification time.
    const { mtimeMs } = statSync(join(root, 'A', 'a', 'x.json'));
    expect(JSON.parse(JSON.stringify(objects[1]))).toEqual({
      uri: join(root, 'A', 'a', 'x.json'),
      size: 12,
      changeToken: `12:${Math.trunc(mtimeMs)}`,
    });
  });

  it('names a file that is gone by the time its size is asked for', async () => {
    const root = layout();
    const objects: SourceObject[] = [];
    for await (const object of new LocalLocation(root).list()) objects.push(object);
    rmSync(join(root, 'B', 'b.json'));
    expect(() => objects[2]!.size).toThrow(new SourceError(`Cannot read ${join(root, 'B', 'b.json')}: ENOENT`));
  });

  it('names a missing folder', async () => {
    const missing = join(tempFolder('local-location-'), 'nowhere');
    await expect(async () => {
      for await (const _ of new LocalLocation(missing).list());
    }).rejects.toThrow(new SourceError(`Source folder ${missing} does not exist`));
  });
});
