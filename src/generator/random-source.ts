/**
 * Seeded pseudo-random numbers for the generator. Every random choice goes through a `RandomSource`, so the
 * same seed and options give byte-identical datasets (no `Math.random`, no clock).
 *
 * The generator sfc32 (Chris Doty-Humphrey's "small fast counting" generator, as used by PractRand) passes
 * BigCrush and needs only 32-bit integer arithmetic, which is fast in JavaScript. Each part of the generator
 * draws from its own named stream, so changing `--events` leaves the song files unchanged and vice versa.
 */

/** A seeded stream of pseudo-random numbers with the few distributions the generator needs. */
export class RandomSource {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  private constructor(a: number, b: number, c: number, d: number) {
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    // The first outputs of sfc32 still carry the structure of the seed words; discard them.
    for (let i = 0; i < 15; i += 1) this.uint32();
  }

  /**
   * The stream `stream` of seed `seed`: different names give independent sequences.
   * @example RandomSource.fromSeed(1, 'songs').int(10) // always the same number in 0..9
   */
  static fromSeed(seed: number, stream: string): RandomSource {
    // Fold the seed (up to 2^53) and the stream name into 32 bits with FNV-1a, then spread with splitmix32.
    let h = 0x811c9dc5;
    const mix = (byte: number): void => {
      h = Math.imul(h ^ (byte & 0xff), 0x01000193) >>> 0;
    };
    const high = Math.floor(seed / 0x1_0000_0000);
    const low = seed >>> 0;
    for (const word of [low, high]) for (let s = 0; s < 32; s += 8) mix(word >>> s);
    for (let i = 0; i < stream.length; i += 1) mix(stream.charCodeAt(i));
    let state = h;
    const splitmix = (): number => {
      state = (state + 0x9e3779b9) | 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    return new RandomSource(splitmix(), splitmix(), splitmix(), splitmix());
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    const t0 = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    const t = (t0 + this.d) | 0;
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform number in [0, 1). */
  next(): number {
    return this.uint32() / 0x1_0000_0000;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A uniform integer in [min, max], both included. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A uniformly chosen element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** An exponentially distributed number with the given mean. */
  exponential(mean: number): number {
    // 1 - next() is in (0, 1], so the logarithm is finite.
    return -Math.log(1 - this.next()) * mean;
  }

  /**
   * An index in [0, n) where small indexes are more likely: `power` 1 is uniform, 2 or 3 give the long tail
   * of popularity (a few songs and users account for much of the activity).
   */
  skewedIndex(n: number, power: number): number {
    return Math.min(n - 1, Math.floor(n * this.next() ** power));
  }

  /** An index chosen with probability proportional to `weights[i]`. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let x = this.next() * total;
    for (let i = 0; i < weights.length; i += 1) {
      x -= weights[i] as number;
      if (x < 0) return i;
    }
    return weights.length - 1;
  }

  /** A string of `length` characters drawn uniformly from `alphabet`. */
  chars(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i += 1) out += alphabet[this.int(alphabet.length)];
    return out;
  }
}
