/**
 * The local folder location: what its walk yields, in which order, and the sizes it reports (read lazily,
 * when asked for, or with every file on the listing workers when the caller will compare change tokens).
 */
import { existsSync, mkdirSync, realpathSync, rmSync, symlinkSync, writeFileSync, statSync } from 'node:fs';
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

// Many folders at the whole-listing depth, so a walk with stats uses the listing workers; files above that
// depth, deeper folders, files that are not JSON and hidden files among them.
function wideLayout(): string {
  const root = tempFolder('local-location-wide-');
  for (const first of ['A', 'B', 'C']) {
    for (const second of ['x', 'y', 'z', 'w']) {
      const folder = join(root, first, second);
      mkdirSync(join(folder, 'deep'), { recursive: true });
      writeFileSync(join(folder, `TR${first}${second}.json`), `{"song": "${first}${second}"}`);
      writeFileSync(join(folder, 'deep', 'TR0.json'), '{}');
      writeFileSync(join(folder, 'readme.md'), 'not data');
      writeFileSync(join(folder, '.DS_Store'), '');
    }
    writeFileSync(join(root, first, `${first}.json`), '[]');
  }
  writeFileSync(join(root, 'top.json'), '{"top": 1}');
  // A link to a file of the source, below the whole-listing depth: passed over on the workers too.
  symlinkSync(join(root, 'A', 'x', 'TRAx.json'), join(root, 'A', 'x', 'deep', 'same.json'));
  writeFileSync(join(root, 'notes.txt'), 'not data');
  return root;
}

// What a walk yields with each object's size and token read from it, and what it skipped.
async function walked(location: LocalLocation, changeTokens: boolean) {
  const objects = [];
  for await (const object of location.list({ changeTokens }))
    objects.push({ uri: object.uri, size: object.size, changeToken: object.changeToken });
  return { objects, skipped: [...location.skipped] };
}

const COMPILED_LOCATION = new URL('../../dist/sources/local/local-location.js', import.meta.url).pathname;
const COMPILED_POOL = new URL('../../dist/sources/local/folder-listing-pool.js', import.meta.url).pathname;

describe('LocalLocation', () => {
  it('lists the same files in the same order with change tokens as without, each token a stat of its file', async () => {
    const root = wideLayout();
    const lazy = await walked(new LocalLocation(root), false);
    const stated = await walked(new LocalLocation(root), true);
    expect(stated).toEqual(lazy);
    expect(lazy.objects).toHaveLength(3 * 4 * 2 + 3 + 1);
    expect(lazy.skipped).toHaveLength(3 * 4 + 2);
    const { size, mtimeMs } = statSync(join(root, 'B', 'y', 'TRBy.json'));
    expect(stated.objects).toContainEqual({ uri: join(root, 'B', 'y', 'TRBy.json'), size, changeToken: `${size}:${Math.trunc(mtimeMs)}` });
  });

  // A dist/ built before the listing workers has no pool: skipped (visibly) rather than passing untested.
  const compiled = existsSync(COMPILED_LOCATION) && existsSync(COMPILED_POOL);
  it.skipIf(!compiled)(
    `lists on worker threads (the compiled module) exactly what the walk on this thread lists${compiled ? '' : ' (SKIPPED: dist/ is absent, run npm run build)'}`,
    async () => {
      const root = wideLayout();
      const { LocalLocation: CompiledLocation } = (await import(COMPILED_LOCATION)) as { LocalLocation: typeof LocalLocation };
      const onWorkers = await walked(new CompiledLocation(root), true);
      expect(onWorkers).toEqual(await walked(new LocalLocation(root), false));
      expect(onWorkers.objects.map((object) => object.uri)).toEqual(onWorkers.objects.map((object) => object.uri).sort());
    },
  );

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

  it.skipIf(!compiled)(
    `names a folder a listing worker cannot read, and goes on listing others${compiled ? '' : ' (SKIPPED: dist/ is absent, run npm run build)'}`,
    async () => {
      const { openFolderListingPool } = (await import(COMPILED_POOL)) as typeof import('../../src/sources/local/folder-listing-pool.js');
      const missing = join(tempFolder('local-location-'), 'gone');
      const pool = openFolderListingPool(1);
      try {
        await expect(pool.list(missing)).rejects.toThrow(`Cannot list ${missing}: ENOENT`);
        const root = wideLayout();
        expect((await pool.list(join(root, 'A', 'x'), realpathSync(root))).files).toEqual([
          join(root, 'A', 'x', 'TRAx.json'),
          join(root, 'A', 'x', 'deep', 'TR0.json'),
        ]);
      } finally {
        await pool.close();
      }
    },
  );

  it('follows links to files and folders outside the source, above and below the whole-listing depth, and passes over broken links, loops and links into the source', async () => {
    const root = tempFolder('local-location-links-');
    const source = join(root, 'log_data');
    const archive = join(root, 'archive');
    mkdirSync(join(source, '2018', '11'), { recursive: true });
    mkdirSync(join(archive, '12'), { recursive: true });
    writeFileSync(join(source, '2018', '11', '2018-11-01-events.json'), '{"a":1}');
    writeFileSync(join(root, 'delivered.json'), '{"b":22}');
    writeFileSync(join(archive, '12', '2018-12-01-events.json'), '{}');
    writeFileSync(join(archive, 'top.json'), '{}');
    // A day delivered as a link, a month and a year linked from an archive, a link to nothing, two loops.
    symlinkSync(join(root, 'delivered.json'), join(source, '2018', '11', '2018-11-02-events.json'));
    symlinkSync(join(archive, '12'), join(source, '2018', '12'));
    symlinkSync(archive, join(source, '2017'));
    symlinkSync(join(root, 'nowhere.json'), join(source, '2018', '11', 'broken.json'));
    symlinkSync(source, join(source, '2018', '11', 'again'));
    symlinkSync(join(source, '2018'), join(source, '2018', 'up'));
    // Links to what the listing reaches by its own path, and a loop of links that cannot be followed.
    symlinkSync(join(source, '2018', '11'), join(source, 'latest'));
    symlinkSync(join(source, '2018', '11', '2018-11-01-events.json'), join(source, '2018', '11', 'today.json'));
    symlinkSync(join(source, '2018', '11', 'loop-b.json'), join(source, '2018', '11', 'loop-a.json'));
    symlinkSync(join(source, '2018', '11', 'loop-a.json'), join(source, '2018', '11', 'loop-b.json'));
    symlinkSync(join(source, '2018', '11', 'loop-a.json'), join(source, 'loop-top'));
    // A file the listing passes over (not .json), linked as a day: the link is the only way to it.
    writeFileSync(join(source, '2018', 'raw.txt'), '{"c":333}');
    symlinkSync(join(source, '2018', 'raw.txt'), join(source, '2018', '11', '2018-11-03-events.json'));
    for (const changeTokens of [false, true]) {
      const location = new LocalLocation(source);
      const { objects, skipped } = await walked(location, changeTokens);
      expect(objects.map(({ uri, size }) => ({ uri, size }))).toEqual([
        { uri: join(source, '2017', '12', '2018-12-01-events.json'), size: 2 },
        { uri: join(source, '2017', 'top.json'), size: 2 },
        { uri: join(source, '2018', '11', '2018-11-01-events.json'), size: 7 },
        { uri: join(source, '2018', '11', '2018-11-02-events.json'), size: 8 },
        { uri: join(source, '2018', '11', '2018-11-03-events.json'), size: 9 },
        { uri: join(source, '2018', '12', '2018-12-01-events.json'), size: 2 },
      ]);
      expect([...skipped].sort()).toEqual(
        [
          join(source, '2018', '11', 'again'),
          join(source, '2018', '11', 'broken.json'),
          join(source, '2018', '11', 'loop-a.json'),
          join(source, '2018', '11', 'loop-b.json'),
          join(source, '2018', '11', 'today.json'),
          join(source, '2018', 'raw.txt'),
          join(source, '2018', 'up'),
          join(source, 'latest'),
          join(source, 'loop-top'),
        ].sort(),
      );
    }
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
