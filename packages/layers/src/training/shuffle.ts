import { getSeed } from '@strata/core';
import { philoxUniform } from '@strata/engine-api';

/**
 * Streams at and above this are kept for shuffling; random ops take streams counting up from 0,
 * so the two never draw the same numbers.
 */
const SHUFFLE_STREAM_BASE = 0x80000000;

/**
 * A permutation of `0..n-1` (Fisher-Yates) drawn from the Philox generator with the global seed
 * (`setSeed`) and stream `SHUFFLE_STREAM_BASE + pass`: the same seed and pass give the same order
 * on every engine and every run.
 *
 * @example
 * seededPermutation(5, 0); // e.g. Int32Array [3, 0, 4, 1, 2]
 */
export function seededPermutation(n: number, pass: number, seed = getSeed()): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  const scratch = new Uint32Array(4);
  const stream = (SHUFFLE_STREAM_BASE + (pass % SHUFFLE_STREAM_BASE)) >>> 0;
  for (let i = n - 1; i > 0; i--) {
    const u = philoxUniform(seed, stream, n - 1 - i, 0, 1, scratch);
    const j = Math.min(i, Math.floor(u * (i + 1)));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}

const passes = new WeakMap<object, number>();

/**
 * The number of shuffled passes over data `owner` (a model) has made, then counts one more: each
 * pass of each `fit` gets a new stream, so two fits of one model shuffle differently while two
 * fresh models with the same seed shuffle alike.
 *
 * @example
 * const pass = nextShufflePass(model);
 */
export function nextShufflePass(owner: object): number {
  const pass = passes.get(owner) ?? 0;
  passes.set(owner, pass + 1);
  return pass;
}

/**
 * Yields the sample indices of each batch of a data set, pass after pass: in order, or in a new
 * seeded permutation per pass when shuffling. Keras' epoch iterator with `stepsPerEpoch` keeps
 * drawing from the same pass across epochs and starts a new one when it runs out; without it,
 * each epoch is one pass.
 *
 * @example
 * const batches = new BatchStream(model, 100, 32, true);
 * batches.next(); // { start: 0, size: 32, indices: Int32Array(32) }
 */
export class BatchStream {
  private order: Int32Array | null = null;
  private position = 0;

  constructor(
    private readonly owner: object,
    readonly size: number,
    readonly batchSize: number,
    readonly shuffle: boolean,
  ) {}

  /** Batches in one pass over the data. */
  get batchesPerPass(): number {
    return Math.ceil(this.size / this.batchSize);
  }

  /** Starts a new pass (a new permutation when shuffling). */
  restart(): void {
    this.position = 0;
    this.order = this.shuffle ? seededPermutation(this.size, nextShufflePass(this.owner)) : null;
  }

  /** The next batch: a contiguous range when not shuffling, else the permuted indices. */
  next(): { start: number; size: number } | Int32Array {
    if (this.order === null && this.shuffle) this.restart();
    if (this.position >= this.size) this.restart();
    const start = this.position;
    const size = Math.min(this.batchSize, this.size - start);
    this.position += size;
    return this.order ? this.order.subarray(start, start + size) : { start, size };
  }

  /** True when the current pass has no batches left. */
  get exhausted(): boolean {
    return this.position >= this.size;
  }
}
