import type { HostArray, OutputInfo, TensorInfo } from '@strata/engine-api';
import { allocate, valuesOf } from '../buffer.js';
import { copyRun } from './copy-run.js';

/** `[outer, len, inner]` around `axis`: dims before it, the axis, dims after it. */
function split(shape: readonly number[], axis: number): [number, number, number] {
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d]!;
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d]!;
  return [outer, shape[axis]!, inner];
}

/**
 * Takes slices of `x` along `axis` at `indices` (int32, any shape, in range):
 * `out.shape = x.shape[:axis] ++ indices.shape ++ x.shape[axis+1:]`.
 *
 * @example
 * // rows 2, 0, 2 of a matrix
 * const ys = gather(x, idx, 0, { shape: [3, x.shape[1]], dtype: x.dtype });
 */
export function gather(x: TensorInfo, indices: TensorInfo, axis: number, out: OutputInfo): HostArray {
  const xs = valuesOf(x);
  const idx = valuesOf(indices);
  const ys = allocate(out);
  if (ys.length === 0) return ys;
  const [outer, len, inner] = split(x.shape, axis);
  const m = idx.length;
  for (let o = 0; o < outer; o++) {
    const xBase = o * len;
    const yBase = o * m;
    if (inner === 1) {
      for (let i = 0; i < m; i++) ys[yBase + i] = xs[xBase + idx[i]!]!;
    } else {
      for (let i = 0; i < m; i++) copyRun(xs, (xBase + idx[i]!) * inner, ys, (yBase + i) * inner, inner);
    }
  }
  return ys;
}

/**
 * The adjoint of `gather`: zeros of `out.shape`, then each slice of `updates` (shaped like a
 * gather result) is added at its index along `axis`; repeated indices accumulate.
 *
 * @example
 * // gradient of an embedding lookup: rows of dy summed into a [vocab, dim] table
 * const dTable = scatterAdd(dy, ids, 0, { shape: [vocab, dim], dtype: 'float32' });
 */
export function scatterAdd(updates: TensorInfo, indices: TensorInfo, axis: number, out: OutputInfo): HostArray {
  const us = valuesOf(updates);
  const idx = valuesOf(indices);
  const ys = allocate(out);
  if (us.length === 0) return ys;
  const [outer, len, inner] = split(out.shape, axis);
  const m = idx.length;
  for (let o = 0; o < outer; o++) {
    const yBase = o * len;
    const uBase = o * m;
    for (let i = 0; i < m; i++) {
      const dst = (yBase + idx[i]!) * inner;
      const src = (uBase + i) * inner;
      for (let j = 0; j < inner; j++) ys[dst + j]! += us[src + j]!;
    }
  }
  return ys;
}
