import type { RandomOptions } from '@strata/core';

/** murmur3's 32-bit finalizer: spreads every input bit over the output. */
function fmix32(h: number): number {
  let x = h >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * The random options for each successive draw of a noise layer (Keras 3's `SeedGenerator`). With
 * a seed, draw k uses a seed derived from (seed, k): a seeded layer gives the same sequence of masks
 * on every run and every engine, yet a fresh mask each step. TF.js instead repeats one mask on every
 * call when seeded, which would drop the same units for the whole of training. Without a seed each
 * draw takes the next stream of the global seed (`setSeed`).
 *
 * @example
 * const stream = new SeedStream(42);
 * uniform([2, 3], 0, 1, stream.next());
 */
export class SeedStream {
  private draws = 0;

  constructor(readonly seed: number | null) {}

  /** Options for the next draw. */
  next(): RandomOptions {
    if (this.seed === null) return {};
    const lo = this.seed >>> 0;
    const hi = Math.floor(this.seed / 0x100000000) >>> 0;
    const k = this.draws++;
    return { seed: fmix32(lo ^ fmix32(hi + Math.imul(k + 1, 0x9e3779b9))) };
  }

  /** Starts the sequence again, so the next draws repeat the first ones. */
  reset(): void {
    this.draws = 0;
  }
}
