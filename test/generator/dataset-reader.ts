/**
 * Test helpers: a temporary folder per dataset, and the raw text of every file of a generated dataset, read
 * independently of the generator's code.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';

/** One file of a dataset: its path relative to the dataset folder (with `/`) and its text. */
export interface DatasetFile {
  readonly path: string;
  readonly text: string;
}

/** The files of a dataset, by area, sorted by path. */
export interface DatasetFiles {
  readonly songFiles: readonly DatasetFile[];
  readonly logFiles: readonly DatasetFile[];
  readonly topLevel: readonly string[];
}

/** A fresh folder under the OS temp folder. */
export function tempDataset(label: string): string {
  return mkdtempSync(join(tmpdir(), `sparkify-gen-${label}-`));
}

/** Removes a temporary dataset folder. */
export async function removeDataset(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

async function listFiles(dir: string, under: string): Promise<string[]> {
  const entries = await readdir(join(dir, under), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

/** Reads every file of the dataset in `dir`. */
export async function readDataset(dir: string): Promise<DatasetFiles> {
  const read = async (path: string): Promise<DatasetFile> => ({ path, text: await readFile(join(dir, path), 'utf8') });
  return {
    songFiles: await Promise.all((await listFiles(dir, 'song_data')).map(read)),
    logFiles: await Promise.all((await listFiles(dir, 'log_data')).map(read)),
    topLevel: (await readdir(dir)).sort(),
  };
}

/** A digest of every file's path and bytes under `dir`, to compare two datasets for byte identity. */
export async function datasetDigest(dir: string): Promise<Map<string, string>> {
  const digests = new Map<string, string>();
  for (const path of await listFiles(dir, '.')) {
    digests.set(
      path,
      createHash('sha256')
        .update(await readFile(join(dir, path)))
        .digest('hex'),
    );
  }
  return digests;
}

/** Lines of a log file as the loaders split them: on `\n`, without a trailing `\r`, BOM removed. */
export function logLines(text: string): string[] {
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  return body.split('\n').map((line) => line.replace(/\r$/, ''));
}

/** The JSON texts of the objects of a song file (one or more, concatenated with whitespace). */
export function songObjects(text: string): string[] {
  const objects: string[] = [];
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') {
      if (depth === 0) start = i;
      depth += 1;
    } else if (c === '}') {
      depth -= 1;
      if (depth === 0) objects.push(text.slice(start, i + 1));
    }
  }
  return objects;
}
