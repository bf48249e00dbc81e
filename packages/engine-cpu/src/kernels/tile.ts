import type { HostArray, OutputInfo, TensorInfo } from '@strata/engine-api';
import { stridesOf } from '@strata/engine-api';
import { allocate, valuesOf } from '../buffer.js';

/**
 * Repeats `x` `reps[d]` times along each dim. Built from the inside out: each input row is laid
 * down once, then every finished block is replicated with `copyWithin`, so almost all the work
 * is native bulk copies.
 *
 * @example
 * const ys = tile(x, [2, 3], { shape: [2 * x.shape[0], 3 * x.shape[1]], dtype: x.dtype });
 */
export function tile(x: TensorInfo, reps: readonly number[], out: OutputInfo): HostArray {
  const xs = valuesOf(x);
  const ys = allocate(out);
  if (ys.length === 0) return ys;
  const rank = x.shape.length;
  if (rank === 0) {
    ys[0] = xs[0]!;
    return ys;
  }
  const plan: TilePlan = {
    xs, ys, shape: x.shape, reps, inStrides: stridesOf(x.shape), outStrides: stridesOf(out.shape),
  };
  tileDim(plan, 0, 0, 0);
  return ys;
}

interface TilePlan {
  readonly xs: HostArray;
  readonly ys: HostArray;
  readonly shape: readonly number[];
  readonly reps: readonly number[];
  readonly inStrides: readonly number[];
  readonly outStrides: readonly number[];
}

/** Writes the full tiling of dims `d..` for one position of the outer dims. */
function tileDim(p: TilePlan, d: number, src: number, dst: number): void {
  const len = p.shape[d]!;
  const rank = p.shape.length;
  let block: number;
  if (d === rank - 1) {
    for (let i = 0; i < len; i++) p.ys[dst + i] = p.xs[src + i]!;
    block = len;
  } else {
    const inStride = p.inStrides[d]!;
    const outStride = p.outStrides[d]!;
    for (let i = 0; i < len; i++) tileDim(p, d + 1, src + i * inStride, dst + i * outStride);
    block = len * outStride;
  }
  // Replicate the first copy, doubling the filled span each time.
  const span = block * p.reps[d]!;
  for (let filled = block; filled < span; filled *= 2) {
    p.ys.copyWithin(dst + filled, dst, dst + Math.min(filled, span - filled));
  }
}
