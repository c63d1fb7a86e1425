/**
 * `damage.json`: the list of every damaged record (file, line, kind) that a loader must reject, and, apart,
 * the benign damage it must accept. Damaged records are streamed to disk as they are made, so a large run
 * with many of them keeps flat memory; only counts per kind stay in memory.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { SparkifyError, describeError } from '../errors.js';
import type { BenignDamage, DamagedRecord } from './damage-injector.js';
import { writeAll, type WriteTotals } from './dataset-writer.js';

/** The file name of the manifest, in the dataset folder. */
export const DAMAGE_MANIFEST = 'damage.json';

/** What the manifest says, for the result of `generate()`. */
export interface DamageSummary {
  /** Damaged records a loader must reject. */
  readonly count: number;
  readonly byKind: Readonly<Record<string, number>>;
  /** Benign damage (CRLF, BOM, empty file) a loader must accept. */
  readonly benign: readonly BenignDamage[];
  /** Path of damage.json, or null when nothing was damaged. */
  readonly manifest: string | null;
}

/** Writes damage.json while the dataset is generated. */
export class DamageManifestWriter {
  private count = 0;
  private readonly byKind: Record<string, number> = {};
  private readonly benign: BenignDamage[] = [];
  private pending = '';

  private constructor(
    private readonly handle: FileHandle,
    private readonly path: string,
    private readonly totals: WriteTotals,
  ) {}

  /** Creates the manifest with its header. */
  static async create(path: string, header: { seed: number; rate: number }, totals: WriteTotals): Promise<DamageManifestWriter> {
    try {
      const writer = new DamageManifestWriter(await open(path, 'w'), path, totals);
      totals.files += 1;
      writer.pending = `{\n  "seed": ${header.seed},\n  "rate": ${header.rate},\n  "damaged": [`;
      return writer;
    } catch (error) {
      throw new SparkifyError(`Failed to create ${path}: ${describeError(error)}`, { cause: error });
    }
  }

  /** Records one damaged record. */
  async add(record: DamagedRecord): Promise<void> {
    this.pending += `${this.count === 0 ? '' : ','}\n    ${JSON.stringify(record)}`;
    this.count += 1;
    this.byKind[record.kind] = (this.byKind[record.kind] ?? 0) + 1;
    if (this.pending.length >= 64 * 1024) await this.flush();
  }

  /** Records benign damage (few: at most a few per day file). */
  addBenign(damage: BenignDamage): void {
    this.benign.push(damage);
  }

  /** Finishes the file and returns the summary. */
  async close(): Promise<DamageSummary> {
    try {
      const benign = this.benign.map((b) => `\n    ${JSON.stringify(b)}`).join(',');
      this.pending += `${this.count > 0 ? '\n  ' : ''}],\n  "benign": [${benign}${benign ? '\n  ' : ''}]\n}\n`;
      await this.flush();
    } finally {
      await this.handle.close();
    }
    return { count: this.count, byKind: { ...this.byKind }, benign: [...this.benign], manifest: this.path };
  }

  /** Closes the file after a failure elsewhere. */
  async abandon(): Promise<void> {
    await this.handle.close();
  }

  private async flush(): Promise<void> {
    const chunk = Buffer.from(this.pending, 'utf8');
    this.pending = '';
    try {
      await writeAll(this.handle, chunk);
    } catch (error) {
      throw new SparkifyError(`Failed to write ${this.path}: ${describeError(error)}`, { cause: error });
    }
    this.totals.bytes += chunk.length;
  }
}
