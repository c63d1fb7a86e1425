/**
 * Writes the dataset to disk with bounded memory: log files through a file handle in 256 KB chunks (each
 * chunk awaited, which is the back-pressure), song files one at a time as whole small files, folders
 * created once each. Counts files and bytes for the result.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SparkifyError, describeError } from '../errors.js';

const CHUNK_BYTES = 256 * 1024;
/** Lines are about 450 bytes; a chunk is written once less than this is left. */
const MAX_LINE_BYTES = 16 * 1024;
/** Small files written between two turns of the event loop. */
const YIELD_EVERY = 256;
const BOM = '\ufeff';

/** Files and bytes written so far. */
export interface WriteTotals {
  files: number;
  bytes: number;
}

/** Creates each folder once, then only remembers that it exists (a few thousand folders at most). */
export class FolderMaker {
  private readonly made = new Set<string>();

  /** Creates `folder` and its parents unless done before. */
  async ensure(folder: string): Promise<void> {
    if (this.made.has(folder)) return;
    await mkdir(folder, { recursive: true });
    this.made.add(folder);
  }

  /** As `ensure`, synchronously. */
  ensureSync(folder: string): void {
    if (this.made.has(folder)) return;
    mkdirSync(folder, { recursive: true });
    this.made.add(folder);
  }
}

/** How a log file's lines are separated and whether it starts with a byte order mark. */
export interface LogFileShape {
  readonly lineEnd: '\n' | '\r\n';
  readonly bom: boolean;
  /** The real files end without a line end; clean files (quirks off) end with one. */
  readonly finalLineEnd: boolean;
  /** Every line is ASCII (true with the quirks on, which escape all else): encoding is then a plain copy. */
  readonly ascii: boolean;
}

/**
 * One log file being written, line by line, with line numbers. Lines are encoded straight into one of two
 * fixed buffers: while one is written to disk the other fills, so memory is constant and line strings die
 * young (collected cheaply) instead of piling up in a long string until the next write.
 */
export class LogFileWriter {
  private readonly buffers = [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)] as const;
  private current: 0 | 1 = 0;
  private used = 0;
  private lines = 0;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly handle: FileHandle,
    private readonly path: string,
    private readonly shape: LogFileShape,
    private readonly totals: WriteTotals,
  ) {
    if (shape.bom) this.append(BOM, 'utf8');
  }

  /** Opens (creating or truncating) the file at `path`. */
  static async open(path: string, shape: LogFileShape, totals: WriteTotals, folders: FolderMaker): Promise<LogFileWriter> {
    try {
      await folders.ensure(dirname(path));
      const handle = await open(path, 'w');
      totals.files += 1;
      return new LogFileWriter(handle, path, shape, totals);
    } catch (error) {
      throw new SparkifyError(`Failed to create ${path}: ${describeError(error)}`, { cause: error });
    }
  }

  /**
   * Appends a line and returns its 1-based number. Returns a promise only when a chunk goes to disk; await
   * it before the next line (the buffer to fill next may still be being written).
   */
  writeLine(text: string): number | Promise<number> {
    if (this.lines > 0) this.append(this.shape.lineEnd);
    this.append(text);
    this.lines += 1;
    const line = this.lines;
    // Room for one more line of any realistic size; else hand the full buffer to the disk now.
    if (this.used < CHUNK_BYTES - MAX_LINE_BYTES) return line;
    return this.flush().then(() => line);
  }

  /** Writes what is left and closes the file; safe to call once after an error too. */
  async close(): Promise<void> {
    try {
      if (this.shape.finalLineEnd && this.lines > 0) this.append(this.shape.lineEnd);
      await this.flush();
      await this.writing;
    } finally {
      await this.handle.close();
    }
  }

  private append(text: string, encoding: 'utf8' | 'latin1' = this.shape.ascii ? 'latin1' : 'utf8'): void {
    const buffer = this.buffers[this.current];
    // One UTF-16 unit takes at most 3 UTF-8 bytes: check before writing so nothing is cut.
    if (this.used + text.length * 3 <= buffer.length) {
      this.used += buffer.write(text, this.used, encoding);
      return;
    }
    // A line longer than the buffer's spare room (only in absurd data): copy it out with what is buffered.
    // The copy frees the current buffer at once, so filling continues there.
    this.chain(Buffer.concat([buffer.subarray(0, this.used), Buffer.from(text, 'utf8')]));
    this.used = 0;
  }

  /**
   * Starts writing the filled buffer, switches to the other one and returns once every earlier write is
   * done, which includes the last write of the other buffer: it is then free to fill.
   */
  private async flush(): Promise<void> {
    if (this.used === 0) return;
    const previous = this.chain(this.buffers[this.current].subarray(0, this.used));
    this.current = this.current === 0 ? 1 : 0;
    this.used = 0;
    await previous;
  }

  /** Queues the write of `chunk` after the writes in progress (keeping their order); returns those. */
  private chain(chunk: Buffer): Promise<void> {
    const previous = this.writing;
    this.writing = previous
      .then(() => writeAll(this.handle, chunk))
      .then(
        () => {
          this.totals.bytes += chunk.length;
        },
        (error: unknown) => {
          if (error instanceof SparkifyError) throw error;
          throw new SparkifyError(`Failed to write ${this.path}: ${describeError(error)}`, { cause: error });
        },
      );
    // Nobody may be waiting on this one yet; its failure surfaces at the next flush or at close.
    this.writing.catch(() => undefined);
    return previous;
  }
}

/**
 * Writes many small files. Synchronous writes on purpose: for files of a few hundred bytes the thread-pool
 * round trips of asynchronous writes dominate (measured: about 2,000 files/s with 64 asynchronous writes in
 * flight against 30,000 files/s written one by one), and one write at a time is the tightest bound on memory.
 * The event loop gets a turn every `YIELD_EVERY` files so that progress displays stay live.
 */
export class SmallFileWriter {
  private sinceYield = 0;

  constructor(
    private readonly root: string,
    private readonly totals: WriteTotals,
    private readonly folders: FolderMaker,
  ) {}

  /** Writes a file (path relative to the root, with `/`), creating its folder the first time. */
  async write(relativePath: string, text: string): Promise<void> {
    const path = join(this.root, relativePath);
    const data = Buffer.from(text, 'utf8');
    try {
      this.folders.ensureSync(dirname(path));
      writeFileSync(path, data);
    } catch (error) {
      throw new SparkifyError(`Failed to write ${path}: ${describeError(error)}`, { cause: error });
    }
    this.totals.files += 1;
    this.totals.bytes += data.length;
    this.sinceYield += 1;
    if (this.sinceYield >= YIELD_EVERY) {
      this.sinceYield = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}

/** Writes all of `chunk` at the file's current position (one write call may take only part of it). */
export async function writeAll(handle: FileHandle, chunk: Buffer): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}

/** Prefix for text that should start with a byte order mark. */
export function withBom(text: string): string {
  return BOM + text;
}
