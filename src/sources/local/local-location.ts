/**
 * A dataset in a local folder, walked recursively in name order.
 */
import { createReadStream } from 'node:fs';
import { readdirSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { SourceError } from '../../errors.js';
import type { DataLocation, SourceObject } from '../source.js';

/** A folder of JSON files (song_data or log_data in the bucket's layout). */
export class LocalLocation implements DataLocation {
  readonly uri: string;
  readonly localFiles = true;
  private readonly skippedFiles: string[] = [];

  constructor(folder: string) {
    this.uri = resolve(folder);
  }

  get skipped(): readonly string[] {
    return this.skippedFiles;
  }

  async *list(): AsyncGenerator<SourceObject> {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(this.uri);
    } catch {
      throw new SourceError(`Source folder ${this.uri} does not exist`);
    }
    if (!info.isDirectory()) throw new SourceError(`Source ${this.uri} is not a folder`);
    this.skippedFiles.length = 0;
    yield* this.walk(this.uri);
  }

  read(object: SourceObject): Promise<Buffer> {
    return readFile(object.uri).catch((error: NodeJS.ErrnoException) => {
      throw new SourceError(`Cannot read ${object.uri}: ${error.code ?? error.message}`, { cause: error });
    });
  }

  stream(object: SourceObject): Readable {
    return createReadStream(object.uri);
  }

  // Synchronous calls, one per step of the walk: measured on 27,498 song files in 4,362 folders, the
  // asynchronous walk (a thread-pool round trip per folder and per file) took 1.6 s, this one 0.3 s.
  private *walk(folder: string): Generator<SourceObject> {
    const entries = readdirSync(folder, { withFileTypes: true });
    // Byte order, like an S3 listing, so local and S3 sources load in the same order.
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) yield* this.walk(path);
      else if (entry.isFile() && entry.name.endsWith('.json')) yield listedFile(path);
      else if (!entry.name.startsWith('.')) this.skippedFiles.push(path);
    }
  }
}

/**
 * A listed file whose size and change token are read when first asked for. Staging song files never asks
 * for the size (their tasks are counted in files): measured on 366,738 song files, the walk took 1.9 s
 * instead of 3.5 s without a stat per file, on the thread that feeds the staging workers. The ledger asks
 * for the change token only when it has to compare. The getters are own, enumerable properties, so copies
 * (spread, JSON, structuredClone) still carry both.
 */
function listedFile(uri: string): SourceObject {
  let info: { size: number; mtimeMs: number } | undefined;
  const stats = () => {
    info ??= fileStats(uri);
    return info;
  };
  return {
    uri,
    get size() {
      return stats().size;
    },
    get changeToken() {
      const { size, mtimeMs } = stats();
      return `${size}:${Math.trunc(mtimeMs)}`;
    },
  };
}

function fileStats(path: string): { size: number; mtimeMs: number } {
  try {
    const { size, mtimeMs } = statSync(path);
    return { size, mtimeMs };
  } catch (error) {
    throw new SourceError(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
}
