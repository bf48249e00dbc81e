import type { Shape } from '@strata/engine-api';
import { stridesOf } from '@strata/engine-api';

/** A strided view: dims (row-major order) and the input element stride of each. */
export interface StridedView {
  dims: number[];
  strides: number[];
}

/**
 * A reduction seen transpose-free: output `o` and reduction index `r` (both row-major flat
 * indices) read the input at `keptOffset(o) + reducedOffset(r)`.
 */
export interface ReduceGeometry {
  outSize: number;
  /** Elements folded into each output. */
  reduceSize: number;
  kept: StridedView;
  reduced: StridedView;
  /** The innermost (stride-1) block is reduced: each output reads contiguous runs. */
  innerReduced: boolean;
}

/**
 * Collapses `shape` into blocks for a reduction over the sorted, unique `axes`: size-1 dims
 * vanish and neighbours that are both kept or both reduced merge (as the CPU engine does), so
 * e.g. a [N, C, H, W] sum over [0, 2, 3] becomes reduced [N] stride C*H*W, kept [C], reduced [H*W].
 *
 * @example
 * reduceGeometry([4, 5, 6], [1, 2]); // kept [4] stride 30, reduced [30] stride 1
 */
export function reduceGeometry(shape: Shape, axes: readonly number[]): ReduceGeometry {
  const strides = stridesOf(shape);
  const kept: StridedView = { dims: [], strides: [] };
  const reduced: StridedView = { dims: [], strides: [] };
  let lastFlag: boolean | null = null;
  for (let d = 0; d < shape.length; d++) {
    const len = shape[d]!;
    if (len === 1) continue;
    const isReduced = axes.includes(d);
    const view = isReduced ? reduced : kept;
    if (lastFlag === isReduced) {
      // Merge with the block before: its stride becomes this (inner) dim's stride.
      const k = view.dims.length - 1;
      view.dims[k]! *= len;
      view.strides[k] = strides[d]!;
    } else {
      view.dims.push(len);
      view.strides.push(strides[d]!);
    }
    lastFlag = isReduced;
  }
  return {
    outSize: kept.dims.reduce((a, b) => a * b, 1),
    reduceSize: reduced.dims.reduce((a, b) => a * b, 1),
    kept,
    reduced,
    innerReduced: lastFlag === true,
  };
}

/** How one pass splits the work. */
export interface ReducePlan {
  /** One workgroup per (output, chunk), a tree in workgroup memory; else one thread per (output, chunk). */
  perWorkgroup: boolean;
  workgroupSize: number;
  /** Chunks each output's reduction is split into (partials then need another pass). */
  chunks: number;
  /** Elements per chunk. */
  chunkSize: number;
}

/**
 * Chooses the pass shape. Contiguous reductions of 64+ elements get a workgroup per output (a
 * [4096, 1000] row max: 4096 workgroups); strided ones (the innermost dim kept) a thread per
 * output, so neighbouring threads read neighbouring addresses. When there are too few outputs to
 * fill a GPU (a full sum of 1M elements), each output is split into chunks whose partial results
 * a second pass folds.
 *
 * @example
 * planReduce(1, 1 << 20, true); // 256 workgroups of 256 threads, 4096 elements each
 */
export function planReduce(outSize: number, reduceSize: number, innerReduced: boolean): ReducePlan {
  if (innerReduced && reduceSize >= 64) {
    const workgroupSize = reduceSize >= 4096 ? 256 : 64;
    // Aim for ~1024 workgroups in all, each folding at least 4096 elements.
    const chunks = reduceSize > 16384 ? Math.min(Math.ceil(reduceSize / 4096), Math.max(1, Math.ceil(1024 / outSize))) : 1;
    return withChunks(true, workgroupSize, reduceSize, chunks);
  }
  // Aim for ~16K threads in all, each folding at least 32 elements.
  const chunks = reduceSize >= 128 ? Math.min(Math.ceil(reduceSize / 32), Math.max(1, Math.ceil(16384 / outSize))) : 1;
  return withChunks(false, 64, reduceSize, chunks);
}

function withChunks(perWorkgroup: boolean, workgroupSize: number, reduceSize: number, chunks: number): ReducePlan {
  const chunkSize = Math.ceil(reduceSize / Math.max(1, chunks));
  // Recount so no chunk is empty.
  return { perWorkgroup, workgroupSize, chunks: Math.max(1, Math.ceil(reduceSize / Math.max(1, chunkSize))), chunkSize: Math.max(1, chunkSize) };
}
