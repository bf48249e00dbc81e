import type { DType } from '@strata/engine-api';
import { sizeOf } from '@strata/engine-api';
import { convert, type TensorLike } from '../convert.js';
import { runKernel1 } from '../dispatch.js';
import type { Tensor } from '../tensor.js';
import { OpError, fmtShape } from '../util/errors.js';
import { normalizeAxis, shapesEqual } from '../util/shape.js';
import { defineOp } from './define-op.js';
import { castTo, upcast } from './elementwise.js';
import { expandDims } from './expand-squeeze.js';

function convertList(op: string, xs: readonly TensorLike[]): Tensor[] {
  if (!Array.isArray(xs) || xs.length === 0) {
    throw new OpError(op, 'xs', Array.isArray(xs) ? 'an empty array' : typeof xs, 'must be a non-empty array of tensors');
  }
  return xs.map((x, i) => convert(x, `xs[${i}]`, op));
}

/**
 * Joins tensors along an existing `axis` (default 0). Every input has the same rank and the same
 * size in every other dim; dtypes are promoted to a common one (bool < int32 < float32).
 *
 * @example
 * concat([tensor([[1, 2]]), tensor([[3, 4], [5, 6]])]); // [[1, 2], [3, 4], [5, 6]]
 * concat([tensor([[1], [2]]), tensor([[3], [4]])], -1);  // [[1, 3], [2, 4]]
 */
export const concat = defineOp('concat', (xs: readonly TensorLike[], axis: number = 0): Tensor => {
  const ts = convertList('concat', xs);
  const first = ts[0]!;
  if (first.rank === 0) throw new OpError('concat', 'xs[0]', 'a scalar', 'must have at least one dimension (use stack to join scalars)');
  const ax = normalizeAxis('concat', axis, first.rank);
  ts.forEach((t, i) => {
    if (t.rank !== first.rank) {
      throw new OpError('concat', `xs[${i}]`, `shape ${fmtShape(t.shape)}`, `must have rank ${first.rank} like xs[0] (shape ${fmtShape(first.shape)})`);
    }
    const d = t.shape.findIndex((n, k) => k !== ax && n !== first.shape[k]);
    if (d >= 0) {
      throw new OpError('concat', `xs[${i}]`, `shape ${fmtShape(t.shape)}`,
        `must match xs[0] (shape ${fmtShape(first.shape)}) in every dimension but the concat axis ${ax} (dimension ${d} is ${t.shape[d]} vs ${first.shape[d]})`);
    }
  });
  const dtype = ts.reduce<DType>((acc, t) => upcast(acc, t.dtype), first.dtype);
  const inputs = ts.map((t) => castTo(t, dtype));
  const shape = [...first.shape];
  shape[ax] = ts.reduce((n, t) => n + t.shape[ax]!, 0);
  const out = { shape, dtype };
  return runKernel1('concat', inputs, out, (e, infos) => {
    // Empty inputs add nothing; engines are spared them, and one remaining input is the result.
    const filled = infos.filter((info) => sizeOf(info.shape) > 0);
    if (filled.length === 0) return e.fill(out, 0);
    if (filled.length === 1) return filled[0]!.dataId;
    return e.concat(filled, ax, out);
  }, { axis: ax });
});

/**
 * Stacks tensors of one shape along a new dim at `axis` (default 0; `[-(rank+1), rank]`).
 *
 * @example
 * stack([tensor([1, 2]), tensor([3, 4])]);    // [[1, 2], [3, 4]]
 * stack([tensor([1, 2]), tensor([3, 4])], 1); // [[1, 3], [2, 4]]
 */
export const stack = defineOp('stack', (xs: readonly TensorLike[], axis: number = 0): Tensor => {
  const ts = convertList('stack', xs);
  const first = ts[0]!;
  ts.forEach((t, i) => {
    if (!shapesEqual(t.shape, first.shape)) {
      throw new OpError('stack', `xs[${i}]`, `shape ${fmtShape(t.shape)}`, `must have the shape of xs[0] (${fmtShape(first.shape)})`);
    }
  });
  const rank = first.rank;
  if (!Number.isInteger(axis) || axis < -(rank + 1) || axis > rank) {
    throw new OpError('stack', 'axis', String(axis), `must be an integer in [${-(rank + 1)}, ${rank}] for inputs of shape ${fmtShape(first.shape)}`);
  }
  const at = axis < 0 ? axis + rank + 1 : axis;
  return concat(ts.map((t) => expandDims(t, at)), at);
});
