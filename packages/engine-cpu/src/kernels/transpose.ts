import type { HostArray, OutputInfo, TensorInfo } from '@strata/engine-api';
import { simplifyPermutation } from '@strata/engine-api';
import { allocate, valuesOf } from '../buffer.js';

/** Tile edge for the blocked 2-D transpose: two 32×32 float tiles fit easily in L1. */
const BLOCK = 32;

/**
 * Permutes dims: output dim `j` is input dim `perm[j]`. The permutation is first simplified
 * (size-1 dims dropped, input dims that stay adjacent merged), so e.g. `[0, 2, 3, 1]` on
 * `[N, H, W, C]` becomes a batched 2-D transpose, which runs cache-blocked.
 *
 * @example
 * const ys = transpose(x, [1, 0], { shape: [x.shape[1], x.shape[0]], dtype: x.dtype });
 */
export function transpose(x: TensorInfo, perm: readonly number[], out: OutputInfo): HostArray {
  const xs = valuesOf(x);
  const ys = allocate(out);
  if (ys.length === 0) return ys;
  const { shape, order } = simplifyPermutation(x.shape, perm);
  const rank = shape.length;

  if (order.every((p, j) => p === j)) {
    ys.set(xs);
  } else if (rank === 2) {
    transpose2D(xs, 0, shape[0]!, shape[1]!, ys, 0);
  } else if (rank === 3 && order[0] === 0 && order[1] === 2 && order[2] === 1) {
    const rows = shape[1]!;
    const cols = shape[2]!;
    const plane = rows * cols;
    for (let b = 0, off = 0; b < shape[0]!; b++, off += plane) transpose2D(xs, off, rows, cols, ys, off);
  } else {
    transposeGeneral(xs, shape, order, ys);
  }
  return ys;
}


/** `ys[yOff + c * rows + r] = xs[xOff + r * cols + c]`, tile by tile. */
function transpose2D(xs: HostArray, xOff: number, rows: number, cols: number, ys: HostArray, yOff: number): void {
  for (let r0 = 0; r0 < rows; r0 += BLOCK) {
    const rEnd = Math.min(r0 + BLOCK, rows);
    for (let c0 = 0; c0 < cols; c0 += BLOCK) {
      const cEnd = Math.min(c0 + BLOCK, cols);
      for (let r = r0; r < rEnd; r++) {
        let src = xOff + r * cols + c0;
        let dst = yOff + c0 * rows + r;
        for (let c = c0; c < cEnd; c++, src++, dst += rows) ys[dst] = xs[src]!;
      }
    }
  }
}

/** Any permutation: walks the output in order, reading the input with permuted strides. */
function transposeGeneral(xs: HostArray, shape: readonly number[], order: readonly number[], ys: HostArray): void {
  const rank = shape.length;
  const inStrides = new Array<number>(rank);
  for (let d = rank - 1, s = 1; d >= 0; d--) {
    inStrides[d] = s;
    s *= shape[d]!;
  }
  const outShape = order.map((d) => shape[d]!);
  const strides = order.map((d) => inStrides[d]!);
  const inner = outShape[rank - 1]!;
  const innerStride = strides[rank - 1]!;
  const counter = new Array<number>(rank).fill(0);
  const total = ys.length;
  let src = 0;
  for (let dst = 0; dst < total; dst += inner) {
    for (let c = 0, s = src; c < inner; c++, s += innerStride) ys[dst + c] = xs[s]!;
    for (let d = rank - 2; d >= 0; d--) {
      if (++counter[d]! < outShape[d]!) {
        src += strides[d]!;
        break;
      }
      counter[d] = 0;
      src -= strides[d]! * (outShape[d]! - 1);
    }
  }
}
