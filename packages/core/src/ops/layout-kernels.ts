import type { OutputInfo } from '@strata/engine-api';
import { sizeOf } from '@strata/engine-api';
import { runKernel1 } from '../dispatch.js';
import type { Tensor } from '../tensor.js';

// Thin, validated-argument wrappers around the engine's layout kernels that several ops and
// gradients share. Callers have already resolved and bounds-checked every argument; these only
// dispatch (so the op is recorded on the tape) and skip the engine when the result is the input.

/**
 * Reads `out[i] = x[begin + i * strides]` per dim with `shape` elements per dim, recorded on the tape
 * as `op` (`slice`, `stridedSlice`, `reverse`), whose gradient finds `begin`/`strides` in its attrs.
 * A read that reproduces `x` exactly shares its buffer instead of copying.
 *
 * @example
 * stridedSliceKernel('slice', x, [1, 0], [1, 1], [2, 3]);
 */
export function stridedSliceKernel(
  op: string, x: Tensor, begin: readonly number[], strides: readonly number[], shape: readonly number[],
  attrs: Record<string, unknown> = {},
): Tensor {
  const out: OutputInfo = { shape: [...shape], dtype: x.dtype };
  // Dims of size <= 1 read the same element whichever way they step.
  const identity = x.shape.every((d, i) => shape[i] === d && begin[i] === 0 && (strides[i] === 1 || d <= 1));
  return runKernel1(
    op, [x], out,
    (e, [xi]) => (identity ? xi!.dataId : e.stridedSlice(xi!, begin, strides, out)),
    { ...attrs, begin: [...begin], strides: [...strides] },
  );
}

/**
 * The engine's `gather` along `axis` with int32 `indices` already known to be in range (or on an
 * engine that cannot check them cheaply). Recorded as `gather`.
 *
 * @example
 * gatherKernel(table, ids, 0);
 */
export function gatherKernel(x: Tensor, indices: Tensor, axis: number): Tensor {
  const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
  const out: OutputInfo = { shape, dtype: x.dtype };
  return runKernel1('gather', [x, indices], out, (e, [xi, ii]) => e.gather(xi!, ii!, axis, out), { axis });
}

/**
 * The engine's `scatterAdd`: zeros of `shape` into which the slices of `updates` are added at
 * `indices` along `axis` (the adjoint of `gatherKernel`). Recorded as `scatterAdd`.
 *
 * @example
 * scatterAddKernel(dy, ids, 0, table.shape);
 */
export function scatterAddKernel(updates: Tensor, indices: Tensor, axis: number, shape: readonly number[]): Tensor {
  const out: OutputInfo = { shape: [...shape], dtype: updates.dtype };
  return runKernel1(
    'scatterAdd', [updates, indices], out,
    // Nothing to add: the result is zeros, and engines need not handle empty updates.
    (e, [ui, ii]) => (sizeOf(updates.shape) === 0 ? e.fill(out, 0) : e.scatterAdd(ui!, ii!, axis, out)),
    { axis },
  );
}
