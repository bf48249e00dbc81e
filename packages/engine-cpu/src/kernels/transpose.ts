import type { HostArray, OutputInfo, Shape, TensorInfo } from '@strata/engine-api';
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
  const { shape, order } = simplify(x.shape, perm);
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

/**
 * Drops size-1 dims and merges input dims that remain neighbours, in order, in the output.
 * Returns the reduced input shape and the permutation over it.
 */
function simplify(inShape: Shape, perm: readonly number[]): { shape: number[]; order: number[] } {
  const kept = perm.filter((d) => inShape[d] !== 1);
  // The next input dim that is not size 1: size-1 dims in between do not break adjacency.
  const nextKept = new Array<number>(inShape.length).fill(-1);
  for (let d = inShape.length - 2; d >= 0; d--) nextKept[d] = inShape[d + 1] !== 1 ? d + 1 : nextKept[d + 1]!;
  // Runs of output dims that read consecutive input dims: each run becomes one dim.
  const runs: { start: number; size: number }[] = [];
  for (let j = 0; j < kept.length; j++) {
    const d = kept[j]!;
    const last = runs[runs.length - 1];
    if (last !== undefined && nextKept[kept[j - 1]!] === d) last.size *= inShape[d]!;
    else runs.push({ start: d, size: inShape[d]! });
  }
  // Reduced input dims are the runs sorted by where they start in the input.
  const byInput = runs.map((_, i) => i).sort((a, b) => runs[a]!.start - runs[b]!.start);
  const shape = byInput.map((i) => runs[i]!.size);
  const rankOf = new Array<number>(runs.length);
  byInput.forEach((runIndex, inputPos) => (rankOf[runIndex] = inputPos));
  return { shape, order: runs.map((_, j) => rankOf[j]!) };
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
